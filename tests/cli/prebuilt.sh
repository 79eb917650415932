#!/usr/bin/env bash
# prebuilt.sh - the Hyperscan databases compiled at build time
# (tools/hsgen.c): a scan, `scan --no-pii`, `pii` and `redact` with an empty
# cache compile nothing (no database is written to the cache), and still
# find what they should; a user rule set is compiled and cached as before.
# The count of cache files is the measure of work: no timing here.
. "$(dirname "$0")/../lib.sh"
export XDG_CACHE_HOME=$TMP/cache
C=$XDG_CACHE_HOME/vibeguard
ncache() { find "$C" -name 'hs-*.db' 2>/dev/null | wc -l; }
K=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   # synthetic, with a valid CRC32 suffix
mkdir -p "$TMP/src"
printf 'TOKEN = "%s"\n' "$K" >"$TMP/src/app.py"

"$VG" scan --format json -o "$TMP/a.json" "$TMP/src" >/dev/null 2>&1
check_json "cold scan finds the token" "$TMP/a.json" 'len(found(rule="secret:github-pat")) == 1'
check "cold scan compiled nothing" test "$(ncache)" = 0
"$VG" scan --no-pii --format json -o "$TMP/b.json" "$TMP/src" >/dev/null 2>&1
check_json "scan --no-pii finds the token" "$TMP/b.json" 'len(found(rule="secret:github-pat")) == 1'
check "scan --no-pii compiled nothing" test "$(ncache)" = 0
printf 'mail jane.roe@example.org\n' | "$VG" pii --format json >"$TMP/p.json" 2>/dev/null
check "pii finds the address" /usr/bin/python3 -c \
  "import json,sys; sys.exit(not any(e['type'] == 'EMAIL_ADDRESS' for e in json.load(open('$TMP/p.json'))['entities']))"
printf 'TOKEN = "%s"\n' "$K" | "$VG" redact >"$TMP/r.out" 2>/dev/null
check_nogrep "redact replaces the token" "$K" "$TMP/r.out"
check "pii and redact compiled nothing" test "$(ncache)" = 0

# a user rule: not in the prebuilt set, compiled once, then cached
cat >"$TMP/rules.toml" <<'T'
[[rules]]
id = "acme-key"
description = "ACME API key"
regex = '''acme_[a-z0-9]{24}'''
keywords = ["acme_"]
T
printf 'k = "acme_q8v3n7x2m5k9w4r1t6y0p3s8"\n' >"$TMP/src/acme.py"
"$VG" scan --secrets-config "$TMP/rules.toml" --format json -o "$TMP/c.json" "$TMP/src" >/dev/null 2>&1
check_json "the user rule finds its key" "$TMP/c.json" 'len(found(rule="secret:acme-key")) == 1'
check "a user rule set is compiled and cached" test "$(ncache)" = 1
"$VG" scan --secrets-config "$TMP/rules.toml" --format json -o "$TMP/d.json" "$TMP/src" >/dev/null 2>&1
check_json "and found again from the cache" "$TMP/d.json" 'len(found(rule="secret:acme-key")) == 1'
check "the cache is reused, not added to" test "$(ncache)" = 1
done_tests
