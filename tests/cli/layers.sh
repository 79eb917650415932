#!/usr/bin/env bash
# layers.sh - the shape of the tree stays what docs/ARCHITECTURE.md says:
# the folder include graph of src/ runs one way (scripts/layers.sh), and no
# source file but the parser and the generated Unicode tables grows past
# 1,200 lines (a file that large is two concepts: split it).
. tests/lib.sh
if scripts/layers.sh >"$TMP/graph" 2>"$TMP/err"; then pass; else
  fail "the include graph has an upward edge: $(cat "$TMP/err")"
fi
while read -r n f; do
  case "$f" in
    src/python/parse.c|src/python/unitab.h|src/python/uniprint.h|total) continue ;;
  esac
  if [ "$n" -le 1200 ]; then pass; else fail "$f has $n lines (at most 1200)"; fi
done < <(wc -l src/*/*.c src/*/*.h)
done_tests
