#!/usr/bin/env bash
# fixtures.sh - every fixture folder through the one runner,
# tests/fixture_check.py (the protocol is written there): inline
# `# expect: ID` / `# ok` in code, a NAME.expect sidecar beside every other
# file, each suite scanned with the real CLI and checked both ways (every
# expectation found, nothing else reported).  Prints each suite's recall
# and precision.
. "$(dirname "$0")/../lib.sh"
/usr/bin/python3 tests/fixture_check.py "$VG" >"$TMP/results" 2>"$TMP/err"
rc=$?
[ "$rc" = 0 ] || fail "fixture_check.py exited $rc: $(head -c 400 "$TMP/err")"
while IFS= read -r line; do
  case "$line" in
    "PASS "*) pass ;;
    "FAIL "*) fail "${line#FAIL }" ;;
    "STAT "*) echo "${line#STAT }" ;;
  esac
done <"$TMP/results"
[ "$T_PASS" -gt 0 ] || fail "the fixture runner checked nothing"
done_tests
