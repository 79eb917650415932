#!/usr/bin/env bash
# taint.sh - what the taint engine costs: `vibeguard scan --select B,VG` on
# the Python standard library (site-packages excluded, copied to a scratch
# tree), once with taint and once with --no-taint, on all cores and on one.
# Prints wall times, the ratio (target: taint adds less than 50%) and how
# many taint findings the run produced.  Numbers only; nothing fails.
set -u
cd "$(dirname "$0")/.."
: "${VG:=$PWD/build/vibeguard}"
STDLIB=${STDLIB:-$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/vg-bench-taint.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

corpus=$TMP/stdlib
mkdir -p "$corpus"
(cd "$STDLIB" && find . -path ./site-packages -prune -o -name '*.py' -print0 | tar --null -T - -cf -) |
  tar -C "$corpus" -xf -
files=$(find "$corpus" -name '*.py' | wc -l)
bytes=$(find "$corpus" -name '*.py' -print0 | du -cb --files0-from=- | tail -1 | cut -f1)
echo "   corpus: $files .py files, $((bytes / 1048576)) MB (site-packages excluded)"

secs() { # command...: "wall cpu" seconds of one run (cpu = user + sys)
  /usr/bin/time -f "%e %U %S" -o "$TMP/time" "$@" >"$TMP/out" 2>/dev/null
  tail -n 1 "$TMP/time" | awk '{printf "%.2f %.2f", $1, $2 + $3}'
}

for jobs in 0 1; do
  label=$([ "$jobs" = 0 ] && echo "all cores" || echo "1 job")
  # warm the page cache once, then one run each way
  "$VG" scan --select B,VG --format json --jobs "$jobs" --no-taint "$corpus" >/dev/null 2>&1
  off=$(secs "$VG" scan --select B,VG --format json --jobs "$jobs" --no-taint "$corpus")
  on=$(secs "$VG" scan --select B,VG --format json --jobs "$jobs" "$corpus")
  n=$(/usr/bin/python3 -c 'import json,sys; print(sum(1 for f in json.load(open(sys.argv[1]))["findings"] if f["rule_id"].startswith("VG7")))' "$TMP/out" 2>/dev/null || echo "?")
  echo "$off $on $n" | awk -v l="$label" '{printf "   %-9s  --no-taint %6.2f s (cpu %6.2f s)   taint %6.2f s (cpu %6.2f s)   taint adds %5.1f%% wall, %5.1f%% cpu   (%s taint findings)\n", l, $1, $2, $3, $4, ($1 > 0 ? 100 * ($3 - $1) / $1 : 0), ($2 > 0 ? 100 * ($4 - $2) / $2 : 0), $5}'
done
echo "   target: taint adds < 50%"
