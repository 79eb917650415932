# Regenerates src/python/uniprint.h from the running Python's unicodedata.
import sys
ranges, start = [], None
for cp in range(0x80, 0x110000):
    np = not chr(cp).isprintable()
    if np and start is None:
        start = cp
    if not np and start is not None:
        ranges.append((start, cp - 1))
        start = None
if start is not None:
    ranges.append((start, 0x10FFFF))
out = sys.stdout
out.write("/* uniprint.h - code points >= U+0080 that Python 3.11's str.isprintable()\n"
          " * rejects (Unicode 14.0: Cc Cf Cs Co Cn Zl Zp Zs), as inclusive ranges.\n"
          " * Generated from CPython 3.11.7's unicodedata; used by dump.c for repr().\n"
          " * Regenerate: see tests/ast/gen_uniprint.py. */\n")
out.write("static const unsigned int uni_nonprint[][2] = {\n")
for i in range(0, len(ranges), 4):
    out.write("    " + " ".join("{0x%X, 0x%X}," % r for r in ranges[i:i + 4]) + "\n")
out.write("};\n")
