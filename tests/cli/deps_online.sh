#!/usr/bin/env bash
# deps_online.sh - 'deps --online' asks OSV's API (POST /v1/querybatch for
# the exact versions found, GET /v1/vulns/ID for the records), merges the
# answers with the offline data and says where each advisory came from;
# a server that errors, hangs or answers malformed JSON is one warning
# naming its host, and the offline data is still used.  The server is a
# stand-in on loopback (tests/osv_stub.py); nothing here reaches a network.
. tests/lib.sh
FX=$T_ROOT/tests/fixtures/deps/online
STUB=$T_ROOT/tests/osv_stub.py
cp -r "$FX/project" "$TMP/p"

# start MODE: a stand-in server on a free port; URL and LOG set
start() {
  LOG=$TMP/log.$1
  : >"$LOG"
  rm -f "$TMP/port"
  /usr/bin/python3 "$STUB" "$1" "$FX/records" "$TMP/port" "$LOG" &
  STUB_PID=$!
  for _ in $(seq 1 100); do [ -s "$TMP/port" ] && break; sleep 0.1; done
  URL=http://127.0.0.1:$(cat "$TMP/port" 2>/dev/null)
  # --online asks the package registries too: the stand-in answers them
  export VIBEGUARD_REGISTRY_URL=$URL/registry
}
stop() { kill "$STUB_PID" 2>/dev/null; wait "$STUB_PID" 2>/dev/null; }
jq_() { /usr/bin/python3 -c "import json,re,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1"; }
jcheck() { if jq_ "$2" "$3"; then pass; else fail "$1: $3 ($(head -c 600 "$2"))"; fi; }
# vulns of one package in a deps JSON: {id: (source, severity)}
V='{v["id"]: (v["source"], v["severity"]) for x in d["dependencies"] if x["name"] == NAME for v in x["vulns"]}'
vul() { echo "${V//NAME/\"$1\"}"; }

# --- a server that knows more than the built-in snapshot
start ok
check_exit 1 "online: vulnerable packages found" "$VG" deps "$TMP/p" --osv-url "$URL" --format json
cp "$TMP/.out" "$TMP/ok.json"
jcheck "flask: offline-only, both and online-only advisories, each with its source" "$TMP/ok.json" \
  "$(vul flask) == {'PYSEC-2018-66': ('both', None), 'PYSEC-2019-179': ('offline', None), 'PYSEC-2023-62': ('both', 'high'), 'GHSA-vgte-st00-0001': ('online', 'critical')}"
jcheck "the GHSA record aliasing PYSEC-2023-62 is folded into it, not listed twice" "$TMP/ok.json" \
  "'GHSA-m2qf-hxjv-5gpq' in [a for x in d['dependencies'] for v in x['vulns'] if v['id'] == 'PYSEC-2023-62' for a in v['aliases']]"
jcheck "the upgrade clears the online advisory too (3.0.1, not 2.2.5)" "$TMP/ok.json" \
  '[x["fix"] for x in d["dependencies"] if x["name"] == "flask"] == ["3.0.1"]'
jcheck "six: a GHSA-only advisory the snapshot lacks (MODERATE -> medium), and one whose record is gone (404)" "$TMP/ok.json" \
  "$(vul six) == {'GHSA-vgte-st00-0002': ('online', 'medium'), 'GHSA-vgte-gone-0003': ('online', None)}"
jcheck "npm, which has no offline data: a malicious package found online" "$TMP/ok.json" \
  '[f for f in d["findings"] if f["rule_id"] == "dep:malicious" and "left-pad-vg" in f["message"]]'
jcheck "npm counts as checked when OSV answered" "$TMP/ok.json" 'd["advisory_data"]["unchecked"]["npm"] == 0'
jcheck "the report says what was asked" "$TMP/ok.json" \
  "d['advisory_data']['online'] == {'url': '$URL', 'status': 'ok', 'asked': 3, 'records': 5}"
jcheck "an offline-only report has no source but offline" "$TMP/ok.json" \
  'all(v["source"] in ("offline", "online", "both") for x in d["dependencies"] for v in x["vulns"])'
# what the server was asked: exact versions only, each record once
/usr/bin/python3 - "$LOG" >"$TMP/asked" <<'PY'
import json, sys
qs, gets = [], []
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["method"] == "POST":
        for q in json.loads(r["body"])["queries"]:
            if "page_token" not in q:
                qs.append("%s %s %s" % (q["package"]["ecosystem"], q["package"]["name"], q["version"]))
    else:
        gets.append(r["path"])
print(";".join(sorted(qs)))
print(len(gets), len(set(gets)))
print(sum(1 for line in open(sys.argv[1]) if "page_token" in line))
PY
check_grep "... asked PyPI flask 0.12.2, six 1.16.0 and npm left-pad-vg 1.0.0" \
  '^PyPI flask 0.12.2;PyPI six 1.16.0;npm left-pad-vg 1.0.0$' "$TMP/asked"
check_grep "... six records asked for, each once (one is gone)" '^6 6$' "$TMP/asked"
check_grep "... a paged answer (next_page_token) was followed" '^[1-9]' <(sed -n 3p "$TMP/asked")
"$VG" deps "$TMP/p" --osv-url "$URL" >"$TMP/ok.txt" 2>"$TMP/ok.err"
check_grep "text: a Source column" '^Name +Version +ID +Fix Versions +Severity +Source +Where' "$TMP/ok.txt"
check_grep "text: the online-only row" '^flask +0\.12\.2 +GHSA-vgte-st00-0001 +3\.0\.1 +critical +online ' "$TMP/ok.txt"
check_grep "text: a row found in both" '^flask +0\.12\.2 +PYSEC-2018-66 +0\.12\.3 +- +both ' "$TMP/ok.txt"
check_grep "text: the online line" "^Online: OSV API $URL: 3 packages asked, 5 advisory records fetched" "$TMP/ok.txt"
check_grep "text: upgrade to 3.0.1" '^upgrade: flask 0\.12\.2 -> 3\.0\.1' "$TMP/ok.txt"
check_nogrep "no warning when the server answered" 'warning' "$TMP/ok.err"
# the endpoint from the environment, --online alone
VIBEGUARD_OSV_API_URL=$URL "$VG" deps "$TMP/p" --online --format json >"$TMP/env.json" 2>/dev/null
jcheck "VIBEGUARD_OSV_API_URL names the endpoint" "$TMP/env.json" "d['advisory_data']['online']['url'] == '$URL'"
# [deps] osv-url in the configuration
printf '[deps]\nonline = true\nosv-url = "%s"\n' "$URL" >"$TMP/cfg.toml"
"$VG" deps "$TMP/p" --config "$TMP/cfg.toml" --format json >"$TMP/cfg.json" 2>/dev/null
jcheck "[deps] osv-url and online in the config" "$TMP/cfg.json" "d['advisory_data']['online']['status'] == 'ok'"
# scan --online asks too: six's online-only advisory is a finding of the scan
VIBEGUARD_OSV_API_URL=$URL "$VG" scan --online --select dep --format json "$TMP/p" >"$TMP/scan.json" 2>/dev/null
jcheck "scan --online: the online advisory is a dep:vulnerable finding" "$TMP/scan.json" \
  '[f for f in d["findings"] if f["rule_id"] == "dep:vulnerable" and "GHSA-vgte-st00-0002" in f["message"] and "from the OSV API at 127.0.0.1" in f["message"]]'
# without --online nothing is asked, whatever the environment says
n0=$(wc -l <"$LOG")
VIBEGUARD_OSV_API_URL=$URL "$VG" deps "$TMP/p" --format json >"$TMP/off.json" 2>/dev/null
n1=$(wc -l <"$LOG")
if [ "$n0" = "$n1" ]; then pass; else fail "without --online the server was asked ($n0 -> $n1 requests)"; fi
jcheck "offline: every advisory's source is offline and no online block" "$TMP/off.json" \
  '"online" not in d["advisory_data"] and all(v["source"] == "offline" for x in d["dependencies"] for v in x["vulns"])'
stop

# --- failures: a warning naming the host, the offline data still used, the exit code of the findings
failing() { # MODE WHAT-PATTERN
  start "$1"
  # a short client timeout for the hang only: the others must fail for their own reason
  local t=30
  [ "$1" = hang ] && t=1
  VIBEGUARD_OSV_TIMEOUT=$t "$VG" deps "$TMP/p" --osv-url "$URL" --format json >"$TMP/$1.json" 2>"$TMP/$1.err"
  local rc=$?
  stop
  if [ "$rc" = 1 ]; then pass; else fail "$1 server: exit $rc, want 1 (the offline findings)"; fi
  jcheck "$1 server: one warning naming the host and what failed" "$TMP/$1.json" \
    "[e for e in d['errors'] if e['level'] == 'warning' and re.search(r'^--online: cannot query the OSV API at 127\.0\.0\.1 \(($2).*\): only the offline advisory data was used', e['message'])]"
  jcheck "$1 server: flask's offline advisories are still reported" "$TMP/$1.json" \
    "$(vul flask) == {'PYSEC-2018-66': ('offline', None), 'PYSEC-2019-179': ('offline', None), 'PYSEC-2023-62': ('offline', None)}"
  jcheck "$1 server: the JSON says the online look-up failed" "$TMP/$1.json" \
    "d['advisory_data']['online']['status'] == 'failed' and d['advisory_data']['online']['error']"
  jcheck "$1 server: npm is unchecked again" "$TMP/$1.json" 'd["advisory_data"]["unchecked"]["npm"] == 1'
  local posts
  posts=$(grep -c '"POST"' "$LOG")
  if [ "$posts" = 1 ]; then pass; else fail "$1 server: $posts querybatch requests after a failure, want 1"; fi
}
failing error 'HTTP status 503'
failing hang '[^)]*timed out'
failing malformed 'a malformed answer'
"$VG" deps "$TMP/p" --osv-url "$URL" >"$TMP/gone.txt" 2>"$TMP/gone.err"
check_grep "a server that is gone: the warning on stderr names it" \
  'warning: --online: cannot query the OSV API at 127\.0\.0\.1 \((Couldn.t connect|Failed to connect|Connection refused)' "$TMP/gone.err"
check_grep "... and the text report says so" "^Online: OSV API $URL failed" "$TMP/gone.txt"

# --- the endpoint is checked before anything is sent
export VIBEGUARD_REGISTRY_URL=http://127.0.0.1:9
check_exit 2 "plain http to a host that is not loopback is refused" "$VG" deps "$TMP/p" --osv-url http://osv.example.invalid
check_grep "... with the reason" 'plain http is only for a loopback host; use https' "$TMP/.err"
VIBEGUARD_OSV_API_URL=http://osv.example.invalid "$VG" scan --online --select dep --format json "$TMP/p" >"$TMP/scanbad.json" 2>/dev/null
jcheck "scan --online with a refused endpoint: an error, the offline dependency checks still made" "$TMP/scanbad.json" \
  '[e for e in d["errors"] if "plain http is only for a loopback host" in e["message"]] and [f for f in d["findings"] if f["rule_id"] == "dep:vulnerable" and "flask" in f["message"]]'
check_exit 2 "not an http(s) URL" "$VG" deps "$TMP/p" --osv-url ftp://127.0.0.1/
check_grep "... with the reason" 'not an http\(s\) URL' "$TMP/.err"
done_tests
