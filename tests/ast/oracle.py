"""oracle.py LIST OUTDIR - CPython's ast.dump for every file in LIST.

Writes OUTDIR/<n>.txt (n = 1-based line of LIST) for each file CPython
parses, and lists the numbers of the files it could not parse in
OUTDIR/skipped.  Only parses (ast.parse); never executes a scanned file.
"""
import ast
import sys
import warnings


def main():
    lst, out = sys.argv[1], sys.argv[2]
    warnings.simplefilter("ignore")
    skipped = []
    with open(lst, encoding="utf-8", errors="surrogateescape") as f:
        paths = [line.rstrip("\n") for line in f]
    for i, p in enumerate(paths, 1):
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
    with open(out + "/skipped", "w") as o:
        o.write("\n".join(skipped) + "\n")


main()
