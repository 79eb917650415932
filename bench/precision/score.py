#!/usr/bin/env python3
"""score.py - measure vibeguard's precision on the corpus of bench/precision.

For every project of manifest.tsv that fetch.sh unpacked, run
`vibeguard scan . --format json --fail-on never` inside its folder (the
binary is $VG, default build/vibeguard; extra scan flags come from
$VG_FLAGS, e.g. VG_FLAGS='--profile audit'), count its Python lines, and
match each finding against triage.tsv (and triage.d/*.tsv, read after it:
one file per line of work, so that parallel changes do not edit one file).  Prints a per-project table, the
corpus totals, a per-rule table, the precision and the findings that have no
verdict yet.  A measurement: the exit status is 0 unless --check is given,
then 1 when a target (at most 2 findings per 10 KLOC of Python, at least
80% of the findings triaged true or debatable) is missed, 2 on a usage or
scan error.

Python lines are the physical lines of every *.py file in the unpacked
sdist, including files the scan itself skips (.gitignore'd, too large);
they are counted here, not taken from the scan.

A finding matches a triage row on (project, fingerprint) first, else on
(project, rule_id, path, snippet hash), the hash being the first 12 hex
digits of the SHA-1 of the finding's `snippet` (UTF-8).  The fallback keeps
the verdicts when the fingerprint algorithm changes.  Rows are per distinct
(fingerprint, snippet hash) in a project: identical copies of one line in one
file share a row and its verdict.
Standard library only.
"""

import argparse
import collections
import hashlib
import json
import os
import shlex
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
VERDICTS = ("true", "debatable", "false")
TRIAGE_HEADER = ("fingerprint", "project", "rule_id", "path", "line",
                 "snippet_hash", "verdict", "reason")
MAX_PER_10K = 2.0
MIN_PRECISION = 0.80


def die(msg):
    """A usage or input error: message on stderr, exit status 2."""
    print(f"score: {msg}", file=sys.stderr)
    sys.exit(2)


def snippet_hash(snippet):
    """First 12 hex digits of the SHA-1 of a finding's snippet."""
    return hashlib.sha1((snippet or "").encode("utf-8", "surrogatepass")).hexdigest()[:12]


def clean(text):
    """One TSV cell: tabs and line breaks become spaces."""
    return " ".join(str(text).replace("\t", " ").splitlines())


def read_manifest(path):
    """[(name, version, kind)] from manifest.tsv (header and # lines skipped)."""
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if cols[0] == "name":
                continue
            if len(cols) < 3:
                die(f"{path}:{n}: want name<TAB>version<TAB>kind")
            out.append((cols[0], cols[1], cols[2]))
    return out


def read_triage(path, by_fp=None, by_snip=None):
    """Two indexes of the triage rows: by (project, fingerprint) and by
    (project, rule_id, path, snippet_hash).  A missing file is empty.
    Earlier files win: triage.tsv is read before triage.d/*.tsv."""
    by_fp = {} if by_fp is None else by_fp
    by_snip = {} if by_snip is None else by_snip
    if not os.path.exists(path):
        return by_fp, by_snip
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            cols = line.rstrip("\n").split("\t")
            if n == 1 and cols[0] == "fingerprint":
                continue
            if not line.strip() or line.startswith("#"):
                continue
            if len(cols) != len(TRIAGE_HEADER):
                die(f"{path}:{n}: want {len(TRIAGE_HEADER)} tab-separated columns, got {len(cols)}")
            row = dict(zip(TRIAGE_HEADER, cols))
            if row["verdict"] == "":
                continue  # a row left to fill in counts as untriaged
            if row["verdict"] not in VERDICTS:
                die(f"{path}:{n}: verdict '{row['verdict']}' is not one of {', '.join(VERDICTS)}")
            by_fp.setdefault((row["project"], row["fingerprint"]), row)
            by_snip.setdefault((row["project"], row["rule_id"], row["path"], row["snippet_hash"]), row)
    return by_fp, by_snip


def python_lines(top):
    """(files, physical lines) of every *.py file below top."""
    files = lines = 0
    for d, dirs, names in os.walk(top):
        dirs.sort()
        for name in names:
            if not name.endswith(".py"):
                continue
            p = os.path.join(d, name)
            if os.path.islink(p) or not os.path.isfile(p):
                continue
            with open(p, "rb") as f:
                data = f.read()
            files += 1
            lines += data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
    return files, lines


def scan(vg, flags, top, keep):
    """The JSON report of one scan of top (run inside it, root '.')."""
    cmd = [vg, "scan", ".", "--format", "json", "--fail-on", "never"] + flags
    r = subprocess.run(cmd, cwd=top, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode != 0:
        raise RuntimeError(f"exit {r.returncode}: {r.stderr.decode(errors='replace').strip()[:300]}")
    if keep:
        with open(keep, "wb") as f:
            f.write(r.stdout)
    return json.loads(r.stdout)


def per10k(findings, lines):
    return 10000.0 * findings / lines if lines else 0.0


def pct(num, den):
    return f"{100.0 * num / den:.1f}%" if den else "n/a"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--manifest", default=os.path.join(HERE, "manifest.tsv"))
    ap.add_argument("--triage", default=os.path.join(HERE, "triage.tsv"))
    ap.add_argument("--corpus", default=os.environ.get("VG_CORPUS") or
                    os.path.join(os.path.expanduser("~"), ".cache", "vibeguard", "corpus"))
    ap.add_argument("--only", metavar="NAME,...", help="score only these projects")
    ap.add_argument("--untriaged", metavar="FILE",
                    help="write the findings with no verdict as triage.tsv rows with an empty verdict")
    ap.add_argument("--reports", metavar="DIR", help="keep each project's JSON report as DIR/NAME.json")
    ap.add_argument("--list", type=int, default=100, metavar="N",
                    help="print at most N untriaged findings (0: all; default 100)")
    ap.add_argument("--check", action="store_true",
                    help="exit 1 when a target is missed (untriaged findings count as missed)")
    args = ap.parse_args()

    vg = os.environ.get("VG") or os.path.join(ROOT, "build", "vibeguard")
    vg = os.path.abspath(vg)
    flags = shlex.split(os.environ.get("VG_FLAGS", ""))
    if not os.access(vg, os.X_OK):
        print(f"score: {vg} is missing; run make first (or set VG)", file=sys.stderr)
        return 2
    projects = read_manifest(args.manifest)
    if args.only:
        want = set(args.only.split(","))
        projects = [p for p in projects if p[0] in want]
    by_fp, by_snip = read_triage(args.triage)
    extra = os.path.join(os.path.dirname(os.path.abspath(args.triage)), "triage.d")
    if os.path.isdir(extra):
        for name in sorted(os.listdir(extra)):
            if name.endswith(".tsv"):
                read_triage(os.path.join(extra, name), by_fp, by_snip)
    if args.reports:
        os.makedirs(args.reports, exist_ok=True)

    print(f"precision corpus: {len(projects)} projects in {args.corpus}")
    print(f"scanner: {vg} scan . --format json --fail-on never {' '.join(flags)}".rstrip())
    print("KLOC: physical lines of every *.py file in the unpacked sdist, "
          "including files the scan skips")
    print()
    head = f"{'project':<18} {'kind':<9} {'KLOC':>7} {'findings':>8} {'/10KLOC':>8} " \
           f"{'true':>5} {'debat':>5} {'false':>5} {'untri':>5}"
    print(head)
    print("-" * len(head))

    tot = collections.Counter()
    by_rule = collections.defaultdict(collections.Counter)
    untriaged = []
    missing, errors = [], []
    for name, version, kind in projects:
        top = os.path.join(args.corpus, f"{name}-{version}")
        if not os.path.isdir(top):
            missing.append(f"{name}-{version}")
            continue
        _, lines = python_lines(top)
        keep = os.path.join(args.reports, f"{name}.json") if args.reports else None
        try:
            report = scan(vg, flags, top, keep)
        except (RuntimeError, ValueError) as e:
            errors.append(f"{name}: {e}")
            continue
        c = collections.Counter()
        seen = set()
        for f in report.get("findings", []):
            rule, path = f.get("rule_id", ""), f.get("path", "")
            sh = snippet_hash(f.get("snippet"))
            row = by_fp.get((name, f.get("fingerprint", ""))) or by_snip.get((name, rule, path, sh))
            verdict = row["verdict"] if row else "untriaged"
            c[verdict] += 1
            by_rule[rule][verdict] += 1
            if not row and (f.get("fingerprint"), sh) not in seen:
                seen.add((f.get("fingerprint"), sh))
                untriaged.append((name, f, sh))
        n = sum(c.values())
        print(f"{name:<18} {kind:<9} {lines / 1000:>7.1f} {n:>8} {per10k(n, lines):>8.1f} "
              f"{c['true']:>5} {c['debatable']:>5} {c['false']:>5} {c['untriaged']:>5}")
        tot.update(c)
        tot["lines"] += lines
        tot["findings"] += n
        tot["projects"] += 1

    print("-" * len(head))
    lines, n = tot["lines"], tot["findings"]
    print(f"{'total':<18} {str(tot['projects']) + ' proj':<9} {lines / 1000:>7.1f} {n:>8} "
          f"{per10k(n, lines):>8.1f} {tot['true']:>5} {tot['debatable']:>5} {tot['false']:>5} "
          f"{tot['untriaged']:>5}")

    if by_rule:
        print()
        print(f"{'rule':<34} {'findings':>8} {'true':>5} {'debat':>5} {'false':>5} {'untri':>5}")
        for rule, rc in sorted(by_rule.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])):
            print(f"{rule:<34} {sum(rc.values()):>8} {rc['true']:>5} {rc['debatable']:>5} "
                  f"{rc['false']:>5} {rc['untriaged']:>5}")

    good = tot["true"] + tot["debatable"]
    triaged = good + tot["false"]
    rate = per10k(n, lines)
    print()
    print(f"findings per 10 KLOC: {rate:.2f} (target at most {MAX_PER_10K:g})")
    print(f"precision (true+debatable)/triaged: {good}/{triaged} = {pct(good, triaged)} "
          f"(target at least {MIN_PRECISION:.0%}); triaged {triaged} of {n} findings")
    print(f"lower bound (true+debatable)/all findings: {good}/{n} = {pct(good, n)}")
    for m in missing:
        print(f"missing: {m} (run bench/precision/fetch.sh)")
    for e in errors:
        print(f"scan error: {e}")

    if untriaged:
        print()
        print(f"untriaged: {tot['untriaged']} findings, {len(untriaged)} distinct (fingerprint, snippet)")
        shown = untriaged if args.list == 0 else untriaged[:args.list]
        for name, f, _ in shown:
            print(f"  {f.get('rule_id')}  {name}:{f.get('path')}:{f.get('line')}  {clean(f.get('message', ''))}")
        if len(shown) < len(untriaged):
            print(f"  ... and {len(untriaged) - len(shown)} more (--list 0 prints all; "
                  f"--untriaged FILE writes them as triage rows)")
    if args.untriaged:
        with open(args.untriaged, "w", encoding="utf-8") as out:
            out.write("\t".join(TRIAGE_HEADER) + "\n")
            for name, f, sh in untriaged:
                out.write("\t".join([f.get("fingerprint", ""), name, f.get("rule_id", ""),
                                     clean(f.get("path", "")), str(f.get("line", "")), sh, "", ""]) + "\n")
        print(f"wrote {len(untriaged)} untriaged rows to {args.untriaged}")

    if errors:
        return 2
    if args.check:
        missed = []
        if rate > MAX_PER_10K:
            missed.append(f"{rate:.2f} findings per 10 KLOC > {MAX_PER_10K:g}")
        if n and good < MIN_PRECISION * n:
            missed.append(f"{pct(good, n)} of the findings triaged true or debatable < {MIN_PRECISION:.0%}")
        if missing:
            missed.append(f"{len(missing)} projects not fetched")
        for m in missed:
            print(f"check: missed: {m}")
        return 1 if missed else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
