#!/usr/bin/env bash
# gitleaks.sh - gitleaks configurations obeyed as gitleaks obeys them
# (config/config.go of gitleaks v8): [extend] useDefault / path /
# disabledRules, a default rule overridden by id, [[allowlists]] with
# targetRules, path-only rules, the reasons invalid configs are refused,
# .gitleaks.toml found at the scan root and .gitleaksignore fingerprints.
# The configs are written here from gitleaks' documented format.
. "$(dirname "$0")/../lib.sh"
export XDG_CACHE_HOME=${XDG_CACHE_HOME:-/tmp/vg-test-cache}
unset GITLEAKS_CONFIG

GHP=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                # synthetic, valid CRC32
AWS=AKIAQ3EGXKTZ7NWPLR5Y                                    # synthetic
P=$TMP/proj
mkdir -p "$P/src" "$P/certs"
cat >"$P/src/app.py" <<PY
GH = "$GHP"
AWS_ACCESS_KEY_ID = "$AWS"
db_password = "Hq7vR2xLp9Wm4Tz"
ACME = "acme_k3y_Zq8Lr2Wn5Tb7"
PY
printf '0\202\003\000\001\002\003\000binary pkcs12 bytes\000' >"$P/certs/client.p12"

run() { # run NAME CONFIG -> $TMP/NAME.json, exit code in $rc
  "$VG" scan --select secret --format json --secrets-config "$2" "$P" >"$TMP/$1.json" 2>"$TMP/$1.err"
  rc=$?
}

# 1. [[allowlists]] with targetRules silences only the rules it names
cat >"$TMP/target.toml" <<'T'
[extend]
useDefault = true
[[allowlists]]
targetRules = ["github-pat"]
paths = ['''src/''']
T
run target "$TMP/target.toml"
check "targeted allowlist: exit 1" test "$rc" = 1
check_json "targeted allowlist silences github-pat" "$TMP/target.json" 'not found(rule="secret:github-pat")'
check_json "other rules still report" "$TMP/target.json" 'found(rule="secret:aws-access-token", path="src/app.py")'

# 2. a default rule overridden by id: gitleaks' way to give generic-api-key an allowlist
cat >"$TMP/override.toml" <<'T'
[extend]
useDefault = true
[[rules]]
id = "generic-api-key"
[[rules.allowlists]]
regexes = ['''^Hq7v''']
T
run override "$TMP/override.toml"
check "override by id is accepted" test "$rc" = 1
check_json "the override's allowlist applies" "$TMP/override.json" 'not found(rule="secret:generic-api-key", path="src/app.py", line=3)'
check_json "the rule set is otherwise the default" "$TMP/override.json" 'found(rule="secret:github-pat", path="src/app.py", line=1)'

# 3. [extend] path with disabledRules, and a rule of the extending config
cat >"$TMP/base.toml" <<'T'
[extend]
useDefault = true
T
cat >"$TMP/child.toml" <<T
[extend]
path = "$TMP/base.toml"
disabledRules = ["aws-access-token"]
[[rules]]
id = "acme-key"
description = "ACME key"
regex = '''acme_k3y_[A-Za-z0-9]{12}'''
T
run child "$TMP/child.toml"
check_json "extend path: the extended set applies" "$TMP/child.json" 'found(rule="secret:github-pat")'
check_json "disabledRules drops aws-access-token" "$TMP/child.json" 'not found(rule="secret:aws-access-token")'
check_json "the extending config's own rule reports" "$TMP/child.json" 'found(rule="secret:acme-key", path="src/app.py", line=4)'

# 4. without [extend] a config replaces the built-in rules
cat >"$TMP/only.toml" <<'T'
[[rules]]
id = "acme-key"
regex = '''acme_k3y_[A-Za-z0-9]{12}'''
T
run only "$TMP/only.toml"
check_json "no extend: only the config's rules" "$TMP/only.json" \
  'found(rule="secret:acme-key") and not found(rule="secret:github-pat")'

# 5. invalid configs fail with gitleaks' reason
bad() { # bad NAME EXPECTED-REGEX
  run "$1" "$TMP/$1.toml"
  check "$1: exit 2" test "$rc" = 2
  check_grep "$1: gitleaks' reason" "$2" "$TMP/$1.err"
}
cat >"$TMP/group.toml" <<'T'
[[rules]]
id = "g"
regex = '''key_([a-z]+)'''
secretGroup = 2
T
bad group "g: invalid regex secret group 2, max regex secret group 1"
cat >"$TMP/target_re.toml" <<'T'
[[rules]]
id = "t"
regex = '''key_[a-z]+'''
[[rules.allowlists]]
regexTarget = "word"
regexes = ['''x''']
T
bad target_re "t: \[\[rules.allowlists\]\] unknown allowlist \|regexTarget\| 'word' \(expected 'match', 'line'\)"
cat >"$TMP/missing.toml" <<'T'
[extend]
path = "/nonexistent/gitleaks-base.toml"
T
bad missing "failed to load extended config"
cat >"$TMP/both.toml" <<'T'
[extend]
path = "x.toml"
useDefault = true
T
bad both "extend.path and extend.useDefault being set"
cat >"$TMP/empty_al.toml" <<'T'
[extend]
useDefault = true
[[allowlists]]
description = "nothing to check"
T
bad empty_al "must contain at least one check for: commits, paths, regexes, or stopwords"
cat >"$TMP/notarget.toml" <<'T'
[extend]
useDefault = true
[[allowlists]]
targetRules = ["no-such-rule"]
paths = ['''x''']
T
bad notarget "target rule ID 'no-such-rule' does not exist"
cat >"$TMP/norule.toml" <<'T'
[[rules]]
id = "half"
description = "neither regex nor path"
T
bad norule "half: both \|regex\| and \|path\| are empty"

# 6. path-only rules report the file, binary or not
"$VG" scan --select secret --format json "$P" >"$TMP/p12.json" 2>/dev/null
check_json "pkcs12-file reports the .p12 file" "$TMP/p12.json" 'found(rule="secret:pkcs12-file", path="certs/client.p12", line=1)'

# 7. .gitleaks.toml at the scan root is found as gitleaks finds it, and not scanned
cp "$TMP/child.toml" "$P/.gitleaks.toml"
printf '[[allowlists]]\nstopwords = ["%s"]\n' "$AWS" >>"$P/.gitleaks.toml"
"$VG" scan --select secret --format json "$P" >"$TMP/auto.json" 2>"$TMP/auto.err"
check_json ".gitleaks.toml auto-loaded" "$TMP/auto.json" 'found(rule="secret:acme-key", path="src/app.py")'
check_json "the config itself is not scanned" "$TMP/auto.json" 'not found(path=".gitleaks.toml")'
rm "$P/.gitleaks.toml"

# 8. .gitleaksignore: file:rule:line fingerprints
printf '# reviewed\nsrc/app.py:github-pat:1\n' >"$P/.gitleaksignore"
"$VG" scan --select secret --format json "$P" >"$TMP/ign.json" 2>/dev/null
check_json ".gitleaksignore fingerprint drops that finding" "$TMP/ign.json" 'not found(rule="secret:github-pat", path="src/app.py", line=1)'
check_json "and only that one" "$TMP/ign.json" 'found(rule="secret:aws-access-token", path="src/app.py", line=2)'
rm "$P/.gitleaksignore"

# 9. commits allowlists apply to --history
if command -v git >/dev/null 2>&1; then
  G=$TMP/repo
  mkdir -p "$G" && cd "$G" && git init -q . && git config user.email t@example.org && git config user.name t
  printf 'GH = "%s"\n' "$GHP" >a.py && git add a.py && git commit -qm one
  C1=$(git rev-parse HEAD)
  printf 'AWS_ACCESS_KEY_ID = "%s"\n' "$AWS" >b.py && git add b.py && git commit -qm two
  cd - >/dev/null
  cat >"$TMP/commits.toml" <<T
[extend]
useDefault = true
[[allowlists]]
commits = ["$C1"]
T
  "$VG" scan --history --select secret --format json --secrets-config "$TMP/commits.toml" "$G" >"$TMP/hist.json" 2>/dev/null
  check_json "commits allowlist: the listed commit is silent" "$TMP/hist.json" \
    'not [f for f in F if f.get("commit", "").startswith("'"$C1"'"[:12])]'
  check_json "commits allowlist: other commits still report" "$TMP/hist.json" 'found(rule="secret:aws-access-token")'
  # .gitleaksignore's commit:file:rule:line fingerprints (gitleaks' form for a
  # finding of the history): that commit's finding only
  C2=$(git -C "$G" rev-parse HEAD)
  printf '%s:a.py:github-pat:1\n%s:b.py:aws-access-token:9\n' "$C1" "$C2" >"$G/.gitleaksignore"
  "$VG" scan --history --select secret --format json "$G" >"$TMP/hign.json" 2>/dev/null
  check_json ".gitleaksignore commit:file:rule:line drops that commit's finding" "$TMP/hign.json" \
    'not [f for f in F if f["rule_id"] == "secret:github-pat" and f.get("commit")]'
  check_json "... and a fingerprint on another line drops nothing" "$TMP/hign.json" \
    '[f for f in F if f["rule_id"] == "secret:aws-access-token" and f.get("commit", "").startswith("'"${C2:0:12}"'")]'
  printf '0000000000000000000000000000000000000000:a.py:github-pat:1\n' >"$G/.gitleaksignore"
  "$VG" scan --history --select secret --format json "$G" >"$TMP/hign2.json" 2>/dev/null
  check_json "... another commit's fingerprint drops nothing" "$TMP/hign2.json" \
    '[f for f in F if f["rule_id"] == "secret:github-pat" and f.get("commit")]'
  rm "$G/.gitleaksignore"
else
  skip "git not installed"
fi

done_tests
