#!/usr/bin/env bash
# select.sh - an analyzer none of whose rules is selected does not run:
# `--select B` never loads the secret rules (a broken --secrets-config is
# not even read), while any selection that includes secrets reports it.
. tests/lib.sh
mkdir -p "$TMP/t"
printf 'import subprocess\nsubprocess.call(cmd, shell=True)\nKEY = "AKIAZ3MSJV4WWQKL7X2B"\n' > "$TMP/t/a.py"
printf 'flask==0.12.2\n' > "$TMP/t/requirements.txt"
printf '[[rules]\nid = 1\n' > "$TMP/bad.toml"

check_exit 1 "--select B runs without the secrets engine" \
  "$VG" scan "$TMP/t" --select B --secrets-config "$TMP/bad.toml" --format json -o "$TMP/b.json"
check_json "--select B still finds B602 on line 2" "$TMP/b.json" 'found(rule="B602", path="a.py", line=2)'
check_json "--select B reports no secret" "$TMP/b.json" 'F and all(f["rule_id"].startswith("B") for f in F)'
check_exit 2 "--select secret loads the broken secrets config and says so" \
  "$VG" scan "$TMP/t" --select secret --secrets-config "$TMP/bad.toml"
check_grep "the error names file:line:col" 'bad.toml:1:[0-9]+' "$TMP/.err"
check_exit 2 "--select B,secret also needs the secrets config" \
  "$VG" scan "$TMP/t" --select B,secret --secrets-config "$TMP/bad.toml"
check_exit 2 "--ignore of some rules keeps the engine that others need" \
  "$VG" scan "$TMP/t" --ignore B602 --secrets-config "$TMP/bad.toml"
check_exit 1 "--ignore secret,pii,unicode drops the text engine" \
  "$VG" scan "$TMP/t" --ignore secret,pii,unicode --secrets-config "$TMP/bad.toml" --format json -o "$TMP/i.json"
check_json "deps still run when text is ignored" "$TMP/i.json" 'found(rule="dep:vulnerable", path="requirements.txt", line=1)'
check_json "--ignore secret,pii,unicode reports none of them" "$TMP/i.json" \
  'F and not [f for f in F if f["rule_id"].split(":")[0] in ("secret", "pii", "unicode")]'
check_exit 1 "--select dep runs the dependency analyzer alone" \
  "$VG" scan "$TMP/t" --select dep --format json -o "$TMP/d.json"
check_json "--select dep reports the dependency finding alone" "$TMP/d.json" \
  'at("requirements.txt") == {(1, "dep:vulnerable")} and len(F) == 1'
# --- a mistyped selection never turns the gate off ---------------------------
check_exit 2 "--select of an unknown id is an error" "$VG" scan "$TMP/t" --select B6O2
check_grep "... with a suggestion" "did you mean 'B602'" "$TMP/.err"
check_exit 2 "--ignore of an unknown id is an error" "$VG" scan "$TMP/t" --ignore secrts
check_grep "... suggesting the analyzer" "did you mean 'secrets'" "$TMP/.err"
check_exit 2 "--select of a number nothing is near" "$VG" scan "$TMP/t" --select zzzzqqq
check_grep "... names the analyzers" "analyzers: python" "$TMP/.err"
check_exit 1 "--select b602 (lower case) selects B602" \
  "$VG" scan "$TMP/t" --select b602 --format json -o "$TMP/lc.json"
check_json "lower-case id reports B602 alone" "$TMP/lc.json" 'ids() == {"B602"}'
check_exit 1 "--select secrets (the analyzer name) selects the secret rules" \
  "$VG" scan "$TMP/t" --select secrets --format json -o "$TMP/an.json"
check_json "--select secrets reports the AWS key and nothing else" "$TMP/an.json" \
  'F and all(f["rule_id"].startswith("secret:") for f in F)'
check_exit 1 "--select python selects the code rules" \
  "$VG" scan "$TMP/t" --select python --format json -o "$TMP/py.json"
check_json "--select python reports B602, no secret, no dep" "$TMP/py.json" \
  'found(rule="B602", line=2) and not [f for f in F if f["rule_id"].startswith(("secret", "dep"))]'
printf 'import subprocess\nfrom flask import request\ndef f():\n    subprocess.call(request.args["c"], shell=True)\n' > "$TMP/t/web.py"
check_exit 1 "--select taint selects the data-flow rules" \
  "$VG" scan "$TMP/t/web.py" --select taint --format json -o "$TMP/ta.json"
check_json "--select taint reports only taint-analyzer rules" "$TMP/ta.json" \
  'F and all(f["rule_id"].startswith("VG") for f in F)'
check_exit 0 "--ignore python,taint,secrets,deps,pii,unicode leaves nothing" \
  "$VG" scan "$TMP/t" --ignore python,taint,secrets,deps,pii,unicode --format json -o "$TMP/none.json"
check_json "... and reports nothing" "$TMP/none.json" 'F == []'
rm -f "$TMP/t/web.py"

mkdir -p "$TMP/c"
cp "$TMP/t/a.py" "$TMP/c/"
printf 'select = ["secrets"]\n' > "$TMP/c/.vibeguard.toml"
check_exit 1 "select = [\"secrets\"] in .vibeguard.toml selects the secret rules" \
  "$VG" scan "$TMP/c" --format json -o "$TMP/cs.json"
check_json "... and reports the key" "$TMP/cs.json" 'F and all(f["rule_id"].startswith("secret:") for f in F)'
printf 'ignore = ["B101"]\nselect = ["B", "secret", "sekret"]\n' > "$TMP/c/.vibeguard.toml"
check_exit 2 "an unknown id in the config's select is an error" "$VG" scan "$TMP/c"
check_grep "... naming file:line:col" '\.vibeguard\.toml:2:[0-9]+' "$TMP/.err"
check_grep "... with a suggestion" "did you mean 'secrets?'" "$TMP/.err"
printf '[per-file-ignores]\n"tests/" = ["B10l"]\n' > "$TMP/c/.vibeguard.toml"
check_exit 2 "an unknown id in per-file-ignores is an error" "$VG" scan "$TMP/c"
check_grep "... with a suggestion" "did you mean 'B101'" "$TMP/.err"
printf '[[secrets.rules]]\nid = "corp-token"\nregex = """corp_([A-Za-z0-9]{20})"""\nseverity = "high"\n' > "$TMP/c/.vibeguard.toml"
echo 'k = "corp_Zq8W7e6R5t4Y3u2I1o0P"' > "$TMP/c/tok.txt"
check_exit 1 "--select of a user's own secret rule runs it" \
  "$VG" scan "$TMP/c" --ignore B --select secret:corp-token --format json -o "$TMP/ct.json"
check_json "... and reports it" "$TMP/ct.json" 'ids() == {"secret:corp-token"}'
check_exit 2 "deps --select of an unknown id is an error" "$VG" deps "$TMP/t" --select dep:unpined
check_grep "... with a suggestion" "did you mean 'dep:unpinned'" "$TMP/.err"

# commands and flags
check_exit 2 "a mistyped command" "$VG" scna
check_grep "... suggests the command" "did you mean 'scan'" "$TMP/.err"
check_exit 2 "a mistyped flag" "$VG" scan "$TMP/t" --fromat json
check_grep "... suggests the flag" "did you mean '--format'" "$TMP/.err"
check_exit 2 "deps --update" "$VG" deps "$TMP/t" --update
check_grep "... suggests --update-db" "did you mean '--update-db'" "$TMP/.err"
check_exit 2 "a mistyped format" "$VG" scan "$TMP/t" --format jsno
check_grep "... suggests the format" "did you mean 'json'" "$TMP/.err"
check_exit 2 "rules with a mistyped id" "$VG" rules B6O2
check_grep "... suggests the rule" "did you mean 'B602'" "$TMP/.err"
done_tests
