# Hand-picked forms checked against the CPython oracle (3.11 syntax).
x = a if b else c
y = lambda a, /, b=1, *c, d, e=2, **f: (a, b)
z = [i async for i in aiter() if i if not i]
w = {k: v for k, v in items}, {*a, *b}, {**a, 'b': 1}
print(*args, sep='', **kw)
v = a < b <= c is not d not in e
u = not -+~x ** -y // z @ w
s = x[1:2, ::3, ...][a:=1] if (n := 10) > 5 else None
t = 'a' 'b' u'c' r'\d' f'{a!a}', b'x' rb'\y'
(yield)
del a, (b, c), [d]
global g
with (open(a) as b, open(c) as d):
    pass
with (a, b):
    pass
async def co():
    async with a as b, c:
        await x
    async for i in y:
        pass
    return [await z async for z in q]
try:
    pass
except* (A, B) as e:
    raise X from e
finally:
    pass
@dec.attr(1)
@other
class C(A, metaclass=M):
    x: int = 1
    (y): str
    def m(self, *, k): ...
for a, *b in c:
    continue
else:
    break
while 1:
    a += 1; b <<= 2; c //= 3
assert x, "msg"
from ...pkg.mod import (a as b, c,)
import a.b.c as d, e
x = 0xFF + 0o17 + 0b101 + 1_000_000 + 1.5e-3 + 3j + .5 + 1E10
