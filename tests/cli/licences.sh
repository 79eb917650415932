#!/usr/bin/env bash
# licences.sh - 'vibeguard licences' and the licence: findings of 'scan':
# the project's licence and where it was read, the package table in every
# format, the verdicts (conflict, review, unknown, dev-only, ok), the
# environments it reads (.venv, --python, --path), the gate, and inputs an
# attacker writes (nested parentheses, formula cells).
. "$(dirname "$0")/../lib.sh"
FX=tests/fixtures/licence

# --- an MIT project with copied copyleft code and copyleft packages
check_exit 1 "licences exits 1 on conflicts" "$VG" licences "$FX" --format json
cp "$TMP/.out" "$TMP/mit.json"
check_json "project licence read from LICENSE and pyproject" "$TMP/mit.json" '(
d["project"]["licence"] == "MIT" and d["project"]["category"] == "permissive"
and "LICENSE" in d["project"]["source"] and "pyproject.toml (project.license)" in d["project"]["source"])'
pkg() { echo "[(p[\"licence\"], p[\"verdict\"]) for p in d[\"packages\"] if p[\"name\"] == \"$1\"]"; }
check_json "GPL package: conflict" "$TMP/mit.json" "$(pkg copyleftpkg) == [('GPL-3.0-or-later', 'conflict')]"
check_json "AGPL classifier: conflict" "$TMP/mit.json" "$(pkg agplpkg) == [('AGPL-3.0-only', 'conflict')]"
check_json "dual licence: ok" "$TMP/mit.json" "$(pkg dualpkg) == [('GPL-2.0-only OR Apache-2.0', 'ok')]"
check_json "LGPL package: ok" "$TMP/mit.json" "$(pkg lgplpkg) == [('LGPL-3.0-only', 'ok')]"
check_json "licence text in License: read" "$TMP/mit.json" "$(pkg fulltext) == [('MIT', 'ok')]"
check_json "unreadable licence: unknown" "$TMP/mit.json" "$(pkg mystery) == [('The Acme Corporation Source Licence', 'unknown')]"
check_json "egg-info folder read" "$TMP/mit.json" "$(pkg gplegg) == [('GPL', 'conflict')]"
check_json "single-file egg-info read, bare OSI classifier ignored" "$TMP/mit.json" "$(pkg single) == [('MIT', 'ok')]"
check_json "node_modules package read" "$TMP/mit.json" "$(pkg gpl-widget) == [('GPL-3.0-only', 'conflict')]"
check_json "old licenses array read" "$TMP/mit.json" "$(pkg old-style) == [('AGPL-3.0-only', 'conflict')]"
check_json "lockfile dev tool: dev-only" "$TMP/mit.json" "$(pkg gpl-dev-tool) == [('GPL-3.0-only', 'dev-only')]"
check_json "lockfile entry without licence: not listed" "$TMP/mit.json" "$(pkg no-licence-field) == []"
check_json "sources say where" "$TMP/mit.json" '
[p["source"] for p in d["packages"] if p["name"] == "agplpkg"] == [
 "'"$FX"'/env/site-packages/agplpkg-2.0.dist-info/METADATA (classifier)"]'
check_json "copied GPL code is an issue" "$TMP/mit.json" '(
[(f["tier"], f["severity"], f["licence"]) for f in found(rule="licence:copyleft-code", path="app/gpl_copy.py")]
 == [("issue", "medium", "GPL-2.0-or-later")])'
check_json "vendored GPL folder is a review item" "$TMP/mit.json" '
{f["tier"] for f in F if "third_party/gpllib/" in f["path"]} == {"review"}'
check_json "mentions stay silent" "$TMP/mit.json" 'not found(path="app/mentions.py") and not found(path="app/own_spdx.py")'
check_json "summary counts" "$TMP/mit.json" '
d["summary"]["conflicts"] == len([f for f in F if f["tier"] == "issue"]) and d["summary"]["unknown"] >= 1'

# --- the same in the other formats
"$VG" licences "$FX" >"$TMP/mit.txt" 2>"$TMP/mit.err"
check_grep "text: project line" '^project licence: MIT \(permissive\), from ' "$TMP/mit.txt"
check_grep "text: table header" '^Name +Version +License +Category +Verdict +Source$' "$TMP/mit.txt"
check_grep "text: a row" '^copyleftpkg +1\.0 +GPL-3\.0-or-later +copyleft +conflict +' "$TMP/mit.txt"
check_grep "text: conflicts listed" 'app/gpl_copy\.py:5: licence:copyleft-code \[medium, issue\]' "$TMP/mit.txt"
"$VG" licences "$FX" --format markdown >"$TMP/mit.md" 2>/dev/null
check_grep "markdown: table" '^\| Name \| Version \| License \| Category \| Verdict \| Source \|$' "$TMP/mit.md"
check_grep "markdown: a row" '^\| okpkg \| 1\.0 \| MIT \| permissive \| ok \|' "$TMP/mit.md"
"$VG" licences "$FX" --format csv >"$TMP/mit.csv" 2>/dev/null
check "csv parses, one row a package" python3 -c "
import csv, json
rows = list(csv.DictReader(open('$TMP/mit.csv')))
d = json.load(open('$TMP/mit.json'))
assert [r['Name'] for r in rows] == [p['name'] for p in d['packages']], rows
assert {'Name', 'Version', 'License', 'Verdict', 'Source'} <= set(rows[0])"

# --- the gate and the selection
check_exit 0 "--fail-on never" "$VG" licences "$FX" --fail-on never
check_exit 0 "--fail-on high: only high conflicts count" "$VG" licences "$FX/nolicence" --fail-on high
check_exit 1 "the US spelling works too" "$VG" licenses "$FX" --format json
"$VG" licences "$FX" --select licence:unknown-dependency --format json >"$TMP/sel.json" 2>/dev/null
check_json "--select filters findings, not the table" "$TMP/sel.json" '
{f["rule_id"] for f in F} == {"licence:unknown-dependency"} and len(d["packages"]) > 10'
check_exit 2 "bad format" "$VG" licences "$FX" --format sarif
check_exit 2 "missing path" "$VG" licences "$TMP/nowhere"
check_exit 2 "unknown rule selected" "$VG" licences "$FX" --select licence:nope

# --- GPL-2.0-only: the FSF's incompatible pairs
"$VG" licences "$FX/gpl2only" --format json >"$TMP/gpl2.json" 2>/dev/null
check_json "GPL-2.0-only from the SPDX field" "$TMP/gpl2.json" 'd["project"]["licence"] == "GPL-2.0-only"'
check_json "Apache-2.0 package conflicts with GPL-2.0-only" "$TMP/gpl2.json" "$(pkg apachepkg) == [('Apache-2.0', 'conflict')]"
check_json "MIT package joins a GPL program" "$TMP/gpl2.json" "$(pkg mitpkg) == [('MIT', 'ok')]"
check_json "own GPL notice silent" "$TMP/gpl2.json" 'not found(path="src/own.py")'

# --- proprietary (npm's UNLICENSED) and no licence at all
"$VG" licences "$FX/proprietary" --format json >"$TMP/prop.json" 2>/dev/null
check_json "UNLICENSED is proprietary" "$TMP/prop.json" 'd["project"]["licence"] == "Proprietary" and d["project"]["category"] == "proprietary"'
check_json "GPL in a proprietary product: high" "$TMP/prop.json" '
[f["severity"] for f in found(rule="licence:dependency-conflict")] == ["high"]'
"$VG" licences "$FX/nolicence" --format json >"$TMP/none.json" 2>/dev/null
check_json "no licence: UNKNOWN, review items only" "$TMP/none.json" '
d["project"]["licence"] == "UNKNOWN" and F and {f["tier"] for f in F} == {"review"}'

# --- environments: .venv at the top (git-ignored), --python, --path
P="$TMP/proj"
mkdir -p "$P/.venv/lib/python3.12/site-packages/gplthing-1.0.dist-info" "$P/src"
printf '.venv/\n' >"$P/.gitignore"
printf 'MIT License\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\nof this software. The above copyright notice and this permission notice shall be included in all copies.\n' >"$P/LICENSE"
printf 'Metadata-Version: 2.1\nName: gplthing\nVersion: 1.0\nLicense: GPLv3\n' \
  >"$P/.venv/lib/python3.12/site-packages/gplthing-1.0.dist-info/METADATA"
"$VG" licences "$P" --format json >"$TMP/venv.json" 2>/dev/null
check_json ".venv read though git-ignored" "$TMP/venv.json" "$(pkg gplthing) == [('GPL-3.0-only', 'conflict')]"
"$VG" licences "$P" --no-env --format json >"$TMP/noenv.json" 2>/dev/null
check_json "--no-env leaves it" "$TMP/noenv.json" 'd["packages"] == []'
"$VG" scan "$P" --format json --fail-on never >"$TMP/venv-scan.json" 2>/dev/null
check_json "scan honours .gitignore" "$TMP/venv-scan.json" 'not found(rule="licence:dependency-conflict")'
mkdir -p "$TMP/env/bin" "$TMP/env/lib/python3.11/site-packages/agplthing-2.0.dist-info"
: >"$TMP/env/bin/python"
printf 'Metadata-Version: 2.4\nName: agplthing\nVersion: 2.0\nLicense-Expression: AGPL-3.0-or-later\n' \
  >"$TMP/env/lib/python3.11/site-packages/agplthing-2.0.dist-info/METADATA"
"$VG" licences "$P" --no-env --python "$TMP/env/bin/python" --format json >"$TMP/py.json" 2>/dev/null
check_json "--python reads the interpreter's site-packages" "$TMP/py.json" "$(pkg agplthing) == [('AGPL-3.0-or-later', 'conflict')]"
"$VG" licences "$P" --no-env --path "$TMP/env/lib/python3.11/site-packages" --format json >"$TMP/path.json" 2>/dev/null
check_json "--path reads a site-packages folder" "$TMP/path.json" "$(pkg agplthing) == [('AGPL-3.0-or-later', 'conflict')]"
check_exit 2 "--python without an environment" "$VG" licences "$P" --python "$TMP/nowhere/bin/python"

# --- part of every scan
"$VG" scan "$FX" --select licence --format json --fail-on never >"$TMP/scan.json" 2>/dev/null
check_json "scan reports licence findings with props" "$TMP/scan.json" '(
[(f["props"]["licence"], f["props"]["project_licence"]) for f in found(rule="licence:copyleft-code", path="app/agpl_spdx.py")]
 == [("AGPL-3.0-or-later", "MIT")])'
"$VG" scan "$FX" --ignore licence --format json --fail-on never >"$TMP/nolic.json" 2>/dev/null
check_json "--ignore licence drops them" "$TMP/nolic.json" 'not [f for f in F if f["rule_id"].startswith("licence:")]'
"$VG" rules --format json >"$TMP/rules.json" 2>/dev/null
check_json "rules lists the licence family" "$TMP/rules.json" '(
{r["id"] for r in (d if isinstance(d, list) else d["rules"]) if r["id"].startswith("licence:")}
 == {"licence:copyleft-code", "licence:dependency-conflict", "licence:unknown-dependency"})'

# --- the same input, the same report
"$VG" licences "$FX" --format json --fail-on never >"$TMP/again.json" 2>/dev/null
check "deterministic" cmp "$TMP/mit.json" "$TMP/again.json"

# --- hostile metadata: deep parentheses, a formula name, a long licence
H="$TMP/hostile/site-packages"
mkdir -p "$H/deep-1.0.dist-info" "$H/formula-1.0.dist-info" "$H/long-1.0.dist-info"
python3 -c "print('Metadata-Version: 2.4\nName: deep\nVersion: 1.0\nLicense-Expression: ' + '(' * 5000 + 'MIT' + ')' * 5000)" \
  >"$H/deep-1.0.dist-info/METADATA"
printf 'Metadata-Version: 2.1\nName: =HYPERLINK("http://x")\nVersion: 1.0\nLicense: MIT\n' >"$H/formula-1.0.dist-info/METADATA"
python3 -c "print('Metadata-Version: 2.1\nName: long\nVersion: 1.0\nLicense: ' + 'GPL ' * 100000)" \
  >"$H/long-1.0.dist-info/METADATA"
check_exit 0 "hostile metadata: a report, no crash" "$VG" licences "$TMP/hostile" --no-env --format csv --fail-on never
check_grep "csv: a formula cell is defused" "^\"'=HYPERLINK" "$TMP/.out"
check_grep "csv: deep nesting is unknown" '^deep,1\.0,.*,unknown,' "$TMP/.out"

done_tests
