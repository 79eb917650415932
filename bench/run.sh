#!/usr/bin/env bash
# run.sh - `make bench`: every bench/<name>.sh, side by side with the peers
# (Bandit and ripgrep from Debian, CPython's own parser; and in peers.sh the
# current Bandit, ruff, gitleaks, detect-secrets, Presidio, installed by
# scripts/install-peers.sh into a scratch directory), on a real corpus:
# this machine's Python standard library.  Each script
# prints its own lines with figures and ratios.  Numbers, not assertions:
# nothing here can fail the build, and no test ever checks a time.
set -u
cd "$(dirname "$0")/.."
B=${VG_BUILD:-build}
export VG="$PWD/$B/vibeguard"
export VG_ROOT="$PWD"
STDLIB=$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])' 2>/dev/null)
export STDLIB
if [ ! -x "$VG" ]; then echo "bench: $VG is missing; run make first" >&2; exit 2; fi
echo "vibeguard bench on $(nproc) cores; corpus: $STDLIB ($(du -sh "$STDLIB" 2>/dev/null | cut -f1))"
echo "release binary: $VG ($($VG version))"
only=${BENCH:-}
for s in $(ls bench/*.sh | grep -v /peers.sh) bench/peers.sh; do # the table last
  name=$(basename "$s" .sh)
  [ "$name" = run ] && continue
  [ "$name" = redact_ab ] && continue # two builds, named by hand
  # peers.sh runs these itself, for its one table of every row
  case $name in history|staged|scaling) [ -z "$only" ] && continue ;; esac
  if [ -n "$only" ] && [ "$only" != "$name" ]; then continue; fi
  echo
  echo "== $name"
  bash "$s" || echo "   ($name exited $?)"
done
