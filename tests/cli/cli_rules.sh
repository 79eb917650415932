#!/usr/bin/env bash
# cli_rules.sh - 'vibeguard rules': the table, one rule in detail, JSON with
# every rule's metadata, prefixes, errors.
. "$(dirname "$0")/../lib.sh"

check_exit 0 "rules lists" "$VG" rules
check_grep "rules: header" '^ID +SEVERITY +CONF +CWE +OWASP +TITLE' "$TMP/.out"
check_grep "rules: a count at the end" '^[0-9]+ rules$' "$TMP/.out"
n=$(tail -n 1 "$TMP/.out" | cut -d' ' -f1)
[ "${n:-0}" -gt 0 ] && pass || fail "rules: no rule registered"
grep -q '^B602 ' "$TMP/.out" && pass || fail "rules: B602 not registered (python rules missing)"
grep -q '^secret:' "$TMP/.out" && pass || fail "rules: no secret:* rule registered (secrets missing)"

check_exit 0 "rules --format json" "$VG" rules --format json
cp "$TMP/.out" "$TMP/rules.json"
check "rules json: every rule has all metadata" /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
rules = d["rules"]
assert len(rules) == int(sys.argv[2]), (len(rules), sys.argv[2])
ids = [r["id"] for r in rules]
assert ids == sorted(ids) and len(set(ids)) == len(ids), "ids not sorted/unique"
for r in rules:
    for k in ("id","title","severity","confidence","cwe","owasp","analyzer","description","fix","references"):
        assert k in r, (r["id"], k)
    assert r["severity"] in ("low","medium","high","critical"), r
    assert r["confidence"] in ("low","medium","high"), r
    assert all(isinstance(c, int) and c > 0 for c in r["cwe"]), r
' "$TMP/rules.json" "$n"

check_exit 0 "rules B602 (one rule in detail)" "$VG" rules B602
check_grep "detail: title line" '^B602  ' "$TMP/.out"
check_grep "detail: CWE" 'CWE: +CWE-78' "$TMP/.out"
check_grep "detail: fix" '^  fix: ' "$TMP/.out"
check_exit 0 "rules B6 (prefix)" "$VG" rules B6
check_nogrep "prefix keeps only B6xx" '^(B[^6]|VG|secret)' "$TMP/.out"
check_exit 0 "rules secret --format json" "$VG" rules secret --format json
check "family filter in json" /usr/bin/python3 -c '
import json,sys; r=json.load(open(sys.argv[1]))["rules"]; assert r and all(x["id"].startswith("secret:") for x in r)' "$TMP/.out"
check_exit 2 "unknown rule exits 2" "$VG" rules NOPE999
check_grep "unknown rule named" "no rule matches 'NOPE999'" "$TMP/.err"
check_exit 2 "unknown flag exits 2" "$VG" rules --bogus
check_exit 2 "bad format exits 2" "$VG" rules --format sarif
check_exit 0 "rules --help" "$VG" rules --help
check_grep "rules --help shows usage" '^usage: vibeguard rules' "$TMP/.out"
done_tests
