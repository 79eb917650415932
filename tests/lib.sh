# lib.sh - helpers for shell tests (tests/cli/*.sh).  Source it; each test
# script runs from the repository root with $VG set to the test binary,
# calls check/check_* for each assertion and ends with `done_tests`.
# Scratch files go under $TMP, removed on exit.
set -u
: "${VG:=build/test/vibeguard}"
T_NAME=$(basename "$0" .sh)
T_PASS=0
T_FAIL=0
T_SKIP=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/vg-$T_NAME.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export NO_COLOR=1

pass() { T_PASS=$((T_PASS + 1)); }
fail() { T_FAIL=$((T_FAIL + 1)); echo "FAIL [$T_NAME]: $*" >&2; }
# skip REASON: a check that could not run here; counted and listed by the
# runner, never as a pass
skip() { T_SKIP=$((T_SKIP + 1)); echo "SKIP [$T_NAME]: $*" >&2; }
# The reference data beside the checkout: $VG_SHARED_DATA (relative to the
# repository root), else ../shared/data; always an absolute path.
T_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
case ${VG_SHARED_DATA:-} in
  "") VG_SHARED=$T_ROOT/../shared/data ;;
  /*) VG_SHARED=$VG_SHARED_DATA ;;
  *) VG_SHARED=$T_ROOT/$VG_SHARED_DATA ;;
esac
# skip_shared REASON: a check whose data under $VG_SHARED is absent: a
# counted skip, or a failure when VG_REQUIRE_SHARED=1 (.ci/run sets it)
skip_shared() {
  if [ "${VG_REQUIRE_SHARED:-0}" = 1 ]; then
    fail "$* (VG_REQUIRE_SHARED=1: the shared data must be present)"
  else
    skip "$*"
  fi
}
# skip_tool REASON: a check whose test-only tool (chromium, ...) is not
# installed here: a counted skip, or a failure in CI (CI=true, or
# VG_REQUIRE_SHARED=1 as .ci/run sets), where scripts/install-deps.sh
# installs it
skip_tool() {
  if [ "${VG_REQUIRE_SHARED:-0}" = 1 ] || [ "${CI:-}" = true ]; then
    fail "$* (CI: scripts/install-deps.sh must have installed it)"
  else
    skip "$*"
  fi
}

# check DESCRIPTION COMMAND...: the command must exit 0
# chromium_setup WHAT: find Chromium ($VG_CHROMIUM, else on PATH) and the
# flags tests/html_browser.py runs it with; without it, a skip_tool naming
# WHAT (what could not be checked) and the test ends there.
chromium_setup() {
  CHROMIUM=${VG_CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
  if [ -z "$CHROMIUM" ] || [ ! -x "$CHROMIUM" ]; then
    skip_tool "chromium not installed (apt-get install chromium): $1"
    done_tests
    exit
  fi
  mapfile -t CHROMIUM_FLAGS < <(python3 "$T_ROOT/tests/html_browser.py" --flags)
  CHROMIUM_NONET=()   # a network namespace of its own where that works (as html_browser.py)
  unshare -n true 2>/dev/null && CHROMIUM_NONET=(unshare -n)
}
# chromium_dom URL OUT: the DOM of URL after the page's script ran, into OUT
# (Chromium's stderr into OUT.err), with a fresh profile
chromium_dom() {
  local prof
  prof=$(mktemp -d "$TMP/chromium.XXXXXX")
  "${CHROMIUM_NONET[@]}" "$CHROMIUM" "${CHROMIUM_FLAGS[@]}" --user-data-dir="$prof" --dump-dom "$1" >"$2" 2>"$2.err"
}
check() { local d=$1; shift; if "$@" >/dev/null 2>&1; then pass; else fail "$d"; fi; }
# check_exit WANT DESCRIPTION COMMAND...: the command must exit WANT
check_exit() {
  local want=$1 d=$2; shift 2
  "$@" >"$TMP/.out" 2>"$TMP/.err"; local rc=$?
  if [ "$rc" = "$want" ]; then pass; else fail "$d (exit $rc, want $want): $(head -c 400 "$TMP/.err")"; fi
}
# check_grep DESCRIPTION PATTERN FILE: extended regex must match in FILE
# (text output; a JSON report is asserted on parsed, with check_json)
check_grep() { if grep -Eq -- "$2" "$3"; then pass; else fail "$1 (no /$2/ in $3)"; fi; }
check_nogrep() { if grep -Eq -- "$2" "$3"; then fail "$1 (/$2/ found in $3)"; else pass; fi; }
# check_json DESCRIPTION FILE EXPR: the Python expression EXPR holds on the
# parsed JSON report FILE (tests/jcheck.py: d, F, E, found(), ids(), at())
check_json() {
  local why
  if why=$(/usr/bin/python3 "$T_ROOT/tests/jcheck.py" "$2" "$3" 2>&1); then pass; else fail "$1: $why"; fi
}
done_tests() { echo "RESULT $T_NAME $T_PASS $T_FAIL $T_SKIP"; [ "$T_FAIL" = 0 ]; }
