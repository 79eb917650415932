#!/usr/bin/env bash
# deps.sh - dependency audit: time to index the OSV snapshot
# (../shared/data/osv-pypa, 2,661 YAML records) once, and to audit a
# generated 500-package lockfile once the index exists (target < 50 ms),
# with the built-in index and with the on-disk one.
set -u
cd "$(dirname "$0")/.."
VG=${VG:-build/vibeguard}
SRC=${OSV_SRC:-../shared/data/osv-pypa}
T=$(mktemp -d "${TMPDIR:-/tmp}/vg-bench-deps.XXXXXX")
trap 'rm -rf "$T"' EXIT
export XDG_CACHE_HOME="$T/cache"
if [ ! -d "$SRC" ]; then echo "   skip: $SRC absent"; exit 0; fi
cp -r "$SRC" "$T/osv"
mkdir -p "$T/empty" "$T/py" "$T/npm"

ms() { python3 -c "import sys; print('%.1f' % ((int(sys.argv[2]) - int(sys.argv[1])) / 1e6))" "$1" "$2"; }

# index build (first use of the database), then a reuse
t0=$(date +%s%N); "$VG" deps "$T/empty" --osv-db "$T/osv" >/dev/null 2>&1; t1=$(date +%s%N)
"$VG" deps "$T/empty" --osv-db "$T/osv" >/dev/null 2>&1; t2=$(date +%s%N)
echo "   index build: $(ms $t0 $t1) ms for $(find "$T/osv" -name '*.yaml' | wc -l) records -> $(wc -c <"$T/osv.vgidx") bytes; reuse: $(ms $t1 $t2) ms"

# a 500-package poetry.lock (popular names, old versions: many advisories) and package-lock.json
python3 - "$T" <<'P'
import sys, os
t = sys.argv[1]
py = [l.split('\t')[0].strip() for l in open('data/pypi-names.txt')][:500]
with open(os.path.join(t, 'py', 'poetry.lock'), 'w') as f:
    for i, n in enumerate(py):
        f.write('[[package]]\nname = "%s"\nversion = "%d.%d.0"\n\n' % (n, i % 3, i % 10))
npm = [l.strip() for l in open('data/npm-names.txt')][:500]
with open(os.path.join(t, 'npm', 'package-lock.json'), 'w') as f:
    f.write('{"lockfileVersion": 3, "packages": {"": {},\n')
    f.write(',\n'.join('"node_modules/%s": {"version": "1.%d.0"}' % (n, i % 7) for i, n in enumerate(npm)))
    f.write('}}\n')
P
run() { # label args...
  local label=$1; shift
  if command -v hyperfine >/dev/null; then
    hyperfine -N -i --warmup 3 --runs 20 --export-json "$T/h.json" "$*" >/dev/null 2>&1
    python3 -c "
import json; r=json.load(open('$T/h.json'))['results'][0]
print('   %-40s mean %6.1f ms  min %6.1f ms  (hyperfine, 20 runs)' % ('$label', r['mean']*1e3, r['min']*1e3))"
  else
    local a b; a=$(date +%s%N); "$@" >/dev/null 2>&1; b=$(date +%s%N)
    echo "   $label: $(ms $a $b) ms (one run)"
  fi
}
n=$("$VG" deps "$T/py" --format json 2>/dev/null | python3 -c "import json,sys; d=json.load(sys.stdin); print(len(d['dependencies']), sum(1 for x in d['dependencies'] if x['vulns']))")
echo "   poetry.lock: ${n% *} packages, ${n#* } with advisories (built-in index)"
run "audit 500-pkg poetry.lock, built-in index" "$VG" deps "$T/py"
run "audit 500-pkg poetry.lock, indexed osv-pypa" "$VG" deps "$T/py" --osv-db "$T/osv"
run "audit 500-pkg package-lock.json" "$VG" deps "$T/npm"
run "vibeguard version (process start)" "$VG" version
# CPU time is steadier than wall time on a shared machine
if command -v perf >/dev/null && perf stat -r 1 true >/dev/null 2>&1; then
  for what in "$T/py" "$T/npm"; do
    tc=$(perf stat -r 20 "$VG" deps "$what" 2>&1 >/dev/null | awk '/task-clock/ {print $1}')
    echo "   audit $(basename "$what") lockfile: ${tc} ms CPU (perf stat task-clock, mean of 20)"
  done
fi
echo "   target: audit < 50 ms"
