type Point = tuple[float, float]
type ListOrSet[T] = list[T] | set[T]
def first[T](xs: list[T]) -> T:
    return xs[0]
class Box[T: int, *Ts, **P](Base):
    pass
def g[T = int, *Ts = *tuple[int]](): pass
type = 1
type.x = 2
