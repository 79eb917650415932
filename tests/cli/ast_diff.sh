#!/usr/bin/env bash
# ast_diff.sh - `vibeguard debug ast` against CPython's own ast.dump.
#
# 1. Every .py file of the machine's standard library (and tests/ast/
#    oracle_cases/): the Python oracle dumps all of them once
#    (tests/ast/oracle.py), vibeguard dumps all of them in one run
#    (debug ast --list), tests/ast/compare.py compares file by file with
#    numbers normalised.  Two checks per file: the dump text, and every
#    node's position (line, col, end line, end col; f-string insides left
#    out).  Files CPython cannot parse are skipped (and counted).
# 2. tests/ast/cases/*.py (syntax newer than the 3.11 oracle: PEP 701,
#    PEP 695): exact match with the hand-written *.expected next to them.
. tests/lib.sh
PY=${PYTHON:-python3}
# The expected text is CPython 3.11's ast.dump (3.13 drops empty fields).
if [ "$("$PY" -c 'import sys; print(sys.version_info[:2] == (3, 11))')" != True ]; then
  if command -v python3.11 >/dev/null; then PY=python3.11; else
    fail "the oracle needs CPython 3.11 ($PY is $("$PY" -V 2>&1)); set PYTHON"
    done_tests; exit
  fi
fi

STD=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
{
  find "$STD" -name '*.py' -not -path '*/site-packages/*' | LC_ALL=C sort
  ls "$PWD"/tests/ast/oracle_cases/*.py
} > "$TMP/list"
mkdir -p "$TMP/oracle" "$TMP/ours"
# two oracle shards and vibeguard side by side (2 cores)
"$PY" tests/ast/oracle.py "$TMP/list" "$TMP/oracle" 0 2 &
o1=$!
"$PY" tests/ast/oracle.py "$TMP/list" "$TMP/oracle" 1 2 &
o2=$!
check_exit 0 "debug ast --list runs" "$VG" debug ast --list "$TMP/list" --outdir "$TMP/ours"
wait "$o1" "$o2"
cat "$TMP/oracle"/skipped.* > "$TMP/oracle/skipped"
"$PY" tests/ast/compare.py "$TMP/list" "$TMP/oracle" "$TMP/ours" > "$TMP/cmp"
while IFS= read -r line; do
  case "$line" in
    "ok "*) pass ;;
    FAIL*) fail "$line" ;;
    "   "*) echo "$line" >&2 ;;
  esac
done < "$TMP/cmp"
tail -n 1 "$TMP/cmp"
check_grep "oracle compared the standard library" 'compared [0-9]{3,} files' "$TMP/cmp"

for f in tests/ast/cases/*.py; do
  want=${f%.py}.expected
  if "$VG" debug ast "$f" > "$TMP/got" 2> "$TMP/err" && cmp -s "$TMP/got" "$want" && [ ! -s "$TMP/err" ]; then
    pass
  else
    fail "$f: dump differs from $want: $(diff "$TMP/got" "$want" | head -c 300) $(head -c 200 "$TMP/err")"
  fi
done
done_tests
