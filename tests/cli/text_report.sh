#!/usr/bin/env bash
# text_report.sh - the text report of many findings: a table of counts per
# rule first (10 findings or more), --group-by file|rule, and the table's
# counts agreeing with the JSON report of the same scan.
. tests/lib.sh
mkdir -p "$TMP/p"
{ echo 'import subprocess'; for i in $(seq 1 8); do echo "subprocess.call(c$i, shell=True)"; done; } > "$TMP/p/a.py"
{ echo 'import os'; for i in $(seq 1 4); do echo "os.system(c$i)"; done; } > "$TMP/p/b.py"
"$VG" scan "$TMP/p" --profile bandit --no-color > "$TMP/t.txt" 2>/dev/null
"$VG" scan "$TMP/p" --profile bandit --format json -o "$TMP/t.json" 2>/dev/null
check_grep "a table of counts opens the report" '^[0-9]+ findings of [0-9]+ rules:$' "$TMP/t.txt"
check "the table's counts are the JSON report's" /usr/bin/python3 - "$TMP/t.txt" "$TMP/t.json" <<'P'
import collections, json, re, sys
txt = open(sys.argv[1]).read().split("\n\n")[0]
rows = {m.group(2): int(m.group(1)) for m in re.finditer(r"^\s+(\d+)\s+(\S+)\s+(low|medium|high|critical)\s", txt, re.M)}
want = collections.Counter(f["rule_id"] for f in json.load(open(sys.argv[2]))["findings"])
assert rows == dict(want), (rows, want)
assert list(rows)[0] == "B602"          # most frequent first
P
"$VG" scan "$TMP/p" --profile bandit --no-color --group-by rule > "$TMP/r.txt" 2>/dev/null
check_grep "--group-by rule: a heading per rule with its count" '^B602 subprocess with shell=True \(8\)$' "$TMP/r.txt"
check_grep "... and B605's" '^B605 .* \(4\)$' "$TMP/r.txt"
check_nogrep "... and no file headings" "^$TMP/p/a.py\$" "$TMP/r.txt"
"$VG" scan "$TMP/p" --profile bandit --no-color --group-by file > "$TMP/f.txt" 2>/dev/null
check_grep "--group-by file: a heading per file" "^$TMP/p/a.py\$" "$TMP/f.txt"
check_exit 2 "--group-by of something else" "$VG" scan "$TMP/p" --group-by severity
"$VG" scan "$TMP/p/b.py" --profile bandit --no-color > "$TMP/s.txt" 2>/dev/null
check_nogrep "a short report has no table" 'findings of [0-9]+ rules' "$TMP/s.txt"
"$VG" scan "$TMP/p" --profile bandit --no-color -q > "$TMP/q.txt" 2>/dev/null
check_nogrep "--quiet has no table" 'findings of [0-9]+ rules' "$TMP/q.txt"
done_tests
