#!/usr/bin/env bash
# gitleaks_baseline.sh - a gitleaks JSON report (gitleaks detect
# --report-format json) accepted as --baseline: each entry accepts one
# finding of rule secret:RuleID on its file and line whose secret is the
# entry's Secret (compared by hash; the raw secret in "Secret" and "Match"
# is never printed).  With --history an entry's Commit must be the
# finding's.  The reports are written here from gitleaks v8's documented
# report format (report.Finding: RuleID, Description, StartLine, EndLine,
# StartColumn, EndColumn, Match, Secret, File, SymlinkFile, Commit,
# Entropy, Author, Email, Date, Message, Tags, Fingerprint).
. "$(dirname "$0")/../lib.sh"
export XDG_CACHE_HOME=${XDG_CACHE_HOME:-/tmp/vg-test-cache}
unset GITLEAKS_CONFIG

GHP=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                # synthetic, valid CRC32
GHP2=ghp_Wn5Tb7Yc4Vx9Md3Kf6Hg1Js0Zq8Lr2aaaaaa              # synthetic, another
AWS=AKIAQ3EGXKTZ7NWPLR5Y                                    # synthetic
AWS2=AKIAZ7NWPLR5YQ3EGXKT                                   # synthetic, another
P=$TMP/proj
mkdir -p "$P/src"
cat >"$P/src/app.py" <<PY
GH = "$GHP"
AWS_ACCESS_KEY_ID = "$AWS"
GH_BACKUP = "$GHP"
PY

# entry RULE FILE LINE SECRET [COMMIT]: one finding as gitleaks writes it
entry() {
  /usr/bin/python3 - "$@" <<'PY'
import json, sys
rule, file, line, secret = sys.argv[1:5]
commit = sys.argv[5] if len(sys.argv) > 5 else ""
line = int(line)
print(json.dumps({
    "RuleID": rule, "Description": "a test entry", "StartLine": line, "EndLine": line,
    "StartColumn": 7, "EndColumn": 7 + len(secret), "Match": '"%s"' % secret, "Secret": secret,
    "File": file, "SymlinkFile": "", "Commit": commit, "Entropy": 4.5, "Author": "", "Email": "",
    "Date": "", "Message": "", "Tags": [],
    "Fingerprint": ("%s:" % commit if commit else "") + "%s:%s:%d" % (file, rule, line)}))
PY
}
report() { # report FILE ENTRY...: the JSON list
  local out=$1; shift
  { echo "["; local first=1; for e in "$@"; do [ $first = 1 ] || echo ","; echo "$e"; first=0; done; echo "]"; } >"$out"
}
scan() { # scan NAME ARGS...: $TMP/NAME.json and .err, exit code in $rc
  local n=$1; shift
  "$VG" scan --select secret --format json "$@" >"$TMP/$n.json" 2>"$TMP/$n.err"
  rc=$?
}
lines() { /usr/bin/python3 -c "import json,sys; print(sorted((f['rule_id'], f['line']) for f in json.load(open(sys.argv[1]))['findings']))" "$1"; }
nosecret() { # DESCRIPTION FILE...: none of the raw secrets in the files
  if cat "${@:2}" | grep -qF -e "$GHP" -e "$AWS" -e "$GHP2" -e "$AWS2"; then fail "$1: a raw secret was printed"; else pass; fi
}

scan none "$P"
want="[('secret:aws-access-token', 2), ('secret:github-pat', 1), ('secret:github-pat', 3)]"
if [ "$(lines "$TMP/none.json")" = "$want" ]; then pass; else fail "without a baseline: $(lines "$TMP/none.json")"; fi

# 1. the report's two entries (as gitleaks writes them, paths from the scan root) accept their findings
report "$TMP/r-gl.json" "$(entry github-pat src/app.py 1 "$GHP")" "$(entry aws-access-token src/app.py 2 "$AWS")"
scan gl "$P" --baseline "$TMP/r-gl.json"
if [ "$rc" = 1 ]; then pass; else fail "gitleaks baseline: exit $rc, want 1 (line 3 is new)"; fi
if [ "$(lines "$TMP/gl.json")" = "[('secret:github-pat', 3)]" ]; then pass
else fail "gitleaks baseline: lines 1 and 2 accepted, line 3 (same secret, new place) reported: $(lines "$TMP/gl.json")"; fi
nosecret "gitleaks baseline" "$TMP/gl.json" "$TMP/gl.err"
"$VG" scan --select secret "$P" --baseline "$TMP/r-gl.json" >"$TMP/gl.txt" 2>&1
check_grep "text: the accepted findings counted as baselined" '2 in baseline' "$TMP/gl.txt"
nosecret "text report" "$TMP/gl.txt"

# 2. each of rule, file, line and secret must match
report "$TMP/r-other.json" "$(entry github-pat src/app.py 1 "$GHP2")" "$(entry generic-api-key src/app.py 2 "$AWS")" \
  "$(entry github-pat src/other.py 3 "$GHP")" "$(entry github-pat src/app.py 2 "$GHP")"
scan other "$P" --baseline "$TMP/r-other.json"
if [ "$(lines "$TMP/other.json")" = "$want" ]; then pass
else fail "another secret, rule, file or line accepts nothing: $(lines "$TMP/other.json")"; fi
nosecret "mismatched entries" "$TMP/other.json" "$TMP/other.err"

# 3. one entry accepts one finding: the same entry twice accepts two
report "$TMP/r-twice.json" "$(entry github-pat ./src/app.py 1 "$GHP")"
scan twice "$P" --baseline "$TMP/r-twice.json"
if [ "$(lines "$TMP/twice.json")" = "[('secret:aws-access-token', 2), ('secret:github-pat', 3)]" ]; then pass
else fail "a ./ path as gitleaks --source . writes it: $(lines "$TMP/twice.json")"; fi

# 4. gitleaks' report of no leaks is an empty list: a baseline of nothing
echo '[]' >"$TMP/r-empty.json"
scan empty "$P" --baseline "$TMP/r-empty.json"
if [ "$rc" = 1 ] && [ "$(lines "$TMP/empty.json")" = "$want" ]; then pass; else fail "[]: exit $rc, $(lines "$TMP/empty.json")"; fi

# 5. a broken entry is an error naming the entry, never quoting it
printf '[{"RuleID": "github-pat", "File": "src/app.py", "Secret": "%s", "Match": "%s"}]\n' "$GHP" "$GHP" >"$TMP/r-bad.json"
check_exit 2 "an entry without StartLine is an error" "$VG" scan --select secret "$P" --baseline "$TMP/r-bad.json"
check_grep "... naming the entry" 'gitleaks report entry 1 has no "RuleID", "File", "StartLine" and "Secret"' "$TMP/.err"
nosecret "the error" "$TMP/.err" "$TMP/.out"

# 6. --history: an entry with a Commit accepts that commit's finding only
G=$TMP/repo
mkdir -p "$G" && cd "$G" && git init -q && git config user.email t@example.invalid && git config user.name t
printf 'TOKEN = "%s"\n' "$GHP" >cfg.py && git add cfg.py && git commit -qm add
C1=$(git rev-parse HEAD)
printf 'TOKEN = "%s"\nAWS_KEY = "%s"\n' "$GHP" "$AWS2" >cfg.py && git commit -qam aws
C2=$(git rev-parse HEAD)
git rm -q cfg.py && git commit -qm remove
cd - >/dev/null
scan hist "$G" --history
hist_lines() { /usr/bin/python3 -c "import json,sys; print(sorted((f['commit'][:7], f['rule_id'], f['line']) for f in json.load(open(sys.argv[1]))['findings'] if f.get('commit')))" "$1"; }
H=$(hist_lines "$TMP/hist.json")
case $H in *"'${C1:0:7}', 'secret:github-pat', 1"*"'${C2:0:7}', 'secret:aws-access-token', 2"*|*"'${C2:0:7}', 'secret:aws-access-token', 2"*"'${C1:0:7}', 'secret:github-pat', 1"*) pass ;;
  *) fail "history: the token of commit 1 and the key of commit 2 found: $H" ;; esac
report "$TMP/r-glh.json" "$(entry github-pat cfg.py 1 "$GHP" "$C1")" "$(entry aws-access-token cfg.py 2 "$AWS2" "$C1")"
scan glh "$G" --history --baseline "$TMP/r-glh.json"
want_h=$(/usr/bin/python3 -c "import ast,sys; print(sorted(x for x in ast.literal_eval(sys.argv[1]) if x[0] != sys.argv[2]))" "$H" "${C1:0:7}")
if [ "$(hist_lines "$TMP/glh.json")" = "$want_h" ]; then pass
else fail "history: the entries of commit 1 accept its finding only (the key of commit 2 is still reported): $(hist_lines "$TMP/glh.json"), want $want_h"; fi
nosecret "history baseline" "$TMP/glh.json" "$TMP/glh.err"
done_tests
