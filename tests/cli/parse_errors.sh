#!/usr/bin/env bash
# parse_errors.sh - error recovery of the Python parser.
#
# Each tests/fixtures/parse_errors/*.py states what a user must see:
#   # expect-error: LINE:COL: MESSAGE   exactly these diagnostics, in order
#                                        (shown as FILE:LINE:COL: error: MESSAGE,
#                                        each followed by its line and a caret)
#   # expect-node: TEXT                  TEXT appears in the `debug ast` dump
#                                        (the rest of the file was parsed)
. tests/lib.sh
for f in tests/fixtures/parse_errors/*.py; do
  "$VG" debug ast "$f" > "$TMP/out" 2> "$TMP/err"
  sed -n 's/^# expect-error: \([0-9]*:[0-9]*\): /'"$(printf '%s' "$f" | sed 's/[\/&]/\\&/g')"':\1: error: /p' "$f" > "$TMP/want"
  grep -v '^ ' "$TMP/err" > "$TMP/heads" # the excerpt lines are indented
  if cmp -s "$TMP/want" "$TMP/heads"; then pass; else
    fail "$f: diagnostics differ: want [$(cat "$TMP/want")] got [$(head -c 400 "$TMP/err")]"
  fi
  while IFS= read -r node; do
    if grep -qF -- "$node" "$TMP/out"; then pass; else fail "$f: no '$node' in the dump"; fi
  done < <(sed -n 's/^# expect-node: //p' "$f")
done

# The excerpt: the line (tabs kept, control characters made visible) and a
# caret under the column; a long line is cut around the column.
printf 'def f(:\n    pass\n' > "$TMP/b.py"
"$VG" debug ast "$TMP/b.py" > /dev/null 2> "$TMP/err"
printf '%s:1:6: error: %s\n    1 | def f(:\n      |      ^\n' "$TMP/b.py" "'(' was never closed" > "$TMP/want"
if cmp -s "$TMP/want" "$TMP/err"; then pass; else fail "excerpt: want [$(cat "$TMP/want")] got [$(cat "$TMP/err")]"; fi
printf 'x = 1\n\ty\x01 = (\n' > "$TMP/c.py"
"$VG" debug ast "$TMP/c.py" > /dev/null 2> "$TMP/err"
check "excerpt: tab kept, control byte shown, caret under the column" python3 -c '
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
assert lines[0].startswith(sys.argv[2] + ":2:"), lines
src, caret = lines[1], lines[2]
assert src == "    2 | \ty\\x01 = (", repr(src)
assert caret.startswith("      | \t") and caret.endswith("^"), repr(caret)
' "$TMP/err" "$TMP/c.py"
python3 -c 'print("x = " + "a + " * 100 + "(")' > "$TMP/long1.py"
"$VG" debug ast "$TMP/long1.py" > /dev/null 2> "$TMP/err"
check "excerpt of a long line: cut, caret under the bracket" python3 -c '
import sys
lines = open(sys.argv[1]).read().split("\n")
src, caret = lines[1], lines[2]
assert len(src) < 200 and src.split(" | ", 1)[1].startswith("..."), repr(src)
assert src[caret.index("^")] == "(", (src, caret)
' "$TMP/err"

# A 10 MB generated file parses (memory grows linearly: about 55 bytes per
# source byte in the release build) with no error.
python3 -c '
import sys
for i in range(125000):
    sys.stdout.write("def f%d(a, b):\n    return os.system(a + str(b) * 3) if a else [x for x in b]\n\n" % i)
' > "$TMP/big.py"
check_exit 0 "debug parse of a 10 MB file" "$VG" debug parse "$TMP/big.py"
check_grep "10 MB file: no parse errors" '^parse errors: 0 ' "$TMP/.out"
check_grep "debug parse counts files" '^files: 1$' "$TMP/.out"
check_grep "debug parse counts bytes" '^bytes: 10[0-9]{6}$' "$TMP/.out"
check_grep "debug parse prints MB/s" '^MB/s: [0-9]+' "$TMP/.out"

# debug parse over a directory: only .py files, errors as file:line:col
mkdir -p "$TMP/tree/pkg"
printf 'x = 1\n' > "$TMP/tree/a.py"
printf 'def f(:\n    pass\n' > "$TMP/tree/pkg/b.py"
printf 'not python (\n' > "$TMP/tree/notes.txt"
check_exit 0 "debug parse --jobs 2 on a tree" "$VG" debug parse --jobs 2 "$TMP/tree"
check_grep "two .py files" '^files: 2$' "$TMP/.out"
check_grep "the error names its file, once" "pkg/b\\.py:1:6: error: '\\(' was never closed" "$TMP/.out"
check_grep "one error" '^parse errors: 1 \(in 1 files\)' "$TMP/.out"
check_exit 2 "debug without a subcommand is a usage error" "$VG" debug
check_exit 2 "debug ast of a missing file" "$VG" debug ast "$TMP/none.py"

# 100,000 nested brackets and a 100,000-term expression: an error or a
# tree, never a crash.
python3 -c 'print("x = " + "[" * 100000 + "]" * 100000)' > "$TMP/deep.py"
check_exit 0 "100k nested brackets" "$VG" debug parse "$TMP/deep.py"
check_grep "deep nesting is reported" 'too many nested parentheses' "$TMP/.out"
python3 -c 'print("x = " + " + ".join(["a"] * 100000))' > "$TMP/long.py"
check_exit 0 "100k-term expression" "$VG" debug ast "$TMP/long.py"
done_tests
