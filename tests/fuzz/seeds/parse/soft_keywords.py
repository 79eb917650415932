match = 1
match(x)
match[0] = 2
match x:
    case [1, *rest] if rest:
        pass
    case {"k": v, **kw}:
        pass
    case Point(x=0, y=_) | None:
        pass
    case -1 | 1+2j | "s" as lit:
        pass
    case (a, b, *_):
        pass
    case _:
        pass
case = 3
_ = 4
