#!/usr/bin/env python3
"""rekey.py - carry the triage verdicts over a change of fingerprints or snippets.

score.py matches a finding to its verdict on (project, fingerprint), else on
(project, rule_id, path, snippet hash).  A change that alters both for some
findings (a new masking policy, a new fingerprint key, a window of a long
line) would leave those verdicts behind.  This script scans every corpus
project with the binary before the change (--old) and after it (--new),
pairs the findings of the two reports on (rule_id, path, line, column)
(else on (rule_id, path, line) when that is unique), and rewrites the
fingerprint and snippet_hash columns of every row of triage.tsv and
triage.d/*.tsv that named an old finding the change moved, so that it
names the new one.
Rows that match nothing are left as they are; the verdict and the reason
never change.

Both scans use the default profile and --profile audit (a row may have
been written under either).  Prints what it changed; --dry-run writes
nothing.  Standard library only.

  python3 bench/precision/rekey.py --old /tmp/old/vibeguard --new build/vibeguard
"""

import argparse
import glob
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import score  # noqa: E402  (the one reader of manifest and triage, and the one scan)


def index(report):
    """(by position, by line) of one report's findings."""
    by_pos, by_line = {}, {}
    for f in report.get("findings", []):
        pos = (f["rule_id"], f["path"], f["line"], f.get("column", 0))
        by_pos.setdefault(pos, f)
        by_line.setdefault(pos[:3], []).append(f)
    return by_pos, by_line


def pair(old, new):
    """[(old finding, new finding)] for every old finding with a partner."""
    npos, nline = index(new)
    out = []
    for f in old.get("findings", []):
        pos = (f["rule_id"], f["path"], f["line"], f.get("column", 0))
        g = npos.get(pos)
        if g is None and len(nline.get(pos[:3], [])) == 1:
            g = nline[pos[:3]][0]
        if g is not None:
            out.append((f, g))
    return out


def find(pairs, row):
    """The pair a triage row names: by fingerprint (the same path and line
    first, then the same snippet), else by (rule_id, path, snippet hash)."""
    same_fp = [p for p in pairs if p[0]["fingerprint"] == row["fingerprint"]]
    for p in same_fp:
        if p[0]["path"] == row["path"] and str(p[0]["line"]) == row["line"]:
            return p
    for p in same_fp:
        if score.snippet_hash(p[0].get("snippet")) == row["snippet_hash"]:
            return p
    if same_fp:
        return same_fp[0]
    for p in pairs:
        f = p[0]
        if (f["rule_id"], f["path"], score.snippet_hash(f.get("snippet"))) == \
                (row["rule_id"], row["path"], row["snippet_hash"]):
            return p
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--old", required=True, help="the vibeguard binary before the change")
    ap.add_argument("--new", default=os.path.join(score.ROOT, "build", "vibeguard"),
                    help="the binary after it (default build/vibeguard)")
    ap.add_argument("--manifest", default=os.path.join(score.HERE, "manifest.tsv"))
    ap.add_argument("--corpus", default=os.environ.get("VG_CORPUS") or
                    os.path.join(os.path.expanduser("~"), ".cache", "vibeguard", "corpus"))
    ap.add_argument("--dry-run", action="store_true", help="report, write nothing")
    args = ap.parse_args()
    args.old, args.new = os.path.abspath(args.old), os.path.abspath(args.new)  # scans run inside

    # project -> [(old finding, new finding)]
    moves = {}
    for name, version, _kind in score.read_manifest(args.manifest):
        top = os.path.join(args.corpus, f"{name}-{version}")
        if not os.path.isdir(top):
            print(f"rekey: {name}: not fetched, skipped", file=sys.stderr)
            continue
        m = moves.setdefault(name, [])
        seen = set()
        for flags in ([], ["--profile", "audit"]):
            try:
                old = score.scan(args.old, flags, top, None)
                new = score.scan(args.new, flags, top, None)
            except RuntimeError as e:
                score.die(f"{name}: {e}")
            for f, g in pair(old, new):
                k = (f["fingerprint"], f["rule_id"], f["path"], f["line"], f.get("column", 0))
                if k not in seen:
                    seen.add(k)
                    m.append((f, g))

    files = [os.path.join(score.HERE, "triage.tsv")]
    files += sorted(glob.glob(os.path.join(score.HERE, "triage.d", "*.tsv")))
    changed = 0
    for path in files:
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().split("\n")
        out = []
        for n, line in enumerate(lines, 1):
            cols = line.split("\t")
            if (n == 1 and cols[0] == "fingerprint") or line.startswith("#") or \
                    len(cols) != len(score.TRIAGE_HEADER):
                out.append(line)
                continue
            row = dict(zip(score.TRIAGE_HEADER, cols))
            hit = find(moves.get(row["project"], []), row)
            if hit is not None and (hit[0]["fingerprint"], score.snippet_hash(hit[0].get("snippet"))) == \
                    (hit[1]["fingerprint"], score.snippet_hash(hit[1].get("snippet"))):
                hit = None  # the change did not move this finding: leave its row alone
            if hit is not None:
                f, g = hit
                nfp, nsh = g["fingerprint"], score.snippet_hash(g.get("snippet"))
                if (nfp, nsh) != (row["fingerprint"], row["snippet_hash"]):
                    print(f"{os.path.relpath(path, score.ROOT)}:{n}: {row['project']} {row['rule_id']} "
                          f"{row['path']}:{row['line']}: {row['fingerprint']}/{row['snippet_hash']} -> "
                          f"{nfp}/{nsh}")
                    row["fingerprint"], row["snippet_hash"] = nfp, nsh
                    changed += 1
            out.append("\t".join(row[h] for h in score.TRIAGE_HEADER))
        if not args.dry_run:
            with open(path, "w", encoding="utf-8") as fh:
                fh.write("\n".join(out))
    print(f"rekey: {changed} row{'s' if changed != 1 else ''} rekeyed"
          f"{' (dry run)' if args.dry_run else ''}")


if __name__ == "__main__":
    main()
