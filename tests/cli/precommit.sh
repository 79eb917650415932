#!/usr/bin/env bash
# precommit.sh - the shipped .pre-commit-hooks.yaml through a real
# pre-commit (Debian's, or whichever is on PATH) in a throw-away repository:
# the hook config is accepted, a staged secret blocks the commit, a clean
# change goes through.  Without pre-commit every check is a counted skip.
. tests/lib.sh
HOOKS_FILE=$T_ROOT/.pre-commit-hooks.yaml
PC=$(command -v pre-commit || true)
if [ -z "$PC" ]; then
  skip "pre-commit is not installed (apt-get install pre-commit)"
  done_tests; exit
fi
export PRE_COMMIT_HOME=$TMP/pc-home GIT_CONFIG_NOSYSTEM=1 HOME=$TMP
mkdir -p "$TMP/bin"
ln -s "$(cd "$(dirname "$VG")" && pwd)/$(basename "$VG")" "$TMP/bin/vibeguard"
export PATH=$TMP/bin:$PATH
g() { git -c user.name=t -c user.email=t@example.com -c init.defaultBranch=main -c commit.gpgsign=false "$@"; }

# the hook repository: the shipped hooks file at a commit
mkdir -p "$TMP/hooks" && cp "$HOOKS_FILE" "$TMP/hooks/.pre-commit-hooks.yaml"
(cd "$TMP/hooks" && g init -q && g add . && g commit -qm hooks)
REV=$(cd "$TMP/hooks" && git rev-parse HEAD)

mkdir -p "$TMP/proj" && cd "$TMP/proj" || exit 1
g init -q
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: file://$TMP/hooks
    rev: $REV
    hooks:
      - id: vibeguard
YAML
echo 'print("hello")' > app.py
g add . && g commit -qm init
check "pre-commit $("$PC" --version | awk '{print $2}') accepts the shipped hooks (validate-manifest)" \
  "$PC" validate-manifest "$TMP/hooks/.pre-commit-hooks.yaml"
check "pre-commit install" "$PC" install
echo 'def f(): return 1' >> app.py
g add app.py
if g commit -qm clean >"$TMP/c1.log" 2>&1; then pass; else fail "a clean change is committed: $(tail -5 "$TMP/c1.log")"; fi
echo 'KEY = "AKIAZ3MSJV4WWQKL7X2B"' > settings.py
echo 'SECRET = "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"' >> settings.py
g add settings.py
if g commit -qm secret >"$TMP/c2.log" 2>&1; then fail "a staged secret must block the commit"; else pass; fi
check_grep "... and the hook says why" 'aws|secret' "$TMP/c2.log"
check_nogrep "... with no config error" 'InvalidConfigError|InvalidManifestError|is not a valid' "$TMP/c2.log"
check_nogrep "the clean commit had no config error either" 'InvalidConfigError|InvalidManifestError' "$TMP/c1.log"
done_tests
