#!/usr/bin/env bash
# run.sh - run every test tier and print one closing line
# "N passed, N failed, N skipped", with the reason for every skip above it.
#
# Each component (unit binary, CLI script, fuzz smoke run, fixture suite)
# prints "RESULT <name> <passed> <failed> [<skipped>]" and one "SKIP [...]:
# reason" line on stderr per skip; a component that crashes or prints no
# RESULT line counts as one failure.  Run from the repo root.
set -u
cd "$(dirname "$0")/.."
B=${VG_BUILD:-build}
export VG="$PWD/$B/test/vibeguard"
export VG_ROOT="$PWD"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
passed=0 failed=0 skipped=0
log=$(mktemp -d "${TMPDIR:-/tmp}/vg-tests.XXXXXX")
trap 'rm -rf "$log"' EXIT
: >"$log/skips"

component() { # name command...
  local name=$1; shift
  local t0=$SECONDS
  "$@" >"$log/out" 2>"$log/err"; local rc=$?
  local line
  line=$(grep -E '^RESULT ' "$log/out" | tail -n 1)
  if [ -z "$line" ]; then
    failed=$((failed + 1))
    printf '  %-28s CRASHED (exit %d, no RESULT line)\n' "$name" "$rc"
    tail -n 20 "$log/err" | sed 's/^/      /'
    return
  fi
  local p f s
  p=$(grep -E '^RESULT ' "$log/out" | awk '{p+=$3} END {print p+0}')
  f=$(grep -E '^RESULT ' "$log/out" | awk '{f+=$4} END {print f+0}')
  s=$(grep -E '^RESULT ' "$log/out" | awk '{s+=$5} END {print s+0}')
  if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; fi
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
  grep -hE '^SKIP ' "$log/out" "$log/err" | sed "s|^|$name: |" >>"$log/skips"
  printf '  %-28s %6d passed %4d failed %3d skipped  (%ds)\n' "$name" "$p" "$f" "$s" $((SECONDS - t0))
  if [ "$f" != 0 ]; then grep -v '^RESULT ' "$log/err" | head -n 40 | sed 's/^/      /'; fi
}

echo "== unit tests"
for t in "$B"/test/unit/test_*; do
  [ -x "$t" ] || continue
  component "$(basename "$t")" "$t"
done
echo "== CLI and fixture tests"
for t in tests/cli/*.sh; do
  [ -f "$t" ] || continue
  component "$(basename "$t" .sh)" bash "$t"
done
echo "== hostile inputs"
for t in tests/hostile/*.sh; do
  [ -f "$t" ] || continue
  component "$(basename "$t" .sh)" bash "$t"
done
echo "== fuzz smoke runs"
component "fuzz" bash tests/fuzz/run.sh smoke

if [ -s "$log/skips" ]; then
  echo "== skipped"
  sed 's/^/  /' "$log/skips"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
