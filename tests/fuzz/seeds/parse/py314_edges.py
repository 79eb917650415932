try:
    pass
except A, B, (C, D), *E:
    pass
except* A,
    pass
t = t"{t"{t'{x!a:{y}}'}"}" rt'\{' T"{=}" t"{x:=1}" t"{(x:=1)}"
Rt"""{
  a # comment
}""" tR''
f"{t""}" b"" t"" u""
