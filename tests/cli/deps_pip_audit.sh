#!/usr/bin/env bash
# deps_pip_audit.sh - what pip-audit users type works: -r FILE (any name),
# an installed environment (--path site-packages, --python PATH: the
# *.dist-info/METADATA of each distribution, nothing run), --ignore-vuln,
# "fixes" in the JSON, --fix [--dry-run] rewriting pinned lines; every
# report says the advisory data's date and sources and what had no data;
# a lockfile with content that yields no package is a warning.
. tests/lib.sh
cd "$TMP" || exit 1
# METADATA as pip writes it (core metadata 2.1: headers, a blank line, the description)
mkdir -p venv/bin venv/lib/python3.11/site-packages/flask-0.12.2.dist-info \
  venv/lib/python3.11/site-packages/six-1.16.0.dist-info
: > venv/bin/python
printf 'Metadata-Version: 2.1\nName: Flask\nVersion: 0.12.2\nSummary: A simple framework\nRequires-Dist: Werkzeug (>=0.7)\n\nName: not-a-header\n' \
  > venv/lib/python3.11/site-packages/flask-0.12.2.dist-info/METADATA
printf 'Metadata-Version: 2.1\nName: six\nVersion: 1.16.0\n' > venv/lib/python3.11/site-packages/six-1.16.0.dist-info/METADATA
SP=venv/lib/python3.11/site-packages
jq_() { /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1"; }
jcheck() { if jq_ "$2" "$3"; then pass; else fail "$1: $3 ($(head -c 300 "$2"))"; fi; }

check_exit 1 "deps --path site-packages audits the installed packages" \
  "$VG" deps --path "$SP" --format json
"$VG" deps --path "$SP" --format json > p.json 2>/dev/null
jcheck "... Flask 0.12.2 and six 1.16.0, from their METADATA" p.json \
  'sorted((x["name"], x["version"]) for x in d["dependencies"]) == [("Flask", "0.12.2"), ("six", "1.16.0")]'
jcheck "... Flask has advisories" p.json \
  '[x for x in d["dependencies"] if x["name"] == "Flask" and x["vulns"]]'
"$VG" deps --python venv/bin/python --format json > py.json 2>/dev/null
jcheck "--python venv/bin/python finds the same environment" py.json \
  'sorted(x["name"] for x in d["dependencies"]) == ["Flask", "six"]'
check_exit 2 "--python with no environment beside it" "$VG" deps --python /nonexistent/bin/python
jcheck "pip-audit's fixes: Flask 0.12.2 -> a fixed version" p.json \
  '[f for f in d["fixes"] if f["name"] == "Flask" and f["old_version"] == "0.12.2" and f["new_version"]]'
jcheck "each vuln has pip-audit's description" p.json \
  'all("description" in v for x in d["dependencies"] for v in x["vulns"])'

# --ignore-vuln: every advisory of Flask ignored, by id or alias
ids=$(/usr/bin/python3 -c 'import json; d=json.load(open("p.json")); print(",".join(v["id"] for x in d["dependencies"] for v in x["vulns"]))')
check_exit 0 "--ignore-vuln of every advisory: exit 0" "$VG" deps --path "$SP" --ignore-vuln "$ids"
check_grep "... and no table" '^No known vulnerabilities found' "$TMP/.out"
first=${ids%%,*}
"$VG" deps --path "$SP" --ignore-vuln "$first" --format json > iv.json 2>/dev/null
jcheck "--ignore-vuln ID drops that advisory alone" iv.json \
  '"'"$first"'" not in [v["id"] for x in d["dependencies"] for v in x["vulns"]] and [v for x in d["dependencies"] for v in x["vulns"]]'
alias=$(/usr/bin/python3 -c 'import json; d=json.load(open("p.json")); print([a for x in d["dependencies"] for v in x["vulns"] for a in v["aliases"] if a.startswith("CVE-")][0])')
"$VG" deps --path "$SP" --ignore-vuln "$(echo "$alias" | tr A-Z a-z)" --format json > ia.json 2>/dev/null
jcheck "--ignore-vuln by an alias, any case" ia.json \
  'not [v for x in d["dependencies"] for v in x["vulns"] if "'"$alias"'" in v["aliases"]]'

# -r FILE whatever its name; --fix
printf '# production\nflask==0.12.2  # web\nsix==1.16.0\njinja2>=2.0\n' > prod.in
check_exit 1 "deps -r prod.in reads it as a requirements file" "$VG" deps -r prod.in
check_grep "... and finds Flask's advisories" '^flask +0\.12\.2' "$TMP/.out"
check_exit 1 "--fix --dry-run reports" "$VG" deps -r prod.in --fix --dry-run
check_grep "... what it would change" 'would fix prod.in:2: flask 0\.12\.2 -> ' "$TMP/.err"
check_grep "... without writing" '^flask==0\.12\.2  # web$' prod.in
"$VG" deps -r prod.in --fix >/dev/null 2>fix.err
check_grep "--fix says what it changed" 'fixed prod.in:2: flask 0\.12\.2 -> ' fix.err
check_grep "--fix rewrites the pin, keeping the comment" '^flask==[0-9.]+  # web$' prod.in
check_nogrep "... the old pin is gone" '0\.12\.2' prod.in
check_grep "... other lines untouched" '^jinja2>=2\.0$' prod.in
check_exit 0 "after --fix the file audits clean" "$VG" deps -r prod.in --select dep:vulnerable
check_exit 2 "--dry-run alone is an error" "$VG" deps -r prod.in --dry-run

# the advisory data is named in every report
printf 'flask==2.2.5\n' > requirements.txt
printf '{"name": "web", "dependencies": {"left-pad": "1.3.0"}}\n' > package.json
mkdir -p both && mv requirements.txt package.json both/
"$VG" deps both > both.txt 2>&1
check_grep "text: the data's date" '^Advisory data: dated [0-9]{4}-[0-9]{2}-[0-9]{2}' both.txt
check_grep "text: npm has no data" '^npm: no advisory data loaded \(1 package' both.txt
check_nogrep "text: not a bare 'No known vulnerabilities found'" '^No known vulnerabilities found$' both.txt
check_grep "text: the built-in snapshot is stale, with the refresh command" "days old; refresh it with 'vibeguard deps --update-db'" both.txt
"$VG" deps both --format json > both.json 2>/dev/null
jcheck "json: advisory_data with date, entries and what went unchecked" both.json \
  'd["advisory_data"]["date"] and d["advisory_data"]["entries"]["npm"] == 0 and d["advisory_data"]["unchecked"]["npm"] == 1 and d["advisory_data"]["stale"] is True'
"$VG" version > v.txt
check_grep "--version names the built-in advisory data and its date" '^advisory data \(built-in\): .*dated [0-9]{4}-' v.txt
# an OSV directory fetched today is not stale
mkdir -p osv
cat > osv/PYSEC-0000-1.json <<'JSON'
{"id": "PYSEC-0000-1", "modified": "2026-01-01T00:00:00Z", "summary": "test record",
 "affected": [{"package": {"ecosystem": "PyPI", "name": "six"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.17.0"}]}]}]}
JSON
"$VG" deps --path "$SP" --osv-db osv --format json > o.json 2>/dev/null
jcheck "a fresh OSV directory: dated today, not stale" o.json \
  'd["advisory_data"]["stale"] is False and d["advisory_data"]["age_days"] <= 1'
jcheck "... and its record is used" o.json \
  '[v for x in d["dependencies"] if x["name"] == "six" for v in x["vulns"] if v["id"] == "PYSEC-0000-1"]'

# content that yields no package
mkdir -p broken
# a header the parser accepts, entries without a version: nothing read, no parse error
printf '# yarn lockfile v1\n\n"lodash@^4.17.21":\n  resolved "https://registry.yarnpkg.com/lodash/-/lodash-4.17.21.tgz"\n' > broken/yarn.lock
"$VG" deps broken > broken.txt 2>&1
check_grep "a lockfile with content and no package is a warning" 'yarn.lock: warning: no package could be read' broken.txt
printf '# only comments\n\n-i https://pypi.org/simple\n' > broken/requirements.txt
rm broken/yarn.lock
"$VG" deps broken > broken2.txt 2>&1
check_nogrep "a requirements file of comments and options is not" 'no package could be read' broken2.txt
# pnpm git, tarball and local entries are packages too (not from the registry)
mkdir -p pn
cat > pn/pnpm-lock.yaml <<'YAML'
lockfileVersion: '6.0'

dependencies:
  lodash:
    specifier: ^4.17.21
    version: 4.17.21
  mylib:
    specifier: github:acme/mylib#5e7c1a9
    version: github.com/acme/mylib/5e7c1a9
  local-utils:
    specifier: file:../local-utils
    version: file:../local-utils

packages:

  /lodash@4.17.21:
    resolution: {integrity: sha512-v2kDEe57lecTulaDIuNTPy3Ry4gLGJ6Z1O3vE1krgXZNrsQ+LFTGHVxVjcXPs17LhbZVGedAJv8XZ1tvj5FvSg==}
    dev: false

  github.com/acme/mylib/5e7c1a9:
    resolution: {tarball: https://codeload.github.com/acme/mylib/tar.gz/5e7c1a9}
    name: mylib
    version: 1.0.0
    dev: false

  file:../local-utils:
    resolution: {directory: ../local-utils, type: directory}
    name: local-utils
    version: 0.1.0
    dev: false

  /left-pad@https://example.com/left-pad-1.3.0.tgz:
    resolution: {tarball: https://example.com/left-pad-1.3.0.tgz}
    name: left-pad
    version: 1.3.0
    dev: true
YAML
"$VG" deps pn --format json > pn.json 2>/dev/null
jcheck "pnpm: registry, git, local and tarball entries are all packages" pn.json \
  'sorted(x["name"] for x in d["dependencies"]) == ["left-pad", "local-utils", "lodash", "mylib"]'
jcheck "pnpm: the git entry is named by its name field, not its URL" pn.json \
  '[x for x in d["dependencies"] if x["name"] == "mylib" and x["version"] is None and "github.com" in x["spec"]]'
done_tests
