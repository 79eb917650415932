#!/usr/bin/env bash
# cli_diff.sh - --diff REV and --staged keep only findings on changed lines.
. "$(dirname "$0")/../lib.sh"
cd "$TMP" || exit 1
command -v git >/dev/null || { fail "git not installed (needed to build the test repository)"; done_tests; exit; }
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.org GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.org
mkdir r && cd r && git init -q . && git config commit.gpgsign false
printf 'import yaml\ndef old(cmd):\n    return yaml.load(cmd)\n' > app.py
git add app.py && git commit -qm one

check_exit 1 "full scan reports the old eval" "$VG" scan .
check_grep "old eval present" '^>> B506 ' "$TMP/.out"
check_exit 0 "--diff HEAD with no change: nothing" "$VG" scan --diff HEAD .
check_grep "--diff: an unchanged file is read as context only" 'more read as context' "$TMP/.out"

printf '\ndef new(cmd):\n    return yaml.load(cmd + "x")\n' >> app.py
check_exit 1 "--diff HEAD: the new line" "$VG" scan --diff HEAD --format json .
check "--diff keeps only line 6" /usr/bin/python3 -c '
import json,sys; f=json.load(open(sys.argv[1]))["findings"]
assert [(x["rule_id"], x["line"]) for x in f] == [("B506", 6)], f' "$TMP/.out"
check_exit 1 "--diff HEAD, text" "$VG" scan --diff HEAD .
check_grep "--diff: the changed file's old finding is outside the diff" 'outside the diff' "$TMP/.out"
check_exit 0 "--staged before git add: nothing staged" "$VG" scan --staged .
git add app.py
check_exit 1 "--staged after git add" "$VG" scan --staged --format json .
check "--staged keeps only line 6" /usr/bin/python3 -c '
import json,sys; f=json.load(open(sys.argv[1]))["findings"]
assert [(x["rule_id"], x["line"]) for x in f] == [("B506", 6)], f' "$TMP/.out"
cd ..
check_exit 1 "--diff from outside the repository root (paths carry the root)" "$VG" scan --diff HEAD --format json r
check "--diff with root r keeps only r/app.py:6" /usr/bin/python3 -c '
import json,sys; f=json.load(open(sys.argv[1]))["findings"]
assert [(x["path"], x["line"]) for x in f] == [("r/app.py", 6)], f' "$TMP/.out"
check_exit 2 "--diff with a bad revision exits 2" "$VG" scan --diff no-such-rev r
mkdir -p plain && printf 'x = 1\n' > plain/a.py
check_exit 2 "--diff outside a repository exits 2" "$VG" scan --diff HEAD plain
done_tests
