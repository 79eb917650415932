#!/usr/bin/env bash
# context_cache.sh - `scan --staged` reads the files it does not report as
# context only, and keeps what cross-module taint needs from them in the
# context cache (scan/ctxcache.h): a staged sink reached from an unchanged
# route is still found, cold and warm; a change to the context file is
# seen; a corrupt, disabled or unwritable cache changes no finding; shards
# use it too.  Work is counted (stats.context_files, stats.context_cached),
# never timed.
. "$(dirname "$0")/../lib.sh"
command -v git >/dev/null || { fail "git not installed (needed to build the test repository)"; done_tests; exit; }
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.org GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.org
export XDG_CACHE_HOME=$TMP/cache
unset VIBEGUARD_NO_CACHE
R=$TMP/r
mkdir -p "$R/app" && cd "$R" && git init -q . && git config commit.gpgsign false
cat >app/views.py <<'EOF'
from flask import Flask, request

from app import db

app = Flask(__name__)


@app.route("/user")
def user():
    name = request.args.get("name", "")
    return str(db.find_user(name))
EOF
cat >app/db.py <<'EOF'
import sqlite3


def find_user(name):
    cur = sqlite3.connect("app.db").cursor()
    cur.execute("SELECT * FROM users WHERE name = ?", (name,))
    return cur.fetchall()
EOF
printf 'def helper(x):\n    return x\n' >app/util.py
: >app/__init__.py
git add -A && git commit -qm one
# the cache keeps no file changed in the last two seconds (its next change
# might keep the same times): let the tree age
touch -d '2020-01-01 00:00' app/*.py
sleep 3

# the change: the query is now built from the parameter
sed -i 's|cur.execute("SELECT \* FROM users WHERE name = ?", (name,))|cur.execute("SELECT * FROM users WHERE name = '"'"'" + name + "'"'"'")|' app/db.py
git add app/db.py
grep -q '" + name + "' app/db.py || fail "the test's edit did not apply"

check_exit 1 "--staged, cold cache: the staged sink is reported" "$VG" scan --staged --format json .
cp "$TMP/.out" "$TMP/cold.json"
check_json "cold: VG701 at db.py:6 from the route in views.py" "$TMP/cold.json" \
  "[(f['rule_id'], f['path'], f['line']) for f in F] == [('VG701', 'app/db.py', 6)] and any(s['path'] == 'app/views.py' for s in F[0]['steps'])"
check_json "cold: only db.py is reported, the rest is context" "$TMP/cold.json" \
  "d['stats']['files'] == 1 and d['stats']['context_files'] == 3 and d['stats']['context_cached'] == 0"
ls "$XDG_CACHE_HOME"/vibeguard/context-*.bin >/dev/null 2>&1 && pass || fail "no context cache was written"

check_exit 1 "--staged, warm cache" "$VG" scan --staged --format json .
cp "$TMP/.out" "$TMP/warm.json"
check_json "warm: the Python context files come from the cache" "$TMP/warm.json" \
  "d['stats']['context_cached'] == 3"
check "warm findings == cold findings" /usr/bin/python3 -c "
import json, sys
a, b = (json.load(open(p))['findings'] for p in sys.argv[1:])
sys.exit(a != b)" "$TMP/cold.json" "$TMP/warm.json"

check_exit 1 "text report names the context files" "$VG" scan --staged .
check_grep "text: context counted" '3 more read as context \(3 from the cache\)' "$TMP/.out"

check_exit 1 "VIBEGUARD_NO_CACHE=1: same findings" env VIBEGUARD_NO_CACHE=1 "$VG" scan --staged --format json .
check_json "no cache: nothing from the cache, same finding" "$TMP/.out" \
  "d['stats']['context_cached'] == 0 and [(f['rule_id'], f['line']) for f in F] == [('VG701', 6)]"

# a corrupt cache is rebuilt, never trusted
for f in "$XDG_CACHE_HOME"/vibeguard/context-*.bin; do
  /usr/bin/python3 -c "
import sys
p = sys.argv[1]; b = bytearray(open(p, 'rb').read())
for i in range(24, len(b), 7): b[i] ^= 0x5a
open(p, 'wb').write(bytes(b))" "$f"
done
check_exit 1 "corrupt cache: same finding" "$VG" scan --staged --format json .
check_json "corrupt cache: VG701 still at db.py:6" "$TMP/.out" \
  "[(f['rule_id'], f['line']) for f in F] == [('VG701', 6)]"
printf 'VGCTX001' >"$(ls "$XDG_CACHE_HOME"/vibeguard/context-*.bin | head -n 1)"
check_exit 1 "truncated cache: same finding" "$VG" scan --staged --format json .
check_json "truncated cache: VG701 still at db.py:6" "$TMP/.out" "[(f['rule_id'], f['line']) for f in F] == [('VG701', 6)]"

# an unwritable cache directory is no failure
check_exit 1 "cache directory is a file: the scan still runs" env XDG_CACHE_HOME=/dev/null "$VG" scan --staged --format json .
check_json "unwritable cache: same finding" "$TMP/.out" "[(f['rule_id'], f['line']) for f in F] == [('VG701', 6)]"

# the context file changes (not staged): the cache must not answer for it
check_exit 1 "warm again" "$VG" scan --staged --format json .
sed -i 's|db.find_user(name)|db.find_user("admin")|' app/views.py
check_exit 0 "--staged after the route stopped passing request data" "$VG" scan --staged --format json .
check_json "changed context file: no finding, views.py analysed again" "$TMP/.out" \
  "F == [] and d['stats']['context_cached'] == 2"
git checkout -q app/views.py
touch -d '2020-01-01 00:00' app/views.py
sleep 3
check_exit 1 "route restored: the flow is back" "$VG" scan --staged --format json .
check_json "restored: VG701 again" "$TMP/.out" "[(f['rule_id'], f['line']) for f in F] == [('VG701', 6)]"

# old context caches (other roots, older binaries) are pruned to the 16 newest
for i in $(seq 1 20); do printf 'VGCTX001' >"$XDG_CACHE_HOME/vibeguard/context-old$i.bin"; touch -d "2020-01-0$(( i % 9 + 1 ))" "$XDG_CACHE_HOME/vibeguard/context-old$i.bin"; done
printf '# edited\n' >>app/util.py # the cache changes, so it is written
check_exit 1 "a scan that writes its cache prunes the old ones" env -u VIBEGUARD_NO_CACHE "$VG" scan --staged --format json .
n=$(ls "$XDG_CACHE_HOME"/vibeguard/context-*.bin | wc -l)
[ "$n" -le 16 ] && pass || fail "context caches after pruning: $n (want at most 16)"

# shards read the other shards' files as context, through the same cache
for k in 1 2; do "$VG" scan --shard "$k/2" --format json -o "$TMP/s$k.json" . >/dev/null 2>&1; done
for k in 1 2; do "$VG" scan --shard "$k/2" --format json -o "$TMP/t$k.json" . >/dev/null 2>&1; done
check "shards: the second runs take the context from the cache" /usr/bin/python3 -c "
import json, sys
st = [json.load(open(sys.argv[1] + '/t%d.json' % k))['stats'] for k in (1, 2)]
sys.exit(not sum(s.get('context_cached', 0) for s in st))" "$TMP"
check "shards: cached runs report what the first runs did" /usr/bin/python3 -c "
import json, sys
for a, b in (('s1', 't1'), ('s2', 't2')):
    x, y = (json.load(open(sys.argv[1] + '/' + n + '.json'))['findings'] for n in (a, b))
    if x != y: sys.exit(1)" "$TMP"
done_tests
