#!/usr/bin/env bash
# golden.sh - what a scan reports stays what it was, byte for byte, unless a
# change means it to move.  Three corpora: the bundled example, every
# fixture, and the Python standard library of the interpreter on this
# machine.  The example and the fixtures are compared with the whole JSON
# report kept in tests/golden/; the standard library (not ours to commit)
# with a SHA-256 of its report and a per-rule count table that shows what
# moved.  A change that moves findings on purpose rewrites the files with
#   VG_GOLDEN_UPDATE=1 bash tests/cli/golden.sh
# and the diff of tests/golden/ shows the reviewer what moved.
. tests/lib.sh
G=tests/golden
upd=${VG_GOLDEN_UPDATE:-0}

golden_json() { # name dir: scan dir (from inside it) and compare the JSON
  local name=$1 dir=$2
  (cd "$dir" && "$VG" scan . --format json --fail-on never --jobs 2) >"$TMP/$name.json" 2>"$TMP/$name.err"
  if [ "$upd" = 1 ]; then cp "$TMP/$name.json" "$G/$name.json"; fi
  if cmp -s "$TMP/$name.json" "$G/$name.json"; then pass; else
    fail "$name: report differs from $G/$name.json: $(diff "$G/$name.json" "$TMP/$name.json" | head -n 12)"
  fi
}
golden_json example examples/ai-app
golden_json fixtures tests/fixtures

# rule counts of a JSON report, one "count rule" line each, sorted by rule
rule_counts() {
  /usr/bin/python3 -c '
import json, sys, collections
c = collections.Counter(f["rule_id"] for f in json.load(open(sys.argv[1]))["findings"])
for r in sorted(c): print(c[r], r)' "$1"
}

std=$(/usr/bin/python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])' 2>/dev/null)
ver=$(/usr/bin/python3 -c 'import platform; print(platform.python_version())' 2>/dev/null)
if [ -z "$std" ] || [ ! -d "$std" ]; then
  skip "golden stdlib: no Python standard library found"
else
  (cd "$std" && "$VG" scan . --exclude 'site-packages/**' --format json --fail-on never --jobs 2) \
    >"$TMP/stdlib.json" 2>"$TMP/stdlib.err"
  sum=$(sha256sum <"$TMP/stdlib.json" | cut -d' ' -f1)
  rule_counts "$TMP/stdlib.json" >"$TMP/stdlib.rules"
  if [ "$upd" = 1 ]; then
    echo "$sum" >"$G/stdlib-$ver.sha256"
    cp "$TMP/stdlib.rules" "$G/stdlib-$ver.rules"
  fi
  if [ ! -f "$G/stdlib-$ver.sha256" ]; then
    skip "golden stdlib: no golden for Python $ver (VG_GOLDEN_UPDATE=1 writes one)"
  elif [ "$sum" = "$(cat "$G/stdlib-$ver.sha256")" ]; then pass; else
    fail "stdlib $ver: report differs; rule counts: $(diff "$G/stdlib-$ver.rules" "$TMP/stdlib.rules" | head -n 20)"
  fi
fi
done_tests
