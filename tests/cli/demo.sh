#!/usr/bin/env bash
# demo.sh - the example project examples/ai-app/ lights up as EXPECTED.md says,
# and with nothing else.  Each row of EXPECTED.md's table must be an issue in
# the default report, and each (row, rule) pair is one check: the rule must
# report a finding (or be merged into one) in that file within that range.
# The complete set of (path, line, rule) must equal tests/golden/example.findings,
# so a new false alarm fails too.  The scan must also exit 1 (findings) and
# render every output format.
. tests/lib.sh
cd examples/ai-app || exit 1
"$VG" scan . --format json -o "$TMP/demo.json" 2>"$TMP/err"; rc=$?
if [ "$rc" = 1 ]; then pass; else fail "scan of the demo exits 1 (got $rc): $(head -c 300 "$TMP/err")"; fi
"$VG" scan . --profile audit --format json -o "$TMP/audit.json" 2>>"$TMP/err"
# every row is shown as an issue by the default profile; every rule the row
# names matches there (audit profile: review items too; a rule merged into
# another finding of the same problem counts, see related_rules)
/usr/bin/python3 - "$TMP/demo.json" "$TMP/audit.json" EXPECTED.md <<'PY' >"$TMP/checks" 2>&1
import json, re, sys
shown = json.load(open(sys.argv[1]))["findings"]
found = json.load(open(sys.argv[2]))["findings"]
def at(f, path, lo, hi):
    return f["path"] == path and lo <= f["line"] <= hi
for row in open(sys.argv[3], encoding="utf-8"):
    m = re.match(r"\|\s*(\d+)\s*\|[^|]*\|\s*`([^`:]+):(\d+)(?:-(\d+))?`\s*\|(.*)\|\s*$", row)
    if not m:
        continue
    n, path, lo, hi, rules = m.group(1), m.group(2), int(m.group(3)), int(m.group(4) or m.group(3)), m.group(5)
    ok = any(at(f, path, lo, hi) and f["tier"] == "issue" for f in shown)
    print(("PASS" if ok else "FAIL"), f"row {n}: an issue at {path}:{lo}-{hi} in the default report")
    for rule in re.findall(r"`([^`]+)`", rules):
        ok = any(at(f, path, lo, hi) and rule in [f["rule_id"]] + f.get("related_rules", []) for f in found)
        print(("PASS" if ok else "FAIL"), f"row {n}: {rule} at {path}:{lo}-{hi}")
PY
while read -r verdict rest; do
  if [ "$verdict" = PASS ]; then pass; else fail "$verdict $rest"; fi
done < "$TMP/checks"
[ -s "$TMP/checks" ] || fail "EXPECTED.md yielded no checks"
# the complete set, both ways (tests/fixture_check.py --list)
/usr/bin/python3 "$T_ROOT/tests/fixture_check.py" "$VG" --list "$T_ROOT/tests/golden/example.findings" . \
  >"$TMP/set" 2>"$TMP/set.err" || fail "fixture_check.py --list failed: $(head -c 300 "$TMP/set.err")"
while IFS= read -r line; do
  case "$line" in
    "PASS "*) pass ;;
    "FAIL "*) fail "complete set: ${line#FAIL }" ;;
    "STAT "*) echo "${line#STAT }" ;;
  esac
done <"$TMP/set"
grep -q '^PASS ' "$TMP/set" || fail "the complete-set comparison checked nothing"
for fmt in text sarif html; do
  check_exit 1 "demo renders as $fmt" "$VG" scan . --format "$fmt" -o "$TMP/demo.$fmt"
done
check_grep "text report names the SQL finding" "B608" "$TMP/demo.text"
check_nogrep "secrets are masked in the text report" "Sup3rS3cretPassw0rd" "$TMP/demo.text"
check_json "secrets are masked in the JSON report" "$TMP/demo.json" '"Sup3rS3cretPassw0rd" not in raw and F'
check_json "secrets are masked in the SARIF report" "$TMP/demo.sarif" '"Sup3rS3cretPassw0rd" not in raw and d["runs"][0]["results"]' 
done_tests
