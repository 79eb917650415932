#!/usr/bin/env bash
# bandit_config.sh - Bandit users' files are obeyed: .bandit (INI),
# [tool.bandit] in pyproject.toml, -c bandit.yaml / bandit.toml (skips,
# tests, exclude_dirs, assert_used.skips, hardcoded_tmp_directory.tmp_dirs,
# shell_injection lists), ruff's "# noqa: S602", and a Bandit JSON report
# as a baseline.  The configs are written from Bandit's documentation; the
# expected findings are what Bandit 1.9 reports on the same tree.
. tests/lib.sh
P=$TMP/p
mkdir -p "$P/tests" "$P/vendor"
cat > "$P/app.py" <<'PY'
import subprocess
import os


def run(cmd):
    subprocess.call(cmd, shell=True)
    os.system(cmd)
    helpers.run_shell(cmd, shell=True)
    mylib.sh(cmd)
    with open("/scratch/cache/x.txt", "w") as f:
        f.write("x")
    with open("/tmp/x.txt", "w") as f:
        f.write("y")
    assert cmd
PY
cat > "$P/tests/test_app.py" <<'PY'
import subprocess


def test_run(cmd):
    assert cmd
    subprocess.call(cmd, shell=True)
PY
cp "$P/app.py" "$P/vendor/lib.py"
# findings as "path:line:rule" lines, sorted
rows() { /usr/bin/python3 -c 'import json,sys; print(" ".join(sorted("%s:%d:%s" % (f["path"], f["line"], f["rule_id"]) for f in json.load(open(sys.argv[1]))["findings"])))' "$1"; }
want() { if [ "$(rows "$2")" = "$3" ]; then pass; else fail "$1: got [$(rows "$2")], want [$3]"; fi; }

cat > "$P/bandit.yaml" <<'YAML'
# Bandit's -c config (bandit-config-generator's layout)
skips: ["B605"]
exclude_dirs: ["vendor"]
assert_used:
  skips: ["*/test_*.py"]
hardcoded_tmp_directory:
  tmp_dirs: ["/scratch"]
shell_injection:
  subprocess: ["subprocess.call", "mylib.sh"]
  shell: []
  no_shell: []
YAML
(cd "$P" && "$VG" scan . -c bandit.yaml --profile bandit --format json -o "$TMP/y.json" 2>"$TMP/y.err")
want "-c bandit.yaml: skips, exclude_dirs, assert_used, tmp_dirs, shell_injection" "$TMP/y.json" \
  "app.py:10:B108 app.py:14:B101 app.py:1:B404 app.py:6:B602 app.py:8:B604 app.py:9:B603 tests/test_app.py:1:B404 tests/test_app.py:6:B602"
rm "$P/bandit.yaml"

printf '[bandit]\nskips = B404\nexclude = ./vendor,./tests\ntests = B101,B602,B108,B605\n' > "$P/.bandit"
(cd "$P" && "$VG" scan . --profile bandit --format json -o "$TMP/i.json")
want ".bandit (INI) is found and obeyed: tests, skips, exclude" "$TMP/i.json" \
  "app.py:12:B108 app.py:14:B101 app.py:6:B602 app.py:7:B605"
"$VG" scan "$P" --profile bandit --format json -o "$TMP/i2.json"
want ".bandit is found in the scanned directory too" "$TMP/i2.json" \
  "$P/app.py:12:B108 $P/app.py:14:B101 $P/app.py:6:B602 $P/app.py:7:B605"
check_exit 1 "the default profile still runs the other analyzers" \
  "$VG" scan "$P" --format json -o "$TMP/i3.json"
printf '[bandit]\nskips = B101\ntests = B101,B602\n' > "$P/.bandit"
check_exit 2 "tests and skips naming one check is an error, as in Bandit" "$VG" scan "$P"
check_grep "... saying why" "both in tests and in skips" "$TMP/.err"
printf 'no section here\n' > "$P/.bandit"
check_exit 2 "a .bandit without [bandit] is an error" "$VG" scan "$P"
rm "$P/.bandit"

cat > "$P/pyproject.toml" <<'TOML'
[project]
name = "p"

[tool.bandit]
exclude_dirs = ["tests", "vendor"]
skips = ["B404", "B603"]

[tool.bandit.assert_used]
skips = ["*/app.py"]
TOML
(cd "$P" && "$VG" scan . --profile bandit --format json -o "$TMP/t.json")
want "[tool.bandit] in pyproject.toml" "$TMP/t.json" "app.py:12:B108 app.py:6:B602 app.py:7:B605 app.py:8:B604"
mv "$P/pyproject.toml" "$P/bandit.toml"
(cd "$P" && "$VG" scan . -c bandit.toml --profile bandit --format json -o "$TMP/t2.json")
want "-c bandit.toml" "$TMP/t2.json" "app.py:12:B108 app.py:6:B602 app.py:7:B605 app.py:8:B604"
printf 'skips: [B999]\n' > "$P/b.yaml"
check_exit 1 "a check vibeguard lacks is a warning, not an error" \
  "$VG" scan "$P/app.py" -c "$P/b.yaml" --profile bandit --format json -o "$TMP/w.json"
check_grep "... that names it" "B999" "$TMP/.err"
printf 'skips: [B101\n' > "$P/b.yaml"
check_exit 2 "a malformed YAML config is an error" "$VG" scan "$P/app.py" -c "$P/b.yaml"
rm -f "$P/b.yaml" "$P/bandit.toml"

# ruff's flake8-bandit codes
cat > "$TMP/noqa.py" <<'PY'
import subprocess
subprocess.call(cmd, shell=True)  # noqa: S602
subprocess.call(cmd, shell=True)  # noqa: E501, S602 -- reviewed
subprocess.call(cmd, shell=True)  # noqa: S603
subprocess.call(cmd, shell=True)  # noqa
PY
"$VG" scan "$TMP/noqa.py" --select B602 --profile bandit --format json -o "$TMP/n.json"
check_json "# noqa: S602 suppresses B602; S603 and a bare noqa do not" "$TMP/n.json" \
  '{f["line"] for f in F} == {4, 5}'

# a Bandit JSON report (bandit -f json) as the baseline: file and test id
# are compared, not lines, as Bandit's -b does
cat > "$TMP/bandit-report.json" <<'JSON'
{"errors": [], "generated_at": "2026-11-30T10:00:00Z", "metrics": {},
 "results": [
  {"code": "6 subprocess.call(cmd, shell=True)\n", "col_offset": 4, "filename": "./app.py",
   "issue_confidence": "HIGH", "issue_cwe": {"id": 78, "link": "https://cwe.mitre.org/data/definitions/78.html"},
   "issue_severity": "HIGH", "issue_text": "subprocess call with shell=True identified, security issue.",
   "line_number": 6, "line_range": [6], "more_info": "https://bandit.readthedocs.io/", "test_id": "B602",
   "test_name": "subprocess_popen_with_shell_equals_true"},
  {"code": "7 os.system(cmd)\n", "col_offset": 4, "filename": "./app.py", "issue_confidence": "HIGH",
   "issue_severity": "HIGH", "issue_text": "Starting a process with a shell.", "line_number": 7,
   "line_range": [7], "test_id": "B605", "test_name": "start_process_with_a_shell"}
 ]}
JSON
printf '\n\n' | cat - "$P/app.py" > "$P/moved.py" && mv "$P/moved.py" "$P/app.py"
(cd "$P" && "$VG" scan app.py --profile bandit --baseline "$TMP/bandit-report.json" --format json -o "$TMP/bl.json")
check_json "a Bandit report baselines B602 and B605 of app.py, lines moved" "$TMP/bl.json" \
  'not [f for f in F if f["rule_id"] in ("B602", "B605")] and found(rule="B604")'
check_json "... and counts them" "$TMP/bl.json" 'd["stats"]["baselined"] == 2'
done_tests
