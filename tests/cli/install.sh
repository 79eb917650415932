#!/usr/bin/env bash
# install.sh - the man page is made from the --help text and renders; the
# completion scripts parse and complete commands, flags and values (bash
# driven for real; zsh and fish when installed); `make install` honours
# PREFIX and DESTDIR (when the release build is up to date: the test does
# not rebuild, a stale build is a counted skip).
. tests/lib.sh
VGA=$(cd "$(dirname "$VG")" && pwd)/$(basename "$VG")
check "gen-man.sh writes the page" bash scripts/gen-man.sh "$VGA" "$TMP/vibeguard.1"
check_grep "the page has the front door's usage" '^usage: vibeguard <command>' "$TMP/vibeguard.1"
check_grep "... and scan's own --help text" 'fail-on LEVEL' "$TMP/vibeguard.1"
check_grep "... and a section per command" '^\.SH "VIBEGUARD DEPS"' "$TMP/vibeguard.1"
if command -v man >/dev/null; then
  check "man renders it" sh -c "man -l '$TMP/vibeguard.1' | grep -q 'VIBEGUARD(1)'"
else
  skip "man is not installed"
fi

"$VG" completion bash > "$TMP/c.bash"
check "bash completion parses" bash -n "$TMP/c.bash"
mkdir -p "$TMP/bin" && ln -s "$VGA" "$TMP/bin/vibeguard"
comp() { # WORDS... : the completions bash offers for the last word
  PATH=$TMP/bin:$PATH bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _vibeguard; printf "%s\n" "${COMPREPLY[@]}"' _ "$TMP/c.bash" "$@"
}
[ "$(comp vibeguard sc)" = scan ] && pass || fail "bash: 'sc' completes to scan: [$(comp vibeguard sc)]"
comp vibeguard scan --fail > "$TMP/f.txt"
check_grep "bash: scan's flags come from its --help" '^--fail-on$' "$TMP/f.txt"
comp vibeguard deps --ignore-v > "$TMP/d.txt"
check_grep "bash: deps' flags too" '^--ignore-vuln$' "$TMP/d.txt"
comp vibeguard scan --format gitlab > "$TMP/g.txt"
check_grep "bash: --format values" '^gitlab-sast$' "$TMP/g.txt"
"$VG" completion zsh > "$TMP/_vibeguard"
"$VG" completion fish > "$TMP/c.fish"
if command -v zsh >/dev/null; then check "zsh completion parses" zsh -n "$TMP/_vibeguard"; else skip "zsh is not installed"; fi
if command -v fish >/dev/null; then check "fish completion parses" fish -n "$TMP/c.fish"; else skip "fish is not installed"; fi
check_exit 2 "completion of an unknown shell" "$VG" completion tcsh

if [ -x build/vibeguard ] && make -q build/vibeguard 2>/dev/null; then
  if make -s install PREFIX=/opt/vg DESTDIR="$TMP/stage" >"$TMP/i.log" 2>&1; then pass; else fail "make install: $(tail -3 "$TMP/i.log")"; fi
  for f in bin/vibeguard share/man/man1/vibeguard.1 share/bash-completion/completions/vibeguard \
           share/zsh/site-functions/_vibeguard share/fish/vendor_completions.d/vibeguard.fish; do
    [ -f "$TMP/stage/opt/vg/$f" ] && pass || fail "make install put no $f under DESTDIR/PREFIX"
  done
  check "the installed binary runs" "$TMP/stage/opt/vg/bin/vibeguard" version
else
  skip "the release build is missing or stale: make install not run (make -j2 all)"
fi
done_tests
