#!/usr/bin/env python3
"""bandit_diff.py - `vibeguard scan --profile bandit` measured against Bandit.

Runs `bandit -r -f json` and `vibeguard scan --profile bandit --select B
--format json` over the same targets (by default three corpora: this
Python's standard library, its site-packages, and the precision corpus of
bench/precision) and prints, rule by rule, how many of Bandit's findings
vibeguard reproduces at the same path, line and id, how many it misses and
how many it reports beyond Bandit.  Findings are matched as multisets on
(path, line, id), so two B311 calls on one line need two of ours.

Bandit is slow (minutes a corpus), so its JSON is cached under --cache,
keyed by Bandit's version and the path, size and mtime of every .py file
of the targets; vibeguard always runs.  Findings of ours in files Bandit
could not parse are counted on their own line: Bandit parses with the
interpreter it runs under, so newer syntax is an error there and not here
(docs/bandit.md lists every difference and why).

Numbers only; the exit status is 0 unless a tool is missing (2).
    bench/bandit_diff.py [--vg BIN] [--bandit BIN] [--cache DIR]
                         [--details N] [--json FILE] [NAME=PATH[,PATH...] ...]
"""
import argparse
import collections
import hashlib
import json
import os
import shutil
import subprocess
import sys
import sysconfig

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def default_corpora():
    stdlib = sysconfig.get_paths()["stdlib"]
    purelib = sysconfig.get_paths()["purelib"]
    out = []
    if os.path.isdir(stdlib):
        out.append(("stdlib", sorted(os.path.join(stdlib, e) for e in os.listdir(stdlib)
                                     if e not in ("site-packages", "dist-packages", "__pycache__"))))
    if os.path.isdir(purelib):
        # sympy and moto are a third of it and add nothing Bandit-wise but time
        skip = {"sympy", "moto", "__pycache__"}
        out.append(("site-packages", sorted(os.path.join(purelib, e) for e in os.listdir(purelib)
                                            if e not in skip)))
    corpus = os.path.expanduser(os.environ.get("VG_CORPUS", "~/.cache/vibeguard/corpus"))
    if os.path.isdir(corpus):
        out.append(("precision", sorted(os.path.join(corpus, e) for e in os.listdir(corpus))))
    return out


def find_bandit(given):
    for b in (given, "/work/scratch/bandit/bin/bandit", shutil.which("bandit")):
        if b and os.access(b, os.X_OK):
            return b
    return None


BANDIT_EXCLUDED = {".svn", "CVS", ".bzr", ".hg", ".git", "__pycache__", ".tox", ".eggs"}


def py_files(targets):
    """The .py/.pyw files `bandit -r` reads under targets (its default
    excluded directories left out), as (realpath, size, mtime)."""
    out = []
    for t in targets:
        if os.path.isfile(t):
            st = os.stat(t)
            out.append((os.path.realpath(t), st.st_size, int(st.st_mtime)))
            continue
        for d, dirs, files in os.walk(t):
            dirs[:] = [x for x in dirs if x not in BANDIT_EXCLUDED and not x.endswith(".egg")]
            for f in files:
                if f.endswith((".py", ".pyw")):
                    p = os.path.join(d, f)
                    try:
                        st = os.stat(p)
                    except OSError:
                        continue
                    out.append((os.path.realpath(p), st.st_size, int(st.st_mtime)))
    return sorted(out)


def bandit_version(bandit):
    r = subprocess.run([bandit, "--version"], capture_output=True, text=True)
    return (r.stdout or r.stderr).splitlines()[0].strip() if (r.stdout or r.stderr) else "bandit ?"


def run_bandit(bandit, name, targets, cache):
    files = py_files(targets)
    version = bandit_version(bandit)
    key = hashlib.sha256(json.dumps([version, files]).encode()).hexdigest()[:16]
    os.makedirs(cache, exist_ok=True)
    path = os.path.join(cache, "%s-%s.json" % (name, key))
    if not os.path.exists(path):
        tmp = path + ".tmp"
        subprocess.run([bandit, "-r", "-q", "-f", "json", "-o", tmp] + targets,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.replace(tmp, path)
    with open(path) as fh:
        return json.load(fh), version, len(files), path


def run_vg(vg, targets, extra):
    cmd = [vg, "scan", "--profile", "bandit", "--select", "B", "--no-ignore", "--format", "json",
           "--no-color", "--quiet"] + extra + targets
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode not in (0, 1):
        raise SystemExit("bandit_diff: %s exited %d: %s" % (vg, r.returncode, r.stderr[-400:]))
    return json.loads(r.stdout)


def compare(bd, vg):
    """Per-rule counts and the unmatched findings of both sides."""
    bad_files = {os.path.realpath(e["filename"]) for e in bd.get("errors", [])}
    theirs = collections.Counter()
    tsev = collections.defaultdict(collections.Counter)  # key -> (severity, confidence) counts
    for r in bd.get("results", []):
        k = (os.path.realpath(r["filename"]), r["line_number"], r["test_id"])
        theirs[k] += 1
        tsev[k][(r["issue_severity"].lower(), r["issue_confidence"].lower())] += 1
    ours = collections.Counter()
    ours_unparsed = collections.Counter()
    osev = collections.defaultdict(collections.Counter)
    for f in vg.get("findings", []):
        if not f["rule_id"].startswith("B"):
            continue
        k = (os.path.realpath(f["path"]), f["line"], f["rule_id"])
        (ours_unparsed if k[0] in bad_files else ours)[k] += 1
        osev[k][(f["severity"], f["confidence"])] += 1
    rows = collections.defaultdict(lambda: collections.Counter())
    missed, extra = collections.defaultdict(list), collections.defaultdict(list)
    for k, n in theirs.items():
        m = min(n, ours.get(k, 0))
        rows[k[2]]["bandit"] += n
        rows[k[2]]["same"] += m
        rows[k[2]]["rated"] += sum((tsev[k] & osev.get(k, collections.Counter())).values())
        if n > m:
            missed[k[2]].append(k)
    for k, n in ours.items():
        rows[k[2]]["ours"] += n
        if n > theirs.get(k, 0):
            extra[k[2]].append(k)
            rows[k[2]]["extra"] += n - theirs.get(k, 0)
    for k, n in ours_unparsed.items():
        rows[k[2]]["ours"] += n
        rows[k[2]]["unparsed"] += n
    return rows, missed, extra, len(bad_files)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--vg", default=os.environ.get("VG", os.path.join(ROOT, "build", "vibeguard")))
    ap.add_argument("--bandit")
    ap.add_argument("--cache", default=os.path.expanduser("~/.cache/vibeguard/bandit-diff"))
    ap.add_argument("--details", type=int, default=0, help="list up to N misses and extras a rule")
    ap.add_argument("--json", help="write the table as JSON here")
    ap.add_argument("corpora", nargs="*", help="NAME=PATH[,PATH...]; default: stdlib, site-packages, precision")
    a = ap.parse_args()
    bandit = find_bandit(a.bandit)
    if not bandit:
        print("   Bandit is not installed (python3 -m venv /work/scratch/bandit && "
              "/work/scratch/bandit/bin/pip install bandit)")
        return 2
    if not os.access(a.vg, os.X_OK):
        print("   %s is missing; run make first" % a.vg)
        return 2
    corpora = [(c.split("=", 1)[0], c.split("=", 1)[1].split(",")) for c in a.corpora] or default_corpora()

    total = collections.defaultdict(lambda: collections.Counter())
    all_missed, all_extra = collections.defaultdict(list), collections.defaultdict(list)
    version = "?"
    for name, targets in corpora:
        bd, version, nfiles, _ = run_bandit(bandit, name, targets, a.cache)
        vg = run_vg(a.vg, targets, [])
        rows, missed, extra, nbad = compare(bd, vg)
        b = sum(r["bandit"] for r in rows.values())
        s = sum(r["same"] for r in rows.values())
        x = sum(r["extra"] for r in rows.values())
        print("   %-14s %6d files, Bandit %5d findings, reproduced %5d (%.1f%%), extra %d; "
              "Bandit could not parse %d files" % (name, nfiles, b, s, 100.0 * s / max(1, b), x, nbad))
        for rid, r in rows.items():
            total[rid].update(r)
        for rid, v in missed.items():
            all_missed[rid] += v
        for rid, v in extra.items():
            all_extra[rid] += v

    print("   %s; vibeguard scan --profile bandit --select B" % version)
    print("   %-6s %7s %7s %7s %7s %7s %8s" % ("rule", "bandit", "same", "missed", "extra", "unparsd", "agree"))
    ids = sorted(total, key=lambda i: (len(i), i))
    for rid in ids:
        r = total[rid]
        pct = ("%.1f%%" % (100.0 * r["same"] / r["bandit"])) if r["bandit"] else "-"
        print("   %-6s %7d %7d %7d %7d %7d %8s" % (rid, r["bandit"], r["same"], r["bandit"] - r["same"],
                                                 r["extra"], r["unparsed"], pct))
    tb = sum(r["bandit"] for r in total.values())
    ts = sum(r["same"] for r in total.values())
    tx = sum(r["extra"] for r in total.values())
    tu = sum(r["unparsed"] for r in total.values())
    print("   %-6s %7d %7d %7d %7d %7d %7.1f%%" % ("total", tb, ts, tb - ts, tx, tu, 100.0 * ts / max(1, tb)))
    print("   reproduced: %.1f%% of Bandit's findings at the same path, line and id (target 98%%)"
          % (100.0 * ts / max(1, tb)))
    nb = {k: v for k, v in total.items() if k != "B101"}
    nbb = sum(r["bandit"] for r in nb.values())
    nbs = sum(r["same"] for r in nb.values())
    rules = [r["same"] / r["bandit"] for r in total.values() if r["bandit"]]
    tr = sum(r["rated"] for r in total.values())
    print("   of those, with Bandit's severity and confidence too: %d (%.1f%%)" % (tr, 100.0 * tr / max(1, ts)))
    print("   without B101 (asserts are %d of Bandit's %d): %.1f%%; mean of the per-rule rates: %.1f%%"
          % (total["B101"]["bandit"], tb, 100.0 * nbs / max(1, nbb), 100.0 * sum(rules) / max(1, len(rules))))
    if a.details:
        for rid in ids:
            for what, v in (("missed", all_missed.get(rid, [])), ("extra", all_extra.get(rid, []))):
                for p, line, _ in sorted(v)[: a.details]:
                    print("   %s %-6s %s:%d" % (what, rid, p, line))
    if a.json:
        with open(a.json, "w") as fh:
            json.dump({"bandit": version, "rules": {k: dict(v) for k, v in total.items()},
                       "missed": {k: v for k, v in all_missed.items()},
                       "extra": {k: v for k, v in all_extra.items()}}, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
