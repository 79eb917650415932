#!/usr/bin/env python3
"""licences_diff.py - 'vibeguard licences' against pip-licenses on one
installed environment: the same packages, the same licences.

    bench/licences_diff.py --python ENV/bin/python [--vg build/vibeguard]
                           [--pip-licenses PATH]

pip-licenses comes from scripts/install-peers.sh pip-licenses (a venv under
/work/scratch, never the tree, never make test).  It runs with --from=mixed
(classifiers, else the License field: its default) and --with-system, so
both tools list every distribution of the environment.  A licence agrees
when the set of licences pip-licenses prints (its "; "-separated classifier
names, or the License-Expression / License field) names the same licences
as vibeguard's canonical expression; the names pip-licenses prints are
mapped to SPDX ids with the table below (trove classifier titles).
Prints the counts and every disagreement; exit 1 when there is one.
"""
import argparse
import json
import re
import subprocess
import sys
import tempfile

# pip-licenses prints a classifier's last part; these are the ones whose
# title is not their SPDX id
TITLES = {
    "MIT License": "MIT", "BSD License": "BSD", "Apache Software License": "Apache-2.0",
    "Apache 2.0": "Apache-2.0", "ISC License (ISCL)": "ISC", "Public Domain": "Public-Domain",
    "Python Software Foundation License": "PSF-2.0",
    "Mozilla Public License 2.0 (MPL 2.0)": "MPL-2.0",
    "GNU General Public License (GPL)": "GPL",
    "GNU Library or Lesser General Public License (LGPL)": "LGPL",
    "GNU Lesser General Public License v3 (LGPLv3)": "LGPL-3.0-only",
    "GNU General Public License v2 (GPLv2)": "GPL-2.0-only",
    "GNU General Public License v3 (GPLv3)": "GPL-3.0-only",
    "The Unlicense (Unlicense)": "Unlicense",
}


def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def ids_of_expr(expr):
    return {t for t in re.split(r"[\s()]+", expr) if t and t not in ("AND", "OR", "WITH")}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--python", required=True)
    ap.add_argument("--vg", default="build/vibeguard")
    ap.add_argument("--pip-licenses", default="/work/scratch/pip-licenses/bin/pip-licenses")
    a = ap.parse_args()
    pl = json.loads(subprocess.run(
        [a.pip_licenses, "--python", a.python, "--format=json", "--from=mixed", "--with-system"],
        check=True, capture_output=True, text=True).stdout)
    with tempfile.TemporaryDirectory() as empty:  # a project of its own would add rows
        vg = json.loads(subprocess.run(
            [a.vg, "licences", empty, "--no-env", "--python", a.python, "--format", "json",
             "--fail-on", "never"], check=True, capture_output=True, text=True).stdout)
    P = {(norm(x["Name"]), x["Version"]): x["License"] for x in pl}
    V = {(norm(x["name"]), x["version"]): x for x in vg["packages"]}
    both = sorted(set(P) & set(V))
    bad = []
    for k in both:
        theirs = P[k]
        parts = theirs.split("; ")
        want = set()
        for p in parts:
            want |= {TITLES[p]} if p in TITLES else ids_of_expr(p)
        got = ids_of_expr(V[k]["licence"])
        if want != got:
            bad.append((k, theirs, V[k]["licence"]))
    print("pip-licenses %d packages, vibeguard %d, both %d; only pip-licenses: %s; only vibeguard: %s"
          % (len(P), len(V), len(both), sorted(set(P) - set(V)), sorted(set(V) - set(P))))
    print("licences agreeing: %d of %d" % (len(both) - len(bad), len(both)))
    for k, theirs, ours in bad:
        print("  %s %s: pip-licenses %r, vibeguard %r" % (k[0], k[1], theirs, ours))
    return 1 if bad or set(P) ^ set(V) else 0


if __name__ == "__main__":
    sys.exit(main())
