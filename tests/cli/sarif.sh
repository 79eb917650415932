#!/usr/bin/env bash
# sarif.sh - SARIF output validates against the 2.1.0 schema (Debian's
# python3 has jsonschema): the real scan of a small tree, and a synthetic
# report with taint steps, history fields and hostile bytes written by the
# test_report unit binary.  Also checks the mapping code-scanning reads.
# The schema is shared data ($VG_SHARED/sarif): without it each validation
# is a skip_shared (a failure under VG_REQUIRE_SHARED=1).
. "$(dirname "$0")/../lib.sh"
cd "$TMP" || exit 1
SCHEMA=$VG_SHARED/sarif/sarif-schema-2.1.0.json
PY=/usr/bin/python3

# check_valid DESCRIPTION FILE: FILE validates against the 2.1.0 schema
check_valid() {
  if [ -f "$SCHEMA" ]; then check "$1" validate "$2"; else skip_shared "$1: no schema at $SCHEMA"; fi
}
validate() { # FILE
  $PY - "$SCHEMA" "$1" <<'P'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
jsonschema.validate(doc, schema, cls=jsonschema.Draft7Validator,
                    format_checker=jsonschema.FormatChecker())
P
}

mkdir -p src
printf 'import subprocess\nimport yaml\n\ndef run(cmd):\n    subprocess.call(cmd, shell=True)\n    return yaml.load(cmd)\n' > src/app.py
printf 'aws_access_key_id = AKIAQWERTYUIOPASDFGH\n' > src/creds.txt
printf 'x = 1\n' > "src/name with space.py"

check_exit 1 "scan --format sarif" "$VG" scan --format sarif src
cp "$TMP/.out" scan.sarif
check_valid "scan SARIF validates against the 2.1.0 schema" scan.sarif
check "scan SARIF: results, rules, tags, security-severity, base ids" $PY - scan.sarif <<'P'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["version"] == "2.1.0"
run = d["runs"][0]
rules = run["tool"]["driver"]["rules"]
res = run["results"]
assert res, "no results: are the python/secrets analyzers built?"
ids = {r["id"]: r for r in rules}
assert "B602" in ids, "B602 missing (python analyzer)"
assert "external/cwe/cwe-78" in ids["B602"]["properties"]["tags"]
assert float(ids["B602"]["properties"]["security-severity"]) >= 7.0
assert any(k.startswith("secret:") for k in ids), "no secret rule (secrets analyzer)"
for r in res:
    assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
    loc = r["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    assert loc["artifactLocation"]["uri"].startswith("src/"), loc
    assert r["partialFingerprints"]
assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].startswith("file:///")
assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/")
assert "AKIAQWERTYUIOPASDFGH" not in open(sys.argv[1]).read()
P
check_exit 0 "clean SARIF (no results) validates" "$VG" scan --format sarif --fail-on never --select B101 src
check_valid "empty SARIF validates" "$TMP/.out"

# --- what code scanning reads beyond validity ---------------------------------
mkdir -p repo/.git repo/pkg/sub
printf 'import subprocess\n\ndef f(cmd):\n    subprocess.call(cmd, shell=True)\n    subprocess.call("ls -l", shell=True)\n    subprocess.call(cmd, shell=True)\n' > repo/pkg/sub/run.py
(cd repo/pkg && "$VG" scan --profile bandit --format sarif sub > ../../sub.sarif 2>/dev/null)
check_valid "SARIF from a subfolder validates" sub.sarif
check "SARIF: URIs relative to the repository root, %SRCROOT% the root, from a subfolder" $PY - sub.sarif "$TMP/repo" <<'P'
import json, os, sys
run = json.load(open(sys.argv[1]))["runs"][0]
root = os.path.realpath(sys.argv[2])
assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file://" + root + "/", run["originalUriBaseIds"]
uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
assert uris == {"pkg/sub/run.py"}, uris
P
check "SARIF: endLine on every region, help.markdown, per-result security-severity, primaryLocationLineHash" $PY - sub.sarif <<'P'
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
res = run["results"]
for r in res:
    reg = r["locations"][0]["physicalLocation"]["region"]
    assert reg["endLine"] >= reg["startLine"], reg
rules = {x["id"]: x for x in run["tool"]["driver"]["rules"]}
md = rules["B602"]["help"]["markdown"]
assert "## " in md and "How to fix" in md and "CWE-78" in md and rules["B602"]["help"]["text"], md
b602 = sorted((r["locations"][0]["physicalLocation"]["region"]["startLine"], float(r["properties"]["security-severity"]))
              for r in res if r["ruleId"] == "B602")
lines = dict(b602)
assert lines[5] < lines[4], b602          # the constant command is not High
assert lines[4] >= 7.0
hashes = [r["partialFingerprints"]["primaryLocationLineHash"] for r in res if r["ruleId"] == "B602"]
assert all(":" in h for h in hashes) and len(set(hashes)) == len(hashes), hashes
# the same flaw twice (lines 4 and 6): one fingerprint, occurrences 1 and 2
by_fp = {}
for h in hashes:
    fp, occ = h.rsplit(":", 1)
    by_fp.setdefault(fp, []).append(int(occ))
assert sorted(max(by_fp.values(), key=len)) == [1, 2], by_fp
P
(cd repo && "$VG" scan --profile audit --format sarif pkg > ../top.sarif 2>/dev/null)
check "SARIF: the same URIs from the repository root" $PY - top.sarif <<'P'
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]} == {"pkg/sub/run.py"}
P

UNIT=$(dirname "$VG")/unit/test_report
if [ -x "$UNIT" ]; then
  check "synthetic SARIF written" "$UNIT" --write-sarif synth.sarif
  check_valid "synthetic SARIF (steps, history, control chars, bad UTF-8) validates" synth.sarif
  check "synthetic SARIF has a codeFlow and a notification" $PY - synth.sarif <<'P'
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
assert any("codeFlows" in r for r in run["results"])
assert run["invocations"][0]["toolExecutionNotifications"]
P
else
  fail "unit binary $UNIT not built (make test-build)"
fi
done_tests
