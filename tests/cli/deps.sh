#!/usr/bin/env bash
# deps.sh - 'vibeguard deps' and the dep: findings of 'scan': the built-in
# advisory index, --osv-db (directory, zip, env), the index cache, typosquats,
# unknown names, allowlists, unsafe sources, and clear errors when the
# network is unreachable (--update-db, --online).
. "$(dirname "$0")/../lib.sh"
FX=tests/fixtures/deps
export XDG_CACHE_HOME="$TMP/cache" HOME="$TMP/home"
unset VIBEGUARD_OSV_DB

# --- the built-in index flags a known-vulnerable pin out of the box
check_exit 1 "deps exits 1 on findings" "$VG" deps "$FX/typo"
"$VG" deps "$FX/app" >"$TMP/app.txt" 2>"$TMP/app.err"
check_grep "table header" '^Name +Version +ID +Fix Versions +Severity +Where' "$TMP/app.txt"
check_grep "flask advisory row" '^flask +0\.12\.2 +PYSEC-2018-66 +0\.12\.3' "$TMP/app.txt"
check_grep "upgrade clearing all" 'upgrade: flask 0\.12\.2 -> 2\.2\.5' "$TMP/app.txt"
check_grep "built-in db named" 'OSV database: built-in PyPA advisory-database snapshot' "$TMP/app.txt"
check_grep "unpinned pyyaml" "requirements.txt:5:1: dep:unpinned .*'pyyaml'" "$TMP/app.txt"
check_grep "-r include followed" '^numpy +1\.16\.0 +PYSEC-2019-108 +1\.16\.1 .*app/base\.in:1$' "$TMP/app.txt"
check_grep "plain http index" 'dep:unsafe-source .*http://mirror.example.com/simple' "$TMP/app.txt"
check_grep "npm typosquat" "dep:typosquat .*'expresss'.*'express'" "$TMP/app.txt"
check_nogrep "pragma silences" "'reqeusts'" "$TMP/app.txt"
check_nogrep "private index: no unknown-package" "zzqxv" "$TMP/app.txt"
check_nogrep "requests 2.31.0 not flagged" "^requests " "$TMP/app.txt"

# --- typosquats that fire, and real names that must not
"$VG" deps "$FX/typo" >"$TMP/typo.txt" 2>&1
for pair in reqeusts:requests python-dateutils:python-dateutil urlib3:urllib3 \
            colourama:colorama djanga:django crypt0graphy:cryptography; do
  check_grep "typosquat ${pair%%:*}" "dep:typosquat .*'${pair%%:*}' .*'${pair#*:}'" "$TMP/typo.txt"
done
# beautifulsoup is among the most-downloaded names itself (BeautifulSoup 3):
# an established package is never a typosquat, however close to another
for real in requests urllib3 python-dateutil types-requests flask-cors pyyaml beautifulsoup; do
  check_nogrep "no typosquat for $real" "dep:typosquat .*'$real' looks" "$TMP/typo.txt"
done
check_grep "look-alike explained" "crypt0graphy.*look-alike characters \('0' for 'o'\)" "$TMP/typo.txt"

# --- JSON
"$VG" deps "$FX/app" --format json >"$TMP/app.json" 2>/dev/null
check_json "json has dependencies and findings" "$TMP/app.json" 'd["dependencies"] and F'
check_json "json flask vulns" "$TMP/app.json" '
[(x["fix"], any(v["id"] == "PYSEC-2023-62" and "CVE-2023-30861" in v["aliases"] for v in x["vulns"]))
 for x in d["dependencies"] if x["name"] == "flask"] == [("2.2.5", True)]'

# --- part of every scan
"$VG" scan "$FX/app" --select dep --format json >"$TMP/scan.json" 2>/dev/null
check_json "scan reports dep:vulnerable with props" "$TMP/scan.json" '
[("PYSEC-2018-66" in str(f), "2.2.5" in str(f)) for f in found(rule="dep:vulnerable", path="app/requirements.txt")] == [(True, True)]'

# --- the filters of 'scan' apply to 'deps' too: --select/--ignore, per-file
# ignores, --baseline (the table loses the rows of findings filtered out;
# the inventory stays whole)
deps_json() { # FILE PYTHON-ASSERTIONS (d: the deps JSON, rules: its finding ids)
  python3 -c "
import json; d=json.load(open('$1')); rules=sorted(set(f['rule_id'] for f in d['findings']))
$2" && pass || fail "deps json: $2 ($(head -c 300 "$1"))"
}
check_exit 1 "deps --select dep:unpinned" "$VG" deps "$FX/app" --select dep:unpinned
check_grep "--select: no vulnerability rows" '^No known vulnerabilities found( in the [0-9]+ packages checked)?$' "$TMP/.out"
check_grep "--select: the selected finding" "requirements.txt:5:1: dep:unpinned .*'pyyaml'" "$TMP/.out"
check_nogrep "--select: nothing else" 'dep:typosquat|dep:unsafe-source' "$TMP/.out"
check_grep "--select: every package still audited" '^Audited 7 packages in 2 manifests' "$TMP/.out"
"$VG" deps "$FX/app" --select dep:unpinned --format json >"$TMP/sel.json" 2>/dev/null
deps_json "$TMP/sel.json" "assert rules == ['dep:unpinned'], rules
assert len(d['dependencies']) == 7 and [m['packages'] for m in d['manifests']] == [2, 5]"
check_exit 1 "deps --ignore dep:vulnerable,dep:typosquat" "$VG" deps "$FX/app" --ignore dep:vulnerable,dep:typosquat
check_grep "--ignore: no vulnerability rows" '^No known vulnerabilities found( in the [0-9]+ packages checked)?$' "$TMP/.out"
check_nogrep "--ignore: no typosquat" 'dep:typosquat' "$TMP/.out"
check_grep "--ignore: the rest stays" 'dep:unsafe-source' "$TMP/.out"
printf '[per-file-ignores]\n"base.in" = ["dep:vulnerable"]\n"package.json" = ["dep"]\n' >"$TMP/pfi.toml"
check_exit 1 "deps with per-file-ignores" "$VG" deps "$FX/app" --config "$TMP/pfi.toml"
check_nogrep "per-file-ignores: no numpy rows (base.in)" '^numpy ' "$TMP/.out"
check_grep "per-file-ignores: flask rows stay" '^flask +0\.12\.2 +PYSEC-2018-66 ' "$TMP/.out"
check_grep "per-file-ignores: counts follow the table" '^Found 3 known vulnerabilities in 1 package$' "$TMP/.out"
check_nogrep "per-file-ignores: package.json findings gone" 'expresss' "$TMP/.out"
printf 'select = ["dep:typosquat"]\n' >"$TMP/sel.toml"
"$VG" deps "$FX/app" --config "$TMP/sel.toml" --format json >"$TMP/csel.json" 2>/dev/null
deps_json "$TMP/csel.json" "assert rules == ['dep:typosquat'], rules"
"$VG" scan "$FX/app" --select dep --write-baseline "$TMP/deps-bl.json" >/dev/null 2>&1
check_exit 0 "deps --baseline of every finding: exit 0" "$VG" deps "$FX/app" --baseline "$TMP/deps-bl.json"
check_grep "--baseline: no vulnerability rows" '^No known vulnerabilities found( in the [0-9]+ packages checked)?$' "$TMP/.out"
check_nogrep "--baseline: no other findings" 'other dependency' "$TMP/.out"
python3 -c "
import json; b=json.load(open('$TMP/deps-bl.json'))
b['findings']=[f for f in b['findings'] if f['rule']=='dep:unpinned']
json.dump(b, open('$TMP/unpinned-bl.json','w'))"
"$VG" deps "$FX/app" --baseline "$TMP/unpinned-bl.json" --format json >"$TMP/bl.json" 2>/dev/null
deps_json "$TMP/bl.json" "assert 'dep:unpinned' not in rules and 'dep:vulnerable' in rules, rules"
check_exit 2 "deps --baseline of a missing file" "$VG" deps "$FX/app" --baseline "$TMP/none.json"
check_grep "missing baseline named" 'none.json' "$TMP/.err"

# --- only manifests are read: a big or unreadable other file is no concern
mkdir -p "$TMP/big"
cp "$FX/app/requirements.txt" "$FX/app/base.in" "$TMP/big/"
head -c 20000000 /dev/zero | tr '\0' a >"$TMP/big/data.txt"
"$VG" deps "$TMP/big" --format json >"$TMP/big.json" 2>"$TMP/big.err"
deps_json "$TMP/big.json" "assert d['errors'] == [], d['errors']
assert [m['path'].rsplit('/', 1)[1] for m in d['manifests']] == ['requirements.txt']"

# --- an OSV database given on the command line: directory, index beside it, zip, env
cp -r "$FX/osv" "$TMP/osv"
mkdir -p "$TMP/req"
printf 'demo-pkg==1.0.0\n' >"$TMP/req/requirements.txt"
"$VG" deps "$TMP/req" --osv-db "$TMP/osv" >"$TMP/db.txt" 2>"$TMP/db.err"
check_grep "custom db advisory" 'demo-pkg +1\.0\.0 +GHSA-demo-0001 +1\.1\.0 +critical' "$TMP/db.txt"
check_grep "custom db named" "OSV database: $TMP/osv" "$TMP/db.txt"
check_grep "broken record is a warning" 'broken.json:.*warning' "$TMP/db.err"
check "no index written beside the db" test ! -e "$TMP/osv.vgidx"
idx() { ls "$XDG_CACHE_HOME"/vibeguard/index-*.vgidx 2>/dev/null | head -n 1; }
check "index written in the cache directory" test -s "$(idx)"
"$VG" scan "$TMP/req" --select dep --osv-db "$TMP/osv" >"$TMP/dbscan.txt" 2>&1
check_grep "finding names the db" "\[OSV database: $TMP/osv\]" "$TMP/dbscan.txt"
cp "$(idx)" "$TMP/idx.before"
"$VG" deps "$TMP/req" --osv-db "$TMP/osv" >/dev/null 2>&1
check "index reused, not rebuilt" cmp -s "$(idx)" "$TMP/idx.before"
cat >"$TMP/osv/new.json" <<'J'
{"id": "GHSA-new-0001", "summary": "New one", "affected": [{"package": {"ecosystem": "PyPI", "name": "safe-pkg"}, "versions": ["1.0"]}]}
J
printf 'demo-pkg==1.0.0\nsafe-pkg==1.0\n' >"$TMP/req/requirements.txt"
"$VG" deps "$TMP/req" --osv-db "$TMP/osv" >"$TMP/db2.txt" 2>/dev/null
check_grep "changed db re-indexed" 'GHSA-new-0001' "$TMP/db2.txt"
(cd "$TMP/osv" && python3 -c "
import zipfile,glob
z=zipfile.ZipFile('../all.zip','w')
for f in glob.glob('*.json'): z.write(f)
z.close()")
VIBEGUARD_OSV_DB="$TMP/all.zip" "$VG" deps "$TMP/req" >"$TMP/zip.txt" 2>/dev/null
check_grep "zip db via env" 'GHSA-demo-0001' "$TMP/zip.txt"
check_exit 2 "missing db is an error" "$VG" deps "$TMP/req" --osv-db "$TMP/nope"
check_grep "missing db message" "OSV database not found" "$TMP/.err"

# --- network: clear and fast failures
VIBEGUARD_OSV_URL=http://127.0.0.1:9 check_exit 2 "update-db offline" "$VG" deps "$TMP/req" --update-db
check_grep "update-db message" 'cannot download http://127.0.0.1:9/PyPI/all.zip: .*network looks unavailable' "$TMP/.err"
printf 'zzqxv-internal-tool==1.0\n' >"$TMP/req/requirements.txt"
VIBEGUARD_REGISTRY_URL=http://127.0.0.1:9 VIBEGUARD_OSV_API_URL=http://127.0.0.1:9 "$VG" deps "$TMP/req" --online >"$TMP/on.txt" 2>"$TMP/on.err"
check_grep "online offline warning" '\-\-online: cannot reach http://127.0.0.1:9' "$TMP/on.err"
check_grep "falls back to offline check" "dep:unknown-package .*'zzqxv-internal-tool'" "$TMP/on.txt"

# --- allowlist from the config silences unknown-package
printf '[deps]\nallowlist = ["zzqxv-internal-tool"]\n' >"$TMP/req/.vibeguard.toml"
check_exit 0 "allowlisted name" "$VG" deps "$TMP/req"

# --- malformed manifests warn with file:line, never crash
# (in a sub-folder: a broken pyproject.toml at the root is a config error)
mkdir -p "$TMP/bad/sub" && cp "$FX/manifests/bad/"* "$TMP/bad/sub/"
"$VG" deps "$TMP/bad" >"$TMP/bad.txt" 2>"$TMP/bad.err"; rc=$?
if [ "$rc" -le 1 ]; then pass; else fail "malformed manifests: exit $rc"; fi
check_grep "package.json warning" 'package.json:4:[0-9]+: warning: malformed JSON' "$TMP/bad.err"
check_grep "pyproject warning" 'pyproject.toml:4:[0-9]+: warning: malformed pyproject.toml' "$TMP/bad.err"

done_tests
