#!/usr/bin/env python3
"""deps_diff.py - `vibeguard deps` against osv-scanner on the same advisories.

Both tools read the same data offline: the PyPA advisory-database snapshot
in ../shared/data/osv-pypa (YAML).  osv-scanner's offline mode reads a zip
of OSV JSON records per ecosystem from its local database folder
(<dir>/osv-scalibr/PyPI/all.zip, the layout `--download-offline-databases`
leaves), so this script writes one from the snapshot; nothing is fetched.

Two lockfiles:
  synthetic  a poetry.lock of the 500 most popular PyPI names at made-up
             versions (x.y.0: often not a released version)
  released   a requirements.txt pinning, for each package with advisories,
             a version the advisories themselves list (a real release)

For each it prints both tools' (package, advisory) pairs, the agreement,
and every disagreement with its class.  A class this script cannot name is
printed as "unexplained" and makes the exit status 1.

  python3 bench/deps_diff.py [--osv-scanner BIN] [--vg BIN] [--work DIR]
  python3 bench/deps_diff.py --prepare DIR   (write the db and lockfiles only)
"""
import argparse, datetime, glob, json, os, subprocess, sys, tempfile, time, zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SNAP = os.path.join(ROOT, "..", "shared", "data", "osv-pypa", "vulns")


def load_records():
    import yaml  # Debian's python3-yaml; only this bench needs it
    recs = {}
    for f in sorted(glob.glob(os.path.join(SNAP, "*", "*.yaml"))):
        with open(f) as fh:
            d = yaml.safe_load(fh)
        recs[d["id"]] = d
    return recs


def jsonable(o):
    if isinstance(o, dict):
        return {k: jsonable(v) for k, v in o.items()}
    if isinstance(o, list):
        return [jsonable(v) for v in o]
    if isinstance(o, datetime.datetime):
        return o.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(o, datetime.date):
        return o.strftime("%Y-%m-%dT00:00:00Z")
    return o


def prepare(work, recs):
    db = os.path.join(work, "db", "osv-scalibr", "PyPI")
    os.makedirs(db, exist_ok=True)
    with zipfile.ZipFile(os.path.join(db, "all.zip"), "w", zipfile.ZIP_DEFLATED) as z:
        for rid, d in recs.items():
            z.writestr(rid + ".json", json.dumps(jsonable(d)))
    names = [l.split("\t")[0].strip() for l in open(os.path.join(ROOT, "data", "pypi-names.txt"))][:500]
    os.makedirs(os.path.join(work, "synthetic"), exist_ok=True)
    with open(os.path.join(work, "synthetic", "poetry.lock"), "w") as f:
        for i, n in enumerate(names):
            f.write('[[package]]\nname = "%s"\nversion = "%d.%d.0"\n\n' % (n, i % 3, i % 10))
    # a released, affected version per package: the middle of the first
    # affected entry's version list, so ranges and lists both apply
    pins = {}
    for rid in sorted(recs):
        for a in recs[rid].get("affected") or []:
            name = a["package"]["name"].lower()
            vs = [str(v) for v in a.get("versions") or []]
            if name not in pins and vs:
                pins[name] = vs[len(vs) // 2]
    os.makedirs(os.path.join(work, "released"), exist_ok=True)
    with open(os.path.join(work, "released", "requirements.txt"), "w") as f:
        for n in sorted(pins):
            f.write("%s==%s\n" % (n, pins[n]))
    return len(pins)


def timed(cmd, out):
    t = time.time()
    with open(out, "w") as fh:
        r = subprocess.run(cmd, stdout=fh, stderr=subprocess.DEVNULL)
    return time.time() - t, r.returncode


def run_vg(vg, folder, out):
    best = None
    for _ in range(3):
        w, _ = timed([vg, "deps", folder, "--format", "json"], out)
        best = w if best is None else min(best, w)
    d = json.load(open(out))
    pairs = {}
    for x in d["dependencies"]:
        for v in x["vulns"]:
            pairs[(x["name"].lower(), v["id"])] = x["version"]
    return pairs, best


def run_osv(osv, work, lockfile, out):
    best = None
    for _ in range(3):
        w, _ = timed([osv, "scan", "source", "--offline", "--local-db-path", os.path.join(work, "db"),
                      "--format", "json", "-L", lockfile], out)
        best = w if best is None else min(best, w)
    d = json.load(open(out))
    pairs = set()
    for r in d.get("results") or []:
        for p in r.get("packages") or []:
            for v in p.get("vulnerabilities") or []:
                pairs.add((p["package"]["name"].lower(), v["id"]))
    return pairs, best


def classify(key, version, recs):
    """Why osv-scanner leaves out a pair vibeguard reports."""
    name, rid = key
    for a in recs[rid].get("affected") or []:
        if a["package"]["name"].lower() != name:
            continue
        rs = a.get("ranges") or []
        if version not in [str(v) for v in a.get("versions") or []] and rs and rs[0]["type"] == "GIT" \
                and any(r["type"] == "ECOSYSTEM" for r in rs):
            return "osv-scanner: a GIT range before the ECOSYSTEM range ends its range check"
        raw = a["package"]["name"]
        if raw != raw.lower().replace(".", "-").replace("_", "-"):
            return "osv-scanner: matches the PEP 503 name of the requirement against the advisory's name as written"
    return "unexplained"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vg", default=os.path.join(ROOT, "build", "vibeguard"))
    ap.add_argument("--osv-scanner", default=os.path.join(os.environ.get("PEERS_DIR", "/work/scratch"), "go", "bin", "osv-scanner"))
    ap.add_argument("--work")
    ap.add_argument("--prepare")
    a = ap.parse_args()
    recs = load_records()
    if a.prepare:
        prepare(a.prepare, recs)
        return 0
    if not os.access(a.osv_scanner, os.X_OK):
        print("   osv-scanner not installed (scripts/install-peers.sh osv-scanner)")
        return 0
    if not a.work:
        with tempfile.TemporaryDirectory(prefix="vg-deps-diff.") as work:
            return compare(a, recs, work)
    os.makedirs(a.work, exist_ok=True)
    return compare(a, recs, a.work)


def compare(a, recs, work):
    npins = prepare(work, recs)
    print("   %d advisories (PyPA snapshot), osv-scanner %s" % (len(recs), subprocess.run(
        [a.osv_scanner, "--version"], capture_output=True, text=True).stdout.split("\n")[0].split()[-1]))
    bad = 0
    for label, folder, lock in (("synthetic (500 names, x.y.0)", "synthetic", "poetry.lock"),
                                ("released (%d pins)" % npins, "released", "requirements.txt")):
        vg, vt = run_vg(a.vg, os.path.join(work, folder), os.path.join(work, folder + ".vg.json"))
        osv, ot = run_osv(a.osv_scanner, work, os.path.join(work, folder, lock), os.path.join(work, folder + ".osv.json"))
        both = set(vg) & osv
        print("   %-30s vibeguard %4d  osv-scanner %4d  both %4d   wall %.2f s vs %.2f s (%.1fx)" % (
            label, len(vg), len(osv), len(both), vt, ot, ot / vt if vt else 0))
        why = {}
        for k in sorted(set(vg) - osv):
            why.setdefault(classify(k, vg[k], recs), []).append(k)
        for k in sorted(osv - set(vg)):
            why.setdefault("unexplained (osv-scanner only)", []).append(k)
        for w, ks in sorted(why.items()):
            print("      %4d only one side: %s  e.g. %s" % (len(ks), w, ", ".join("%s %s" % k for k in ks[:3])))
            if w.startswith("unexplained"):
                bad += len(ks)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
