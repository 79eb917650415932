#!/usr/bin/env bash
# bandit.sh - `vibeguard scan --select B,VG` against `bandit -r` on
# the Python standard library (the .py files of the stdlib, site-packages
# left out, copied to a scratch tree so both tools read exactly the same
# files).  One run each, wall time and peak RSS from /usr/bin/time -v, then
# a table rule by rule: Bandit's count, ours.  Numbers only; nothing fails.
set -u
cd "$(dirname "$0")/.."
: "${VG:=$PWD/build/vibeguard}"
STDLIB=${STDLIB:-$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')}
# Bandit's current release from PyPI in /work/scratch/bandit (docs/bandit.md),
# else Debian's
BANDIT=${BANDIT:-$(command -v /work/scratch/bandit/bin/bandit || command -v bandit)}
if [ -z "$BANDIT" ]; then echo "   bandit is not installed (apt-get install bandit)"; exit 0; fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/vg-bench-bandit.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

corpus=$TMP/stdlib
mkdir -p "$corpus"
(cd "$STDLIB" && find . -path ./site-packages -prune -o -name '*.py' -print0 | tar --null -T - -cf -) | tar -C "$corpus" -xf -
files=$(find "$corpus" -name '*.py' | wc -l)
bytes=$(find "$corpus" -name '*.py' -print0 | du -cb --files0-from=- | tail -1 | cut -f1)
echo "   corpus: $files .py files, $((bytes / 1048576)) MB from $STDLIB (site-packages excluded)"

measure() { # name out-file command...: runs once under /usr/bin/time -v
  local name=$1 out=$2; shift 2
  /usr/bin/time -v "$@" >"$out" 2>"$TMP/$name.time"
  local wall rss cpu
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$TMP/$name.time")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$TMP/$name.time")
  cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$TMP/$name.time")
  echo "$wall $rss $cpu"
}

echo "   load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared; CPU time is the steadier figure)"
read -r vg_wall vg_rss vg_cpu < <(measure vibeguard "$TMP/vg.json" "$VG" scan --format json --select B,VG --no-color "$corpus")
echo "   vibeguard scan --select B,VG ($(nproc) cores): ${vg_wall} wall, ${vg_cpu} s CPU, $((vg_rss / 1024)) MB peak RSS"
read -r b_wall b_rss b_cpu < <(measure bandit "$TMP/bandit.out" "$BANDIT" -r -q -f json -o "$TMP/bandit.json" "$corpus")
echo "   bandit -r -q ($("$BANDIT" --version 2>/dev/null | head -1)): ${b_wall} wall, ${b_cpu} s CPU, $((b_rss / 1024)) MB peak RSS"

/usr/bin/python3 - "$TMP/vg.json" "$TMP/bandit.json" "$vg_wall" "$b_wall" "$vg_rss" "$b_rss" "$vg_cpu" "$b_cpu" <<'PY'
import collections, json, sys
vg_path, b_path, vg_wall, b_wall, vg_rss, b_rss, vg_cpu, b_cpu = sys.argv[1:]
def secs(s):
    parts = [float(p) for p in s.split(":")]
    t = 0.0
    for p in parts:
        t = t * 60 + p
    return t
try:
    vg = json.load(open(vg_path)).get("findings", [])
except Exception as e:
    vg = []
    print("   (vibeguard JSON unreadable: %s)" % e)
try:
    bd = json.load(open(b_path))
except Exception as e:
    bd = {}
    print("   (bandit JSON unreadable: %s)" % e)
ours = collections.Counter(f["rule_id"] for f in vg)
theirs = collections.Counter(r["test_id"] for r in bd.get("results", []))
berr = len(bd.get("errors", []))
vs, bs = secs(vg_wall), secs(b_wall)
if vs > 0:
    print("   speed: %.1fx faster than Bandit in wall time, %.1fx in CPU time; peak RSS %.2fx Bandit's"
          % (bs / vs, float(b_cpu) / max(0.01, float(vg_cpu)), int(vg_rss) / max(1, int(b_rss))))
print("   files Bandit could not parse: %d" % berr)
print("   %-8s %8s %8s" % ("rule", "bandit", "ours"))
ids = sorted(set(ours) | set(theirs), key=lambda i: (i[:2] != "B", i))
for i in ids:
    print("   %-8s %8d %8d" % (i, theirs.get(i, 0), ours.get(i, 0)))
print("   %-8s %8d %8d" % ("total", sum(theirs.values()), sum(ours.values())))
PY
