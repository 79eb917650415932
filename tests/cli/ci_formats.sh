#!/usr/bin/env bash
# ci_formats.sh - GitLab's SAST and secret-detection reports and JUnit XML.
# The GitLab checks follow the security report schema's documented
# required fields (version, scan{analyzer, scanner, type, start_time,
# end_time, status}, vulnerabilities[{id, identifiers[{type, name, value}],
# location}], secret detection locations with commit.sha); JUnit is parsed
# as XML.  Secrets stay masked in every format.
. tests/lib.sh
cd "$TMP" || exit 1
PY=/usr/bin/python3
mkdir -p p
printf 'import subprocess\n\ndef f(cmd):\n    subprocess.call(cmd, shell=True)\n' > p/app.py
printf 'AWS_KEY = "AKIAZ3MSJV4WWQKL7X2B"\n' > p/settings.py
printf 'import subprocess\ndef g(c):\n    subprocess.call(c, shell=True)\n' > 'p/we<ird>&"name.py'

check_exit 1 "--format gitlab-sast" "$VG" scan p --format gitlab-sast -o sast.json
check "gitlab-sast: the documented required fields, no secret" $PY - sast.json <<'P'
import json, re, sys
d = json.load(open(sys.argv[1]))
assert re.match(r"^1[4-9]\.\d+\.\d+$", d["version"]), d["version"]
s = d["scan"]
for k in ("analyzer", "scanner", "type", "start_time", "end_time", "status"): assert k in s, k
assert s["type"] == "sast" and s["status"] == "success"
assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$", s["start_time"])
for k in ("id", "name", "version", "vendor"): assert k in s["analyzer"] and k in s["scanner"], k
V = d["vulnerabilities"]
assert V
ids = [v["id"] for v in V]
assert len(set(ids)) == len(ids)
assert all(re.match(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", i) for i in ids), ids
for v in V:
    assert v["severity"] in ("Critical", "High", "Medium", "Low", "Info", "Unknown")
    assert v["identifiers"] and all(x["type"] and x["name"] and x["value"] for x in v["identifiers"])
    assert v["location"]["file"] and v["location"]["start_line"] >= 1 and v["location"]["end_line"] >= v["location"]["start_line"]
rules = {x["value"] for v in V for x in v["identifiers"] if x["type"] == "vibeguard_rule_id"}
assert "B602" in rules and not [r for r in rules if r.startswith("secret:")], rules
assert any(x["type"] == "cwe" and x["value"] == "78" for v in V for x in v["identifiers"])
P
"$VG" scan p --format gitlab-sast -o sast2.json
check "gitlab-sast: ids are stable from run to run" $PY -c '
import json, sys
a = [v["id"] for v in json.load(open("sast.json"))["vulnerabilities"]]
b = [v["id"] for v in json.load(open("sast2.json"))["vulnerabilities"]]
assert a == b'
check_exit 1 "--format gitlab-secrets" "$VG" scan p --format gitlab-secrets -o sec.json
check "gitlab-secrets: secret_detection, the secret alone, commit.sha, masked" $PY - sec.json <<'P'
import json, sys
txt = open(sys.argv[1]).read()
d = json.loads(txt)
assert d["scan"]["type"] == "secret_detection"
V = d["vulnerabilities"]
assert V and all(x["value"].startswith("secret:") for v in V for x in v["identifiers"] if x["type"] == "vibeguard_rule_id")
assert all(v["location"]["commit"]["sha"] for v in V)
assert all(v["location"]["file"] == "p/settings.py" for v in V), V
assert "AKIAZ3MSJV4WWQKL7X2B" not in txt
P
check_exit 1 "--format junit" "$VG" scan p --format junit -o junit.xml
check "junit: well-formed XML, one failed case per finding, odd names escaped" $PY - junit.xml <<'P'
import sys, xml.etree.ElementTree as ET
txt = open(sys.argv[1], encoding="utf-8").read()
root = ET.fromstring(txt)
assert root.tag == "testsuites"
cases = root.findall("./testsuite/testcase")
assert cases and all(c.find("failure") is not None for c in cases)
assert int(root.get("failures")) == len(cases)
assert any(c.get("file") == 'p/we<ird>&"name.py' for c in cases), [c.get("file") for c in cases]
assert "AKIAZ3MSJV4WWQKL7X2B" not in txt
suites = {s.get("name") for s in root.findall("testsuite")}
assert "vibeguard.python" in suites and "vibeguard.secrets" in suites, suites
P
mkdir -p clean && echo 'x = 1' > clean/a.py
check_exit 0 "junit of a clean tree" "$VG" scan clean --format junit -o clean.xml
check "junit: a clean run is one passing case" $PY -c '
import xml.etree.ElementTree as ET
r = ET.parse("clean.xml").getroot()
c = r.findall("./testsuite/testcase")
assert len(c) == 1 and c[0].find("failure") is None and r.get("failures") == "0"'
check_exit 2 "a mistyped format suggests the GitLab one" "$VG" scan p --format gitlab-sats
check_grep "... by name" "did you mean 'gitlab-sast'" "$TMP/.err"
done_tests
