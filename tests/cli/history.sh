#!/usr/bin/env bash
# history.sh - git through libgit2: a secret committed then removed is found
# only with --history (with commit, author, date); --staged and --diff keep
# only findings on changed lines; a corrupt repository is one clear error;
# --history RANGE (REV, A..B, A...B, as gitleaks' --log-opts) scans those
# commits and reports only what they added; a bad revision is named.
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

# --history RANGE, as gitleaks' --log-opts: the commits of a pull request
# report what they added, not what was there before them
R2=$TMP/pr
g2() { git -C "$R2" -c user.name="Dev One" -c user.email=dev@example.invalid -c commit.gpgsign=false "$@"; }
mkdir -p "$R2"
g2 init -q -b main
printf 'OLD = "AKIAQ3EGXKTZ7NWPLR5Y"\n' >"$R2/app.py"
g2 add app.py && g2 commit -q -m base
g2 checkout -q -b feature
printf 'TOKEN = "%s"\n' "$GHP" >"$R2/new.py"
g2 add new.py && g2 commit -q -m "feature: add token"
c_feat=$(g2 rev-parse HEAD)
printf 'import os\nOLD = "AKIAQ3EGXKTZ7NWPLR5Y"\n' >"$R2/app.py"
g2 commit -q -am "feature: touch app.py (the old key moves to line 2)"
g2 checkout -q main
printf 'OTHER = "AKIAZ7NWPLR5YQ3EGXKT"\n' >"$R2/other.py"
g2 add other.py && g2 commit -q -m "main: another key"
c_main=$(g2 rev-parse HEAD)
# hits FILE: the (path, commit) of each history finding
hits() { /usr/bin/python3 -c "import json,sys; print(sorted((f['path'], f['commit'][:7]) for f in json.load(open(sys.argv[1]))['findings'] if f.get('commit')))" "$1"; }
want() { /usr/bin/python3 -c "import sys; a=sys.argv[1:]; print(sorted((a[i], a[i+1][:7]) for i in range(0, len(a), 2)))" "$@"; }
"$VG" scan --history main..feature --format json "$R2" >"$TMP/pr.json" 2>"$TMP/pr.err"; rc=$?
if [ "$rc" = 1 ] && [ "$(hits "$TMP/pr.json")" = "$(want new.py "$c_feat")" ]; then pass
else fail "--history main..feature: only the token the branch added (exit $rc): $(hits "$TMP/pr.json") $(head -c 300 "$TMP/pr.err")"; fi
"$VG" scan --history=main..feature --format json "$R2" >"$TMP/pr2.json" 2>/dev/null
if [ "$(hits "$TMP/pr2.json")" = "$(want new.py "$c_feat")" ]; then pass; else fail "--history=main..feature: $(hits "$TMP/pr2.json")"; fi
c_base=$(g2 rev-parse main~1)
"$VG" scan --history feature --format json "$R2" >"$TMP/rev.json" 2>/dev/null
if [ "$(hits "$TMP/rev.json")" = "$(want app.py "$c_base" new.py "$c_feat")" ]; then pass
else fail "--history feature: every commit reachable from it, not main's: $(hits "$TMP/rev.json")"; fi
"$VG" scan --history main...feature --format json "$R2" >"$TMP/sym.json" 2>/dev/null
if [ "$(hits "$TMP/sym.json")" = "$(want new.py "$c_feat" other.py "$c_main")" ]; then pass
else fail "--history main...feature: both sides since the merge base: $(hits "$TMP/sym.json")"; fi
"$VG" scan --history feature.. --format json "$R2" >"$TMP/head.json" 2>/dev/null
if [ "$(hits "$TMP/head.json")" = "$(want other.py "$c_main")" ]; then pass
else fail "--history feature.. (HEAD is main): $(hits "$TMP/head.json")"; fi
"$VG" scan --history --format json "$R2" >"$TMP/all.json" 2>/dev/null
if [ "$(hits "$TMP/all.json")" = "$(want app.py "$c_base" new.py "$c_feat" other.py "$c_main")" ]; then pass
else fail "--history then a path: every ref, as before: $(hits "$TMP/all.json")"; fi
check_exit 2 "an unknown revision in a range is an error" "$VG" scan --history nope..feature "$R2"
check_grep "... naming it and the range" "error: --history: unknown revision 'nope' \(in 'nope\.\.feature'\)" "$TMP/.err"
check_exit 2 "an unknown revision on the right" "$VG" scan --history=main..nope "$R2"
check_grep "... naming it" "unknown revision 'nope' \(in 'main\.\.nope'\)" "$TMP/.err"
check_exit 2 "an unknown single revision" "$VG" scan --history=v9.9 "$R2"
check_grep "... naming it" "error: --history: unknown revision 'v9\.9'$" "$TMP/.err"
check_exit 2 "--history= with nothing" "$VG" scan --history= "$R2"

done_tests
