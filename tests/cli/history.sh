#!/usr/bin/env bash
# history.sh - git through libgit2: a secret committed then removed is found
# only with --history (with commit, author, date); --staged and --diff keep
# only findings on changed lines; a corrupt repository is one clear error.
. "$(dirname "$0")/../lib.sh"
export XDG_CACHE_HOME=${XDG_CACHE_HOME:-/tmp/vg-test-cache}
command -v git >/dev/null || { echo "SKIP history.sh: git not installed"; echo "RESULT history 0 0"; exit 0; }

R=$TMP/repo
GHP=ghp_R4nd0mV4lu3F0rT3st1ngPurp0s3sOnly123   # synthetic
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

"$VG" scan --format json "$R" >"$TMP/now.json" 2>&1
check_nogrep "working tree is clean" 'secret:github-pat' "$TMP/now.json"
"$VG" scan --history --format json "$R" >"$TMP/hist.json" 2>"$TMP/hist.err"
check_grep "found in history" '"rule_id": "secret:github-pat"' "$TMP/hist.json"
check_grep "commit reported" "$commit" "$TMP/hist.json"
check_grep "author reported" 'Dev One' "$TMP/hist.json"
check_nogrep "masked in history too" "$GHP" "$TMP/hist.json"
n=$(grep -c '"rule_id": "secret:github-pat"' "$TMP/hist.json")
check "each blob once" test "$n" = 1

# --staged: only lines in the index change count
printf 'import os\nTOKEN = os.environ["TOKEN"]\nprint("hello")\nAWS = "AKIAQ3EGXKTZ7NWPLR5Y"\n' >"$R/app.py"
printf 'OLD = "AKIAZ7NWPLR5YQ3EGXKT"\n' >"$R/old.py"
g add app.py
"$VG" scan --staged --format json "$R" >"$TMP/staged.json" 2>&1
check_grep "staged line reported" '"path": "[^"]*app.py"' "$TMP/staged.json"
check_grep "staged secret" 'secret:aws-access-token' "$TMP/staged.json"
check_nogrep "unstaged file ignored by --staged" '"path": "[^"]*old.py"' "$TMP/staged.json"
"$VG" scan --diff HEAD --format json "$R" >"$TMP/diff.json" 2>&1
check_grep "--diff HEAD sees untracked file" '"path": "[^"]*old.py"' "$TMP/diff.json"
check_exit 2 "--diff with an unknown revision" "$VG" scan --diff no-such-rev "$R"

# a shallow clone (CI checkouts): what is there is scanned, with a warning
git clone -q --depth 1 "file://$R" "$TMP/shallow" 2>/dev/null
"$VG" scan --history --format json "$TMP/shallow" >"$TMP/shallow.json" 2>&1
check_grep "shallow clone: warning" 'incomplete history' "$TMP/shallow.json"
check_grep "shallow clone: tip scanned" '"history_blobs": [1-9]' "$TMP/shallow.json"

# a corrupt repository: one clear error naming it, the working tree still scanned
B=$TMP/broken
mkdir -p "$B/.git"
echo "garbage" >"$B/.git/HEAD"
printf 'AWS = "AKIAQ3EGXKTZ7NWPLR5Y"\n' >"$B/a.py"
"$VG" scan --history --format json "$B" >"$TMP/broken.json" 2>"$TMP/broken.err"
check_grep "working tree still scanned" 'secret:aws-access-token' "$TMP/broken.json"
cat "$TMP/broken.err" >>"$TMP/broken.json"
check_grep "error names the repository" "broken" "$TMP/broken.json"

done_tests
