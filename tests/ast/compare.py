"""compare.py LIST ORACLEDIR OURDIR - compare our ast dumps with CPython's.

For each file two checks: the dump text, and the node positions (line,
column, end line, end column of every node, order-independent).

Numbers are normalised on our side: vibeguard prints numeric constants as
written (0x1F, 1_000, 1e3); each is replaced by repr(literal_eval(text)),
which is what CPython's dump shows.  Prints one line per compared file
("ok" or "FAIL path" with the first difference) and a final
"compared N files, M differ".  Exit 1 when any differ.
"""
import ast
import re
import sys

NUM = re.compile(r"Constant\(value=((?:0[xXoObB][0-9a-fA-F_]+)|(?:(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?[jJ]?))")


def norm(m):
    try:
        return "Constant(value=" + repr(ast.literal_eval(m.group(1)))
    except (ValueError, SyntaxError):
        return m.group(0)


def main():
    lst, odir, udir = sys.argv[1:4]
    with open(lst, encoding="utf-8", errors="surrogateescape") as f:
        paths = [line.rstrip("\n") for line in f]
    with open(odir + "/skipped") as f:
        skipped = {int(x) for x in f.read().split()}
    compared = differ = pdiffer = 0
    for i, p in enumerate(paths, 1):
        if i in skipped:
            continue
        try:
            with open("%s/%d.txt" % (odir, i), encoding="utf-8", errors="surrogateescape") as f:
                want = f.read()
        except OSError:
            continue
        compared += 1
        try:
            with open("%s/%d.txt" % (udir, i), encoding="utf-8", errors="surrogateescape") as f:
                got = NUM.sub(norm, f.read())
        except OSError:
            got = "<no output>"
        try:
            with open("%s/%d.pos" % (odir, i)) as f:
                wpos = f.read().split("\n")
            with open("%s/%d.pos" % (udir, i)) as f:
                gpos = f.read().split("\n")
            wset, gset = sorted(x for x in wpos if x), sorted(x for x in gpos if x)
            if wset == gset:
                print("ok positions", p)
            else:
                miss = sorted(set(wset) - set(gset))[:3]
                extra = sorted(set(gset) - set(wset))[:3]
                print("FAIL positions %s: want %s got %s" % (p, miss, extra))
                pdiffer += 1
        except OSError:
            print("FAIL positions %s: no .pos file" % p)
            pdiffer += 1
        if got == want:
            print("ok", p)
            continue
        differ += 1
        k = next((j for j in range(min(len(got), len(want))) if got[j] != want[j]),
                 min(len(got), len(want)))
        print("FAIL %s: at char %d\n   want ...%s\n   got  ...%s" % (
            p, k, want[max(0, k - 60):k + 60].rstrip("\n"), got[max(0, k - 60):k + 60].rstrip("\n")))
    print("compared %d files, %d differ, %d with other positions, %d skipped (CPython cannot parse)"
          % (compared, differ, pdiffer, len(skipped)))
    return 1 if differ or pdiffer else 0


sys.exit(main())
