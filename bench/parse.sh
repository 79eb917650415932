#!/usr/bin/env bash
# parse.sh - Python parsing speed: `vibeguard debug parse --jobs 1` against
# CPython's own ast.parse, single-threaded, over the same files (every .py
# of the standard library outside site-packages).  Both read all files
# into memory first and time the parsing only.  Prints MB/s and the ratio.
set -u
cd "$(dirname "$0")/.."
VG=${VG:-build/vibeguard}
PY=${PYTHON:-python3}
STDLIB=${STDLIB:-$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')}
list=$(mktemp "${TMPDIR:-/tmp}/vg-bench-parse.XXXXXX")
trap 'rm -f "$list"' EXIT
find "$STDLIB" -name '*.py' -not -path '*/site-packages/*' | LC_ALL=C sort > "$list"

cpy=$("$PY" - "$list" <<'PYEOF'
import ast, sys, time, warnings
warnings.simplefilter("ignore")
srcs = []
for p in open(sys.argv[1]).read().split("\n"):
    if p:
        with open(p, "rb") as f:
            srcs.append(f.read())
ok = []
for s in srcs:          # keep only what CPython parses (same bytes are timed below)
    try:
        ast.parse(s)
        ok.append(s)
    except (SyntaxError, ValueError):
        pass
n = sum(len(s) for s in ok)
t0, c0 = time.perf_counter(), time.process_time()
for s in ok:
    ast.parse(s)
dt, cpu = time.perf_counter() - t0, time.process_time() - c0
print("%d %d %.3f %.2f %.3f %.2f" % (len(ok), n, dt, n / 1e6 / dt, cpu, n / 1e6 / cpu))
PYEOF
)
read -r cfiles cbytes csecs cmbs ccpu ccmbs <<< "$cpy"
echo "CPython $("$PY" -c 'import platform; print(platform.python_version())') ast.parse: $cfiles files, $cbytes bytes, ${csecs}s wall ($cmbs MB/s), ${ccpu}s cpu ($ccmbs MB/s)"

out=$(xargs "$VG" debug parse --jobs 1 < "$list" | tail -n 9)
vfiles=$(sed -n 's/^files: //p' <<< "$out")
vbytes=$(sed -n 's/^bytes: //p' <<< "$out")
vsecs=$(sed -n 's/^seconds: //p' <<< "$out")
vmbs=$(sed -n 's/^MB\/s: //p' <<< "$out")
verr=$(sed -n 's/^parse errors: //p' <<< "$out")
vcpu=$(sed -n 's/^cpu seconds: //p' <<< "$out")
vcmbs=$(sed -n 's/^MB\/s per cpu second: //p' <<< "$out")
echo "vibeguard debug parse --jobs 1: $vfiles files, $vbytes bytes, ${vsecs}s wall ($vmbs MB/s), ${vcpu}s cpu ($vcmbs MB/s) (parse errors: $verr)"
out2=$(xargs "$VG" debug parse --jobs "$(nproc)" < "$list" | tail -n 9)
echo "vibeguard debug parse --jobs $(nproc): $(sed -n 's/^MB\/s: //p' <<< "$out2") MB/s wall"
awk -v v="$vmbs" -v c="$cmbs" -v vc="$vcmbs" -v cc="$ccmbs" 'BEGIN {
  if (c > 0) printf "ratio (single thread, wall): %.1fx CPython (target >= 5x)\n", v / c
  if (cc > 0) printf "ratio (single thread, cpu time): %.1fx CPython\n", vc / cc }'
