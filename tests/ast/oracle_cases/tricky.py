# Corner cases of the grammar, checked against the CPython oracle.
def gen():
    x = yield
    y = yield from z
    await q ** 2
    return *a, *b
print(*a, *b, **c, **d)
f(a=1, *b)
f(a, b=1, *c, d=2, **e)
f(**{'a': 1})
f(a for a in b)
a[b:c:d, e], a[()], a[:, None], a[...], a[1:], a[::]
g = lambda *, a: a
h = lambda *a, **k: 0
def p(a, /): pass
def q(a, /, b, *, c): pass
from . import (a)
@property
async def prop(): ...
x: int
(x): int = 1
x.y: int
x[0]: int = 2
del a[0], b.c
with a, b as (c, d): pass
for x, in y: pass
x = *a, *b
[y := f(x) for x in z]
[y for x in z if (y := x)]
a < b < c
not a == b
-1 ** 2
~-+a
a if b else c if d else e
lambda: (yield)
'''a''' 'b'
b'\x00\xff' rb'\x'
x = 0_0 + 00 + 0.0 + 0e0 + 0j + 1_0j + 0xDEAD_beef + 0O17 + 0B1 + 1.e5 + .1e-5
s = 'line \
continued'
class A(): pass
if x:
  pass
elif y: pass
else: pass
try:
 pass
except:
 pass
else:
 pass
finally:
 pass
match x:
    case {1: _, "a": [1, *_]}: pass
    case Foo.Bar(): pass
    case (1 | 2) as z: pass
    case -0j: pass
    case 1 - 2j: pass
    case "a" "b": pass
    case b"x": pass
    case {**rest}: pass
    case []: pass
    case (): pass
    case [*_]: pass
    case Point(1, y=2): pass
    case a.b.c: pass
    case _ if x: pass
x = [
    1,  # comment
    2,
]
if (n := len(a)) > 10: pass
while (chunk := f.read(10)):
    pass
assert isinstance(x, int), f"bad {x!r}"
raise
raise E
nonlocal_ = 1
async def agen():
    async with a as b:
        pass
    async for x in y:
        yield x
    return [x async for x in y if await x]
x = {**a, 'b': 2, **c}
x = {a: b for a, b in c if a}
x = (1,)
x = ()
x = 1,
x[a, b] = c
x = a.b.c.d(e)(f)[g]
import a.b as c
from .. import d
from ...e.f import (g as h, i)
x = f"{a}" f"{b!s:>10}" "c"
x = f"{'nested'}{x:{w}.{p}f}{d['k']}"
x = f"""multi
{line}"""
x = rf"\d{x}" + fr'{y}\n' + Rb"\x" + BR'y'
