#!/usr/bin/env bash
# cli_scan.sh - 'vibeguard scan': exit codes 0/1/2, every output format,
# selection and threshold flags, -o, hostile file names, help and version.
# Findings come from the analyzers: B602/B506 (python) and an AWS key id
# (secrets); when an analyzer is missing the checks say which one.
. "$(dirname "$0")/../lib.sh"

cd "$TMP" || exit 1
F=fix; C=clean
mkdir -p "$F" "$C"
printf 'import subprocess\nimport yaml\n\ndef run(cmd):\n    subprocess.call(cmd, shell=True)\n    return yaml.load(cmd)\n' > "$F/app.py"
printf 'aws_access_key_id = AKIAQWERTYUIOPASDFGH\n' > "$F/creds.txt"
printf 'def add(a, b):\n    return a + b\n' > "$C/ok.py"
printf 'just some notes\n' > "$C/notes.txt"

# --- exit codes ---------------------------------------------------------------
check_exit 0 "clean tree exits 0" "$VG" scan "$C"
check_grep "clean tree says no findings" '^-- no findings' "$TMP/.out"
check_exit 1 "findings exit 1" "$VG" scan "$F"
cp "$TMP/.out" "$TMP/text.out"
check_grep "python analyzer reports B602 (subprocess shell=True)" '^>> B602 ' "$TMP/text.out"
check_grep "python analyzer reports B506 (yaml.load)" '^>> B506 ' "$TMP/text.out"
check_grep "secrets analyzer reports the AWS key id" '^>> secret:aws' "$TMP/text.out"
check_grep "text: header line with severity, confidence, CWE" '^>> B602 .*  severity: high  confidence: [a-z]+  CWE-78' "$TMP/text.out"
check_grep "text: location path:line:col" '^   fix/app.py:5:5' "$TMP/text.out"
check_grep "text: findings grouped under the file name" '^fix/app.py$' "$TMP/text.out"
check_grep "text: numbered context with the hit marked" '^   > 5 \|     subprocess.call' "$TMP/text.out"
check_grep "text: summary line" '^-- [0-9]+ findings: ' "$TMP/text.out"
check_nogrep "secrets are masked" 'AKIAQWERTYUIOPASDFGH' "$TMP/text.out"
check_nogrep "no colour when not a terminal" $'\033' "$TMP/text.out"
check_exit 1 "stderr silent when not a TTY (no progress line)" "$VG" scan "$F"
if [ -s "$TMP/.err" ]; then fail "stderr not empty: $(head -c 200 "$TMP/.err")"; else pass; fi

check_exit 2 "unknown flag exits 2" "$VG" scan --bogus "$F"
check_grep "unknown flag: one clear line" "^vibeguard: scan: unknown option '--bogus'" "$TMP/.err"
[ "$(wc -l < "$TMP/.err")" = 1 ] && pass || fail "unknown flag: more than one line on stderr"
check_exit 2 "missing path exits 2" "$VG" scan "$TMP/does-not-exist"
check_grep "missing path named" 'no such file or directory: .*does-not-exist' "$TMP/.err"
check_exit 2 "bad format exits 2" "$VG" scan --format xml "$C"
check_exit 2 "bad severity exits 2" "$VG" scan --severity huge "$C"
check_exit 2 "bad --jobs exits 2" "$VG" scan --jobs many "$C"
check_exit 2 "bad --max-file-size exits 2" "$VG" scan --max-file-size 0 "$C"
check_exit 2 "flag without its value exits 2" "$VG" scan "$C" --format
check_exit 2 "--diff with --staged exits 2" "$VG" scan --diff HEAD --staged "$C"
check_exit 2 "missing --secrets-config exits 2" "$VG" scan --secrets-config "$TMP/nope.toml" "$C"

# --- --fail-on, --severity, --select, --ignore ------------------------------------
mkdir -p py; cp "$F/app.py" py/
check_exit 0 "--fail-on critical: high findings do not fail" "$VG" scan --fail-on critical py
check_grep "--fail-on does not hide findings" '^>> B602 ' "$TMP/.out"
check_exit 1 "--fail-on high: B602 fails" "$VG" scan --fail-on high py
check_exit 0 "--fail-on never" "$VG" scan --fail-on never "$F"
check_exit 1 "--select B5 keeps B506" "$VG" scan --select B5 "$F"
check_grep "--select B5 reports B506" '^>> B506 ' "$TMP/.out"
check_nogrep "--select B3 drops B602" '^>> B602 ' "$TMP/.out"
check_nogrep "--select B3 drops secrets" '^>> secret:' "$TMP/.out"
check_exit 1 "--select secret keeps secrets only" "$VG" scan --select secret "$F"
check_grep "--select secret: the AWS key" '^>> secret:aws' "$TMP/.out"
check_nogrep "--select secret: no python" '^>> B' "$TMP/.out"
check_exit 0 "--ignore everything found exits 0" "$VG" scan --ignore B,secret,VG "$F"
check_grep "--ignore: counted as deselected" 'deselected' "$TMP/.out"
check_exit 1 "--severity high" "$VG" scan --severity high "$F"
check_nogrep "--severity high drops medium B506" '^>> B506 ' "$TMP/.out"
check_grep "--severity high keeps B602" '^>> B602 ' "$TMP/.out"
check_exit 1 "--confidence high" "$VG" scan --confidence high --select B602,B506 "$F"
check_exit 0 "--quiet on a clean tree" "$VG" scan -q "$C"
if [ -s "$TMP/.out" ]; then fail "--quiet printed: $(head -c 200 "$TMP/.out")"; else pass; fi

# --- formats and -o ----------------------------------------------------------------
check_exit 1 "json format" "$VG" scan --format json "$F"
cp "$TMP/.out" "$TMP/scan.json"
check "json parses and has the top-level keys" /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert set(d) == {"version", "findings", "errors", "stats"}, d.keys()
f = d["findings"]
assert f, "no findings"
need = {"rule_id","title","message","fix","severity","confidence","cwe","owasp","path","line",
        "column","end_line","end_column","snippet","fingerprint","steps","props"}
for x in f: assert need <= set(x), need - set(x)
assert any(x["rule_id"] == "B602" and 78 in x["cwe"] for x in f)
assert d["stats"]["files"] == 2, d["stats"]
' "$TMP/scan.json"
check_exit 1 "json twice" "$VG" scan --format json "$F"
if cmp -s "$TMP/.out" "$TMP/scan.json"; then pass; else fail "json output differs between runs"; fi
check_exit 1 "html format" "$VG" scan --format html "$F"
check_grep "html is one page" '^<!DOCTYPE html>' "$TMP/.out"
check_nogrep "html loads no external resources" '(src|action)="?https?:|<link|url\(' "$TMP/.out"
check_grep "html forbids loading by its policy" "content=\"default-src 'none';" "$TMP/.out"
check_exit 1 "-o writes the report to a file" "$VG" scan --format json -o "$TMP/out.json" "$F"
if [ -s "$TMP/.out" ]; then fail "-o: stdout not empty"; else pass; fi
check "-o file is the JSON report" /usr/bin/python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["findings"]' "$TMP/out.json"
ls "$TMP" | grep -q '\.tmp\.' && fail "-o left a temporary file" || pass
check_exit 1 "-o /dev/null writes in place" "$VG" scan -o /dev/null "$F"
[ -c /dev/null ] && pass || fail "-o /dev/null replaced the device"
check_exit 2 "-o a directory exits 2" "$VG" scan -o "$TMP" "$C"
check_exit 2 "-o into a missing directory exits 2" "$VG" scan -o "$TMP/no/dir/r.txt" "$C"
check_grep "-o error names the file" 'no/dir/r.txt' "$TMP/.err"

# --- hostile names and contents --------------------------------------------------
H=hostile; mkdir -p "$H"
printf 'x = eval(y)  # \033[2J\xe2\x80\xae\n' > "$H/$(printf 'e\033[31mvil\xff.py')"
check_exit 1 "hostile file name scanned" "$VG" scan "$H"
check_nogrep "no raw ESC in text output" $'\033' "$TMP/.out"
check_grep "ESC shown as a visible escape" '\\x1b' "$TMP/.out"
check_grep "bidi control shown as <U+202E>" '<U\+202E>' "$TMP/.out"
check_exit 1 "hostile file name, json" "$VG" scan --format json "$H"
check "json stays valid with control chars and invalid UTF-8" /usr/bin/python3 -c '
import json,sys; d=json.load(open(sys.argv[1])); assert "/e\x1b[31mvil\ufffd.py" in d["findings"][0]["path"]' "$TMP/.out"
# an unreadable file: chmod 000 does not stop root, so root runs the scan as
# nobody (--select B: the walk and the read are under test, not the secrets
# database, which nobody could not cache)
U=unread; mkdir -p "$U"; cp "$C/ok.py" "$U/"; printf 'x=1\n' > "$U/secret.py"; chmod 000 "$U/secret.py"
if [ "$(id -u)" = 0 ] && ! command -v setpriv >/dev/null 2>&1; then
  skip "unreadable file: running as root without setpriv to drop to nobody"
else
  as=() vg=$VG
  # nobody may not reach the checkout (a clone in a 0700 folder): it runs a
  # copy of the binary from the scratch folder it is let into
  [ "$(id -u)" = 0 ] && { chmod 755 "$TMP"; cp "$VG" "$TMP/vibeguard"; chmod 755 "$TMP/vibeguard"
                          vg=$TMP/vibeguard
                          as=(setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/nonexistent); }
  check_exit 0 "an unreadable file is a warning, not an error" "${as[@]}" "$vg" scan --select B "$U"
  check_grep "unreadable file reported with the reason" 'unread/secret.py: warning: cannot read file: Permission denied' "$TMP/.out"
  check_grep "unreadable file counted" '; 1 unreadable;' "$TMP/.out"
fi
chmod 644 "$U/secret.py"; chmod 700 "$TMP"

# --- colour on a terminal only (script(1) gives the scan a pty) ----------------------
if ! command -v script >/dev/null 2>&1; then
  skip "colour on a terminal: script(1) is not installed"
else
  env -u NO_COLOR script -qec "$VG scan --fail-on never $F" /dev/null > tty.out 2>&1
  grep -q $'\033\[1m' tty.out && pass || fail "no colour on a terminal: $(head -c 300 tty.out | cat -v)"
  NO_COLOR=1 script -qec "$VG scan --fail-on never $F" /dev/null > tty.out 2>&1
  grep -q $'\033\[1m' tty.out && fail "NO_COLOR ignored" || pass
  env -u NO_COLOR script -qec "$VG scan --no-color --fail-on never $F" /dev/null > tty.out 2>&1
  grep -q $'\033\[1m' tty.out && fail "--no-color ignored" || pass
  grep -q '^>> B602 ' <(tr -d '\r' < tty.out) && pass || fail "no report on a terminal"
fi

# --- help, version, front door ---------------------------------------------------------
check_exit 0 "scan --help" "$VG" scan --help
check_grep "scan --help lists --fail-on" '--fail-on' "$TMP/.out"
check_exit 0 "help scan" "$VG" help scan
check_exit 0 "version" "$VG" version
check_grep "version printed" '^vibeguard [0-9]+\.[0-9]+' "$TMP/.out"
check_exit 0 "version --help" "$VG" version --help
check_exit 2 "no command exits 2" "$VG"
check_exit 2 "unknown command exits 2" "$VG" frobnicate
done_tests
