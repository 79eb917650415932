#!/usr/bin/env bash
# gen-man.sh BINARY OUT - the man page vibeguard(1), made from the same
# text as --help: the front door's usage, then each command's --help, so
# the page never says other than the binary does.
set -eu
VG=$1 OUT=$2
esc() { sed -e 's/\\/\\e/g' -e 's/^\./\\\&./' -e "s/^'/\\\\\\&'/"; }
{
  echo '.TH VIBEGUARD 1 "" "vibeguard '"$("$VG" version | head -1 | awk '{print $2}')"'" "User Commands"'
  echo '.SH NAME'
  echo 'vibeguard \- security gate for Python projects: code, secrets, personal data, hidden Unicode, dependencies'
  echo '.SH SYNOPSIS'
  echo '.B vibeguard'
  echo '.I command'
  echo '[options] [PATH...]'
  echo '.SH DESCRIPTION'
  echo '.nf'
  "$VG" --help | esc
  echo '.fi'
  for c in scan deps licences redact restore pii rules instructions prompt threat-model debug completion; do
    echo ".SH \"VIBEGUARD ${c^^}\""
    echo '.nf'
    "$VG" "$c" --help 2>&1 | esc
    echo '.fi'
  done
  echo '.SH "EXIT STATUS"'
  echo '0 nothing at or above \-\-fail\-on; 1 findings; 2 usage or runtime error.'
  echo '.SH "SEE ALSO"'
  echo 'bandit(1), gitleaks(1), pre\-commit(8); the README and docs/ of the source tree.'
} > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
