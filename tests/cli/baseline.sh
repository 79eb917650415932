#!/usr/bin/env bash
# baseline.sh - --write-baseline / --baseline round trip: accepted findings
# disappear, new ones (and extra copies of old ones) are reported, moved code
# stays accepted, broken baseline files are errors (exit 2).
. "$(dirname "$0")/../lib.sh"
cd "$TMP" || exit 1
mkdir -p p
printf 'import subprocess\nimport yaml\n\ndef run(cmd):\n    subprocess.call(cmd, shell=True)\n    return yaml.load(cmd)\n' > p/app.py
printf 'aws_access_key_id = AKIAQWERTYUIOPASDFGH\n' > p/creds.txt

check_exit 1 "findings before the baseline" "$VG" scan --format json p
before=$(/usr/bin/python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["findings"]))' "$TMP/.out")
[ "${before:-0}" -ge 2 ] && pass || fail "expected >= 2 findings from the analyzers (python, secrets), got ${before:-0}"

check_exit 0 "--write-baseline exits 0" "$VG" scan --write-baseline bl.json p
check "baseline is JSON with one entry per finding" /usr/bin/python3 -c '
import json,sys
d=json.load(open(sys.argv[1])); f=d["findings"]
assert d["version"] == 2 and len(f) == int(sys.argv[2]), (len(f), sys.argv[2])
for x in f: assert len(x["fingerprint"]) == 16 and x["rule"] and x["path"].startswith("p/")' bl.json "$before"
check_json "baseline holds no secret" bl.json '"AKIAQWERTYUIOPASDFGH" not in raw and d["findings"]' 

check_exit 0 "--baseline: nothing new, exit 0" "$VG" scan --baseline bl.json p
check_grep "--baseline: no findings" '^-- no findings' "$TMP/.out"
check_grep "--baseline: counted" "$before in baseline" "$TMP/.out"

# moved code keeps its fingerprint
printf '"""docs"""\n\n\n' | cat - p/app.py > p/app2 && mv p/app2 p/app.py
check_exit 0 "code moved down: still in the baseline" "$VG" scan --baseline bl.json p

# a new flaw and a second copy of an accepted one are reported
printf '\ndef again(cmd):\n    return yaml.load(cmd)\n' >> p/app.py
check_exit 1 "a second copy of a baselined line is new" "$VG" scan --baseline bl.json --format json p
check "exactly one new finding: the second eval" /usr/bin/python3 -c '
import json,sys
f=json.load(open(sys.argv[1]))["findings"]
assert [x["rule_id"] for x in f] == ["B506"], [x["rule_id"] for x in f]
assert f[0]["line"] == 12, f[0]["line"]' "$TMP/.out"

# updating: --baseline old --write-baseline new records old and new findings
check_exit 0 "--baseline with --write-baseline" "$VG" scan --baseline bl.json --write-baseline bl2.json p
check "updated baseline has every finding" /usr/bin/python3 -c '
import json,sys; assert len(json.load(open(sys.argv[1]))["findings"]) == int(sys.argv[2]) + 1' bl2.json "$before"
check_exit 0 "updated baseline hides everything" "$VG" scan --baseline bl2.json p

# errors
check_exit 2 "missing baseline file exits 2" "$VG" scan --baseline nope.json p
check_grep "missing baseline named" 'nope.json' "$TMP/.err"
printf '{"findings": [\n  {"fingerprint": "xyz"}\n]}\n' > bad.json
check_exit 2 "bad fingerprint exits 2" "$VG" scan --baseline bad.json p
check_grep "bad baseline named" 'bad.json' "$TMP/.err"
printf '{"findings": [\n  ,\n' > bad2.json
check_exit 2 "malformed JSON baseline exits 2" "$VG" scan --baseline bad2.json p
check_grep "malformed baseline names file:line" 'bad2.json:2:' "$TMP/.err"
check_exit 2 "--write-baseline into a missing dir exits 2" "$VG" scan --write-baseline no/dir/b.json p
# a baseline of format 1 (fingerprints of raw secrets) is read with a
# warning; its secret entries match nothing, so the secret is reported again
printf '{"version": 1, "tool": "vibeguard", "findings": [{"fingerprint": "0123456789abcdef", "rule": "secret:aws-access-token", "path": "p/creds.txt", "line": 1}]}\n' > old.json
"$VG" scan --baseline old.json --format json p >old.out 2>old.err
check_json "format-1 baseline: a warning, the secret reported again" old.out \
  'found(rule="secret:aws-access-token") and any("older vibeguard" in e["message"] for e in E)'
done_tests
