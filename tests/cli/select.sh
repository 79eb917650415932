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
done_tests
