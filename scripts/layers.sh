#!/usr/bin/env bash
# layers.sh - print the folder import graph of src/ and fail when it has a
# cycle or a folder includes one above it in the layer order of
# docs/ARCHITECTURE.md:
#   cli > scan > {walk, git} > analyzers (python rules taint text deps redact)
#       > report > finding > fmt > core
# (report sits beside the analyzers: it renders findings and knows no
# analyzer; fmt is the file-format layer under everything that reads files.)
set -u
cd "$(dirname "$0")/.."
rank() {
  case $1 in
    core) echo 0 ;; fmt) echo 1 ;; finding) echo 2 ;;
    python) echo 3 ;; rules|taint) echo 4 ;; text|deps) echo 3 ;; redact) echo 4 ;;
    report) echo 3 ;; walk|git) echo 5 ;; scan) echo 6 ;; cli) echo 7 ;;
    *) echo 99 ;;
  esac
}
bad=0
for d in src/*/; do
  d=${d%/}; n=${d#src/}
  deps=$(grep -ho '#include "\.\./[a-z]*/' "$d"/*.[ch] "$d"/*.def 2>/dev/null |
         sed 's|#include "\.\./||; s|/$||' | sort -u | grep -vx "$n" | tr '\n' ' ')
  echo "$n -> $deps"
  for t in $deps; do
    if [ "$(rank "$t")" -ge "$(rank "$n")" ]; then
      echo "layers: $n includes $t, which is not below it" >&2; bad=1
    fi
  done
done
exit $bad
