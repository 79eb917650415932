#!/usr/bin/env bash
# cli_config.sh - .vibeguard.toml and [tool.vibeguard]: discovery, keys,
# precedence of flags, errors that name file:line:col (exit 2).
. "$(dirname "$0")/../lib.sh"
cd "$TMP" || exit 1

mkdir -p proj/tests
printf 'import subprocess\nimport yaml\n\ndef run(cmd):\n    subprocess.call(cmd, shell=True)\n    return yaml.load(cmd)\n' > proj/app.py
printf 'import yaml\n\ndef test_x():\n    assert yaml.load("1") == 1\n' > proj/tests/test_app.py

have() { grep -Eq -- "$1" "$TMP/.out"; }

# baseline: no config
check_exit 1 "no config: findings" "$VG" scan proj
have '^>> B602 ' && pass || fail "python analyzer missing: no B602 on proj/app.py"

# .vibeguard.toml in the scan root
cat > proj/.vibeguard.toml <<'T'
ignore = ["B602", "B404"]
[per-file-ignores]
"tests/" = ["B101", "B506"]
T
check_exit 1 "config in the scan root is read" "$VG" scan proj
check_nogrep "ignore from config" '^>> B602 ' "$TMP/.out"
check_grep "other rules stay" '^>> B506 ' "$TMP/.out"
check_nogrep "per-file-ignores below the root" 'tests/test_app.py' "$TMP/.out"
check_grep "per-file-ignores counted" 'per-file ignored' "$TMP/.out"
(cd proj && "$VG" scan . >"$TMP/.out" 2>"$TMP/.err")
check_nogrep "config in the cwd, scanning ." '^>> B602 ' "$TMP/.out"
check_nogrep "per-file-ignores from the project dir" 'tests/test_app.py' "$TMP/.out"

# fail-on and severity from the config; flags win
cat > proj/.vibeguard.toml <<'T'
fail-on = "critical"
severity = "high"
T
check_exit 0 "fail-on from config" "$VG" scan proj
check_grep "severity from config keeps high" '^>> B602 ' "$TMP/.out"
check_nogrep "severity from config drops medium" '^>> B506 ' "$TMP/.out"
check_exit 1 "--fail-on flag beats the config" "$VG" scan --fail-on low proj
check_exit 0 "--severity flag beats the config (fail-on still critical)" "$VG" scan --severity low proj
check_grep "--severity low shows B506 again" '^>> B506 ' "$TMP/.out"

# select in config is replaced by --select
printf 'select = ["B602"]\n' > proj/.vibeguard.toml
check_exit 1 "select from config" "$VG" scan proj
check_nogrep "select from config drops B506" '^>> B506 ' "$TMP/.out"
check_exit 1 "--select replaces config select" "$VG" scan --select B506 proj
check_grep "--select B506" '^>> B506 ' "$TMP/.out"
check_nogrep "--select B506 drops B602" '^>> B602 ' "$TMP/.out"
rm proj/.vibeguard.toml

# pyproject.toml [tool.vibeguard]; a pyproject without it is not a config
printf '[project]\nname = "x"\n\n[tool.vibeguard]\nignore = ["B5"]\n' > proj/pyproject.toml
check_exit 1 "pyproject [tool.vibeguard]" "$VG" scan proj
check_nogrep "ignore from pyproject" '^>> B506 ' "$TMP/.out"
printf '[project]\nname = "x"\n' > proj/pyproject.toml
check_exit 1 "pyproject without [tool.vibeguard]" "$VG" scan proj
check_grep "no config, B506 reported" '^>> B506 ' "$TMP/.out"
rm proj/pyproject.toml

# --config FILE
printf 'ignore = ["B"]\n' > other.toml
check_exit 0 "--config FILE" "$VG" scan --config other.toml proj
check_exit 2 "--config missing file exits 2" "$VG" scan --config nope.toml proj
check_grep "missing config named" 'nope.toml' "$TMP/.err"

# bad config: one diagnostic naming file:line:col (then the line and a
# caret, indented), exit 2
printf 'ignore = ["B602"]\nseverity = \n' > bad.toml
check_exit 2 "TOML syntax error exits 2" "$VG" scan --config bad.toml proj
check_grep "syntax error names file:line:col" '^bad.toml:2:[0-9]+: error: ' "$TMP/.err"
[ "$(grep -vc '^ ' "$TMP/.err")" = 1 ] && pass || fail "bad config: more than one diagnostic: $(cat "$TMP/.err")"
printf '# types\nignore = 5\n' > bad.toml
check_exit 2 "wrong type exits 2" "$VG" scan --config bad.toml proj
check_grep "wrong type names file:line:col and the key" "bad.toml:2:[0-9]+: error: 'ignore' must be a list of strings" "$TMP/.err"
printf 'fail-on = "sometimes"\n' > bad.toml
check_exit 2 "bad level exits 2" "$VG" scan --config bad.toml proj
check_grep "bad level named" "bad.toml:1:[0-9]+: error: 'fail-on': unknown level 'sometimes'" "$TMP/.err"
printf '[pii]\nthreshold = 7\n' > bad.toml
check_exit 2 "pii threshold out of range exits 2" "$VG" scan --config bad.toml proj
printf 'ignore = ["B"]\nfrobnicate = true\n' > warn.toml
check_exit 0 "unknown key is a warning" "$VG" scan --config warn.toml proj
check_grep "unknown key warned with its place" "warn.toml:2:[0-9]+: warning: unknown config key 'frobnicate'" "$TMP/.err"
printf 'ignore = ["B"]\n[secrets]\nallowlist = ["AKIAEXAMPLE"]\n[pii]\nenabled = true\n[deps]\nallowlist = ["internal-pkg"]\nosv-db = "osv"\n' > full.toml
check_exit 0 "pass-through tables accepted" "$VG" scan --config full.toml proj
if [ -s "$TMP/.err" ]; then fail "pass-through tables warned: $(head -c 300 "$TMP/.err")"; else pass; fi
printf 'max-file-size = "10"\nignore = ["B"]\n' > size.toml
check_exit 0 "max-file-size from config" "$VG" scan --config size.toml --format json proj
check "max-file-size from config skips files" /usr/bin/python3 -c '
import json,sys; d=json.load(open(sys.argv[1])); assert d["stats"]["skipped_large"] >= 2, d["stats"]' "$TMP/.out"
# one glob, one meaning: a pattern in per-file-ignores leaves out the same
# files as the same pattern in exclude (gitignore semantics, core/glob).
# "tests/" names directories only (not the file lib/tests); [[:digit:]] is
# a character class.  Before, per-file-ignores had a matcher of its own.
mkdir -p globs/tests globs/lib/src
for f in app.py tests/test_a.py mod1.py modx.py lib/src/deep.py; do printf 'import yaml\nyaml.load(x)\n' > "globs/$f"; done
printf '#!/usr/bin/env python3\nimport yaml\nyaml.load(x)\n' > globs/lib/tests
paths_of() { /usr/bin/python3 -c '
import json,sys; print(" ".join(sorted({f["path"] for f in json.load(open(sys.argv[1]))["findings"]})))' "$1"; }
for case in 'tests/|globs/tests/test_a.py' 'mod[[:digit:]].py|globs/mod1.py' 'lib/**|globs/lib/src/deep.py globs/lib/tests'; do
  pat=${case%%|*} gone=${case#*|}
  printf 'exclude = ["%s"]\n' "$pat" > ex.toml
  printf '[per-file-ignores]\n"%s" = ["B"]\n' "$pat" > pf.toml
  check_exit 1 "exclude '$pat'" "$VG" scan --profile audit --config ex.toml --format json globs
  ex=$(paths_of "$TMP/.out")
  check_exit 1 "per-file-ignores '$pat'" "$VG" scan --profile audit --config pf.toml --format json globs
  pf=$(paths_of "$TMP/.out")
  [ "$ex" = "$pf" ] && pass || fail "'$pat': exclude keeps [$ex], per-file-ignores keeps [$pf]"
  all="globs/app.py globs/lib/src/deep.py globs/lib/tests globs/mod1.py globs/modx.py globs/tests/test_a.py"
  want=$(for x in $all; do case " $gone " in *" $x "*) ;; *) printf '%s ' "$x" ;; esac; done)
  [ "$ex " = "$want" ] && pass || fail "'$pat' should leave out [$gone]: kept [$ex]"
done
# --- discovery: from a subfolder up to the repository root ---------------------
R=$TMP/disc/repo
mkdir -p "$R/.git" "$R/a/b"
printf 'import subprocess\nsubprocess.call(c, shell=True)\nassert c\n' > "$R/a/b/x.py"
printf 'ignore = ["B602"]\n' > "$R/.vibeguard.toml"
(cd "$R/a/b" && "$VG" scan . --profile bandit --format json -o "$TMP/disc1.json")
check_json "from a subfolder, the repository root's config applies" "$TMP/disc1.json" \
  'ids() == {"B404", "B101"}'
(cd "$TMP" && "$VG" scan "$R/a" --profile bandit --format json -o "$TMP/disc2.json")
check_json "scanning a subfolder from outside, its repository's config applies" "$TMP/disc2.json" \
  'ids() == {"B404", "B101"}'
printf 'ignore = ["B101"]\n' > "$R/a/.vibeguard.toml"
(cd "$R/a/b" && "$VG" scan . --profile bandit --format json -o "$TMP/disc3.json")
check_json "the nearest config applies on top of the root's (nested configs)" "$TMP/disc3.json" 'ids() == {"B404"}'
rm -rf "$R/.git" "$R/a/.vibeguard.toml"
(cd "$R/a/b" && "$VG" scan . --profile bandit --format json -o "$TMP/disc4.json")
check_json "outside a repository, a parent's config is not read" "$TMP/disc4.json" \
  'ids() == {"B404", "B602", "B101"}'
done_tests
