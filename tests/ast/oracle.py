"""oracle.py LIST OUTDIR [K N] - CPython's ast.dump for every file in LIST
(with K N: only the files whose number is K modulo N, for running shards
in parallel; the skipped list goes to OUTDIR/skipped.K).

Writes OUTDIR/<n>.txt (n = 1-based line of LIST) for each file CPython
parses, OUTDIR/<n>.pos with the positions of its nodes (sorted lines
"Kind line col end_line end_col"; nodes inside f-strings left out), and lists the numbers of the files it could not parse in
OUTDIR/skipped.  Only parses (ast.parse); never executes a scanned file.
"""
import ast
import sys
import warnings


SKIP = (ast.comprehension, ast.arguments, ast.match_case, ast.withitem, ast.Module)


def positions(n, out):
    if not isinstance(n, SKIP) and hasattr(n, "lineno"):
        out.append("%s %d %d %d %d" % (type(n).__name__, n.lineno, n.col_offset,
                                       n.end_lineno, n.end_col_offset))
    if isinstance(n, ast.JoinedStr):
        return
    for c in ast.iter_child_nodes(n):
        positions(c, out)


def main():
    lst, out = sys.argv[1], sys.argv[2]
    k, n = (int(sys.argv[3]), int(sys.argv[4])) if len(sys.argv) > 4 else (0, 1)
    warnings.simplefilter("ignore")
    skipped = []
    with open(lst, encoding="utf-8", errors="surrogateescape") as f:
        paths = [line.rstrip("\n") for line in f]
    for i, p in enumerate(paths, 1):
        if i % n != k:
            continue
        try:
            with open(p, "rb") as fp:
                src = fp.read()
            tree = ast.parse(src)
            text = ast.dump(tree)
        except (SyntaxError, ValueError, RecursionError, MemoryError, OSError):
            skipped.append(str(i))
            continue
        with open("%s/%d.txt" % (out, i), "w", encoding="utf-8", errors="surrogatepass") as o:
            o.write(text + "\n")
        pos = []
        positions(tree, pos)
        with open("%s/%d.pos" % (out, i), "w") as o:
            o.write("".join(x + "\n" for x in sorted(pos)))
    with open(out + ("/skipped.%d" % k if n > 1 else "/skipped"), "w") as o:
        o.write("\n".join(skipped) + "\n")


main()
