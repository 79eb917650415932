#!/usr/bin/env bash
# bandit_profile.sh - `scan --profile bandit` reports what Bandit reports:
# its checks' own readings (not our refinements), its lines, severities and
# confidences, its call naming (import aliases, no scopes) and the plugin
# settings of a [bandit] config table; the default profile keeps ours.
# (bench/bandit_diff.py measures the same against Bandit itself.)
. tests/lib.sh
P=$TMP/proj
mkdir -p "$P/tests" "$P/app"
cat > "$P/tests/test_login.py" <<'PY'
def test_login(client):
    r = client.post("/login", data={"user": "a"})
    assert r.status_code == 302
PY
cat > "$P/app/settings.py" <<'PY'
import subprocess
import tarfile
import jinja2

DB_PASSWORD = ""
if token == "":
    pass


def connect(host, password="changeme"):
    return host


def build(use_shell, archive):
    subprocess.run("make all", shell=use_shell)
    subprocess.run(["make", "all"])
    tarfile.open(archive).extractall("out", filter="tar")
    return jinja2.Environment(loader=None)


def query(cur, name):
    cur.execute("SELECT * FROM users WHERE name = '%s'" % name)
    q = "SELECT id " + "FROM t WHERE x = " + name
    return q


def cleanup():
    try:
        pass
    except BaseException:
        pass
PY
"$VG" scan --profile bandit --select B --format json "$P" > "$TMP/b.json" 2>/dev/null
"$VG" scan --profile audit --select B --format json "$P" > "$TMP/a.json" 2>/dev/null

check_json "bandit: an assert in a test file is B101, low/high" "$TMP/b.json" \
  '[(f["severity"], f["confidence"]) for f in found(rule="B101", path="tests/test_login.py")] == [("low", "high")]'
check_json "default: asserts in tests are not reported" "$TMP/a.json" 'not found(rule="B101")'
check_json "bandit: an empty password literal is B105 (Bandit has no value filter)" "$TMP/b.json" \
  'at("app/settings.py") >= {(5, "B105"), (6, "B105")}'
check_json "default: empty and placeholder credentials are not findings" "$TMP/a.json" \
  'not found(rule="B105") and not found(rule="B107")'
check_json "bandit: B107 at the def line, low/medium" "$TMP/b.json" \
  '[(f["line"], f["severity"], f["confidence"]) for f in found(rule="B107")] == [(10, "low", "medium")]'
check_json "bandit: shell=<a name> is shell=True; constant command: B602 low/high" "$TMP/b.json" \
  '[(f["line"], f["severity"], f["confidence"]) for f in found(rule="B602")] == [(15, "low", "high")]'
check_json "bandit: a list command without shell is B603 and B607" "$TMP/b.json" \
  'at("app/settings.py") >= {(16, "B603"), (16, "B607")}'
check_json "bandit: extractall with a filter other than 'data' is B202 high/high" "$TMP/b.json" \
  '[(f["line"], f["severity"]) for f in found(rule="B202")] == [(17, "high")]'
check_json "default: extractall with any filter= is not B202" "$TMP/a.json" 'not found(rule="B202")'
check_json "bandit: jinja2.Environment without autoescape is B701 high/high" "$TMP/b.json" \
  '[(f["line"], f["confidence"]) for f in found(rule="B701")] == [(18, "high")]'
check_json "bandit: B608 inside execute() is medium confidence; concat pieces as Bandit does" "$TMP/b.json" \
  '[(f["line"], f["confidence"]) for f in found(rule="B608")] == [(22, "medium")]'
check_json "bandit: except BaseException: pass is not B110 (Bandit looks for Exception only)" "$TMP/b.json" \
  'not found(rule="B110")'
check_json "bandit: every finding is an issue" "$TMP/b.json" 'F and all(f["tier"] == "issue" for f in F)'

# Bandit's password names: (pas+wo?r?d|pass(phrase)?|pwd|token|secrete?)
# bounded by the name's ends or '_', any case
cat > "$P/app/creds.py" <<'PY'
my_password_hash = "x"
PASSWD = "x"
secret_key = "x"
passwords = "x"
tokenizer = "x"
self_passphrase = "x"
api_tok = "x"
PY
"$VG" scan --profile bandit --select B105 --format json "$P/app/creds.py" > "$TMP/p.json" 2>/dev/null
check_json "bandit: B105 names as Bandit's pattern reads them" "$TMP/p.json" \
  'sorted(f["line"] for f in found(rule="B105")) == [1, 2, 3, 6]'

# Bandit's names: aliases from the imports met so far, no scopes
cat > "$P/app/names.py" <<'PY'
def early(data):
    return loads(data)

from pickle import loads
import random as rnd


def late(data):
    return loads(data), rnd.random()
PY
"$VG" scan --profile bandit --select B3 --format json "$P/app/names.py" > "$TMP/n.json" 2>/dev/null
check_json "bandit: a call before its import has no qualified name (as in Bandit)" "$TMP/n.json" \
  'at("names.py") == {(9, "B301"), (9, "B311")}'

# Bandit's plugin settings from a [bandit] table
cat > "$P/.vibeguard.toml" <<'TOML'
[bandit.assert_used]
skips = ["*/tests/*"]
[bandit.try_except_pass]
check_typed_exception = true
[bandit.hardcoded_tmp_directory]
tmp_dirs = ["/scratch"]
TOML
cat > "$P/app/tmp.py" <<'PY'
A = "/tmp/x"
B = "/scratch/y"
try:
    pass
except ValueError:
    pass
PY
(cd "$P" && "$VG" scan --profile bandit --select B101,B108,B110 --format json . > "$TMP/c.json" 2>"$TMP/c.err")
check_json "config: assert_used.skips drops B101 by path" "$TMP/c.json" 'not found(rule="B101")'
check_json "config: tmp_dirs replaces B108's prefixes" "$TMP/c.json" \
  '[f["line"] for f in found(rule="B108")] == [2]'
check_json "config: check_typed_exception reports typed handlers" "$TMP/c.json" \
  '[f["line"] for f in found(rule="B110", path="app/tmp.py")] == [5]'
check_nogrep "config: the [bandit] table is not an unknown key" "unknown config key" "$TMP/c.err"
done_tests
