#!/usr/bin/env bash
# history.sh - git through libgit2: a secret committed then removed is found
# only with --history (with commit, author, date); --staged and --diff keep
# only findings on changed lines; a corrupt repository is one clear error.
. "$(dirname "$0")/../lib.sh"
export XDG_CACHE_HOME=${XDG_CACHE_HOME:-/tmp/vg-test-cache}
command -v git >/dev/null || { skip "git not installed: no repository to scan"; done_tests; exit; }

R=$TMP/repo
GHP=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   # synthetic
g() { git -C "$R" -c user.name="Dev One" -c user.email=dev@example.invalid -c commit.gpgsign=false "$@"; }
mkdir -p "$R"
g init -q
printf 'print("hello")\n' >"$R/app.py"
g add app.py && g commit -q -m "first"
printf 'TOKEN = "%s"\nprint("hello")\n' "$GHP" >"$R/app.py"
g add app.py && g commit -q -m "add token"
printf 'import os\nTOKEN = os.environ["TOKEN"]\nprint("hello")\n' >"$R/app.py"
g add app.py && g commit -q -m "remove token"
commit=$(g rev-parse HEAD~1)

"$VG" scan --format json "$R" >"$TMP/now.json" 2>"$TMP/now.err"
check_json "working tree is clean" "$TMP/now.json" 'F == [] and d["stats"]["files"] == 1'
"$VG" scan --history --format json "$R" >"$TMP/hist.json" 2>"$TMP/hist.err"
HIT='found(rule="secret:github-pat", path="app.py", line=1)'
check_json "found in history, each blob once" "$TMP/hist.json" "len($HIT) == 1 and len(F) == 1"
check_json "commit reported" "$TMP/hist.json" "$HIT[0]['commit'] == '$commit'"
check_json "author reported" "$TMP/hist.json" "$HIT[0]['author'] == 'Dev One <dev@example.invalid>'"
check_json "masked in history too" "$TMP/hist.json" "'$GHP' not in raw and $HIT[0]['snippet'] == 'TOKEN = \"ghp_****\"'"
check_json "every blob of the history read" "$TMP/hist.json" 'd["stats"]["history_blobs"] == 3'

# --staged: only lines in the index change count
printf 'import os\nTOKEN = os.environ["TOKEN"]\nprint("hello")\nAWS = "AKIAQ3EGXKTZ7NWPLR5Y"\n' >"$R/app.py"
printf 'OLD = "AKIAZ7NWPLR5YQ3EGXKT"\n' >"$R/old.py"
g add app.py
"$VG" scan --staged --format json "$R" >"$TMP/staged.json" 2>"$TMP/staged.err"
check_json "staged secret on the staged line" "$TMP/staged.json" 'found(rule="secret:aws-access-token", path="app.py", line=4)'
check_json "unstaged file ignored by --staged" "$TMP/staged.json" 'at("app.py") == {(4, "secret:aws-access-token")} and not found(path="old.py")'
"$VG" scan --diff HEAD --format json "$R" >"$TMP/diff.json" 2>"$TMP/diff.err"
check_json "--diff HEAD sees the untracked file" "$TMP/diff.json" 'found(rule="secret:aws-access-token", path="old.py", line=1)'
check_exit 2 "--diff with an unknown revision" "$VG" scan --diff no-such-rev "$R"

# a shallow clone (CI checkouts): what is there is scanned, with a warning
git clone -q --depth 1 "file://$R" "$TMP/shallow" 2>/dev/null
"$VG" scan --history --format json "$TMP/shallow" >"$TMP/shallow.json" 2>"$TMP/shallow.err"
check_json "shallow clone: a warning" "$TMP/shallow.json" \
  '[e["level"] for e in E if "incomplete history" in e["message"]] == ["warning"]'
check_json "shallow clone: tip scanned" "$TMP/shallow.json" 'd["stats"]["history_blobs"] >= 1'

# a corrupt repository: one clear error naming it, the working tree still scanned
B=$TMP/broken
mkdir -p "$B/.git"
echo "garbage" >"$B/.git/HEAD"
printf 'AWS = "AKIAQ3EGXKTZ7NWPLR5Y"\n' >"$B/a.py"
"$VG" scan --history --format json "$B" >"$TMP/broken.json" 2>"$TMP/broken.err"
check_json "working tree still scanned" "$TMP/broken.json" 'found(rule="secret:aws-access-token", path="a.py", line=1)'
check_json "one error naming the repository" "$TMP/broken.json" \
  '[(e["level"], e["path"].endswith("broken")) for e in E] == [("error", True)] and "not a git repository" in E[0]["message"]'
check_grep "the error is on stderr too, naming the repository" "broken: error: --history: not a git repository" "$TMP/broken.err"

done_tests
