#!/usr/bin/env bash
# nested_config.sh - a monorepo's nested .vibeguard.toml apply to their
# folder, on top of the configs above them: select and thresholds replaced,
# ignores, per-file ignores and excludes added, run-wide keys a warning;
# the same findings whether the scan starts at the root, in a package or
# from outside.  Asserted on the JSON report.
. "$(dirname "$0")/../lib.sh"
cd "$TMP" || exit 1

M=$TMP/mono
# B602 high, B506 medium, B113 medium, B501 high
app() {
  mkdir -p "$(dirname "$1")"
  printf 'import subprocess\nimport yaml\n\n\ndef run(cmd):\n    subprocess.call(cmd, shell=True)\n    return yaml.load(cmd)\n\n\ndef tls():\n    import requests\n    return requests.get("https://x.example", verify=False)\n' >"$1"
}
mkdir -p "$M/.git"
for f in app.py gen/app.py services/web/app.py services/api/app.py services/api/gen/app.py \
         services/api/legacy/app.py services/api/deep/app.py; do app "$M/$f"; done
printf 'ignore = ["B113"]\n' >"$M/.vibeguard.toml"
cat >"$M/services/api/.vibeguard.toml" <<'T'
ignore = ["B602"]
exclude = ["gen/"]
severity = "high"
fail-on = "never"

[per-file-ignores]
"legacy/" = ["B501"]
T
cat >"$M/services/api/deep/pyproject.toml" <<'T'
[project]
name = "deep"

[tool.vibeguard]
select = ["B5"]
severity = "medium"
T

# rules per file, from a JSON report whose paths start with PREFIX
cat >"$TMP/rules.py" <<'EOF2'
import json, sys
d = json.load(open(sys.argv[1])); pre = sys.argv[2]
out = {}
for f in d["findings"]:
    p = f["path"]
    assert p.startswith(pre), p
    out.setdefault(p[len(pre):], []).append(f["rule_id"])
for p in sorted(out):
    print(p, " ".join(sorted(out[p])))
EOF2
WANT='app.py B501 B506 B602
gen/app.py B501 B506 B602
services/api/app.py B501
services/api/deep/app.py B501 B506
services/web/app.py B501 B506 B602'
same() { # DESCRIPTION JSON PREFIX [WANT]
  local got want=$WANT
  [ $# -ge 4 ] && want=$4
  got=$(python3 "$TMP/rules.py" "$2" "$3" 2>&1)
  if [ "$got" = "$want" ]; then pass; else fail "$1: got [$got]"; fi
}

(cd "$M" && "$VG" scan . --format json -o "$TMP/root.json" 2>"$TMP/root.err")
same "from the root: each folder under its configs" "$TMP/root.json" ""
check_grep "a run-wide key in a nested config is a warning with its place" \
  "services/api/.vibeguard.toml:4:[0-9]+: warning: 'fail-on' applies to the whole run" "$TMP/root.err"
check_json "excluded by the nested config: not scanned at all" "$TMP/root.json" \
  "d['stats']['python_files'] == 6 and d['stats']['skipped_ignored'] == 1 and not any('services/api/gen' in f['path'] for f in F)"

"$VG" scan mono --format json -o "$TMP/outside.json" 2>/dev/null
same "from outside the repository (scan mono)" "$TMP/outside.json" "mono/"

(cd "$M/services/api" && "$VG" scan . --format json -o "$TMP/api.json" 2>/dev/null)
same "from inside a package, the configs above it apply too" "$TMP/api.json" "" \
'app.py B501
deep/app.py B501 B506'

(cd "$M" && "$VG" scan services/api/deep --format json -o "$TMP/deep.json" 2>/dev/null)
same "scanning a nested package: its own and every config above" "$TMP/deep.json" \
  "services/api/deep/" "app.py B501 B506"

# files named one by one (what pre-commit runs): the configs of their folders
(cd "$M" && "$VG" scan services/api/app.py services/api/legacy/app.py services/web/app.py \
  --format json -o "$TMP/files.json" 2>/dev/null)
same "files named one by one obey their folders' configs" "$TMP/files.json" "" \
'services/api/app.py B501
services/web/app.py B501 B506 B602'
(cd "$M" && "$VG" scan ./services/api/legacy/ --format json -o "$TMP/legacy.json" 2>/dev/null)
same "a folder below a nested config obeys it (and its per-file ignores)" "$TMP/legacy.json" "" ""

# the command line still wins
(cd "$M" && "$VG" scan . --select B602,B506 --format json -o "$TMP/sel.json" 2>/dev/null)
same "--select replaces every select; nested ignores and thresholds hold" "$TMP/sel.json" "" \
'app.py B506 B602
gen/app.py B506 B602
services/api/deep/app.py B506
services/web/app.py B506 B602'
(cd "$M" && "$VG" scan . --severity low --format json -o "$TMP/sev.json" 2>/dev/null)
same "--severity replaces every folder's threshold" "$TMP/sev.json" "" \
'app.py B501 B506 B602
gen/app.py B501 B506 B602
services/api/app.py B501 B506
services/api/deep/app.py B501 B506
services/api/legacy/app.py B506
services/web/app.py B501 B506 B602'

# --config FILE is the whole configuration
(cd "$M" && "$VG" scan . --config .vibeguard.toml --format json -o "$TMP/cfg.json" 2>/dev/null)
check_json "--config FILE: nested configs are not read" "$TMP/cfg.json" \
  "found(rule='B602', path='services/api/app.py') and found(path='services/api/gen/app.py')"

# a nested config's mistakes are errors as at the top (exit 2, file:line:col)
printf 'ignore = ["B6O2"]\n' >"$M/services/web/.vibeguard.toml"
check_exit 2 "a typo in a nested config's ignore is an error" "$VG" scan "$M"
check_grep "the error names the nested file and suggests" \
  "services/web/.vibeguard.toml:1:[0-9]+: error: ignore: unknown rule or analyzer 'B6O2' \(did you mean 'B602'\?\)" "$TMP/.err"
printf 'severity = "hgih"\n' >"$M/services/web/.vibeguard.toml"
check_exit 2 "a bad value in a nested config is an error" "$VG" scan "$M"
rm "$M/services/web/.vibeguard.toml"

# a nested select may name an analyzer the top-level select leaves out:
# it runs, for that folder only
S=$TMP/sel
mkdir -p "$S/.git" "$S/keys" "$S/app"
printf 'select = ["B"]\n' >"$S/.vibeguard.toml"
printf 'select = ["secret", "B"]\n' >"$S/keys/.vibeguard.toml"
printf 'AWS_ACCESS_KEY_ID = "AKIAQ4ZR7XW2LMN3KP5T"\n' | tee "$S/keys/k.py" >"$S/app/k.py"
(cd "$S" && "$VG" scan . --format json -o "$TMP/selan.json" 2>/dev/null)
check_json "a nested select starts an analyzer the root's leaves out, for its folder" "$TMP/selan.json" \
  "found(rule='secret:aws-access-token', path='keys/k.py') and not found(rule='secret:aws-access-token', path='app/k.py')"

# a folder the ignore files leave out holds no config that counts
mkdir -p "$M/vendor/lib"
app "$M/vendor/lib/app.py"
printf 'ignore = ["B"]\n' >"$M/vendor/.vibeguard.toml"
printf 'vendor/lib/\n' >"$M/.gitignore"
(cd "$M" && "$VG" scan . --format json -o "$TMP/ign.json" 2>/dev/null)
same "configs in ignored folders change nothing" "$TMP/ign.json" ""
done_tests
