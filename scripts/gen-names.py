#!/usr/bin/env python3
"""gen-names.py [SHARED_DATA] - regenerate data/pypi-names.txt and
data/npm-names.txt, the popular-name lists the typosquat and
unknown-package checks compare against (see src/deps/names.h).

pypi-names.txt: one PEP 503 name per line, most downloaded first.  A name
that is one edit away from a name downloaded at least 500 times more often
carries "\t>TARGET": installing it is more likely a slip than a choice
(beautifulsoup for beautifulsoup4).  npm-names.txt: one name per line, in
the source's order.  Run at dev time; the output is committed.
"""
import csv
import os
import re
import sys

RATIO = 500


def dl1(a, b):
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        d = [i for i in range(len(a)) if a[i] != b[i]]
        return len(d) == 1 or (len(d) == 2 and d[1] == d[0] + 1
                               and a[d[0]] == b[d[1]] and a[d[1]] == b[d[0]])
    if len(a) > len(b):
        a, b = b, a
    return any(b[:i] + b[i + 1:] == a for i in range(len(b)))


def main():
    root = os.path.join(os.path.dirname(__file__), "..")
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "..", "shared", "data")
    rows = list(csv.reader(open(os.path.join(src, "top-pypi-packages.csv"))))[1:]
    count = {}
    order = []
    for c, n in rows:
        n = re.sub(r"[-_.]+", "-", n.lower())
        if n not in count:
            count[n] = int(c)
            order.append(n)
    bylen = {}
    for n in order:
        bylen.setdefault(len(n), []).append(n)
    with open(os.path.join(root, "data", "pypi-names.txt"), "w") as out:
        for n in order:
            shadow = ""
            if len(n) >= 5:
                best = None
                for L in (len(n) - 1, len(n), len(n) + 1):
                    for m in bylen.get(L, []):
                        if count[m] >= RATIO * count[n] and dl1(n, m):
                            if best is None or count[m] > count[best]:
                                best = m
                if best:
                    shadow = "\t>" + best
            out.write(n + shadow + "\n")
    names = [l.strip() for l in open(os.path.join(src, "npm-high-impact.txt")) if l.strip()]
    with open(os.path.join(root, "data", "npm-names.txt"), "w") as out:
        seen = set()
        for n in names:
            if n not in seen:
                seen.add(n)
                out.write(n + "\n")


main()
