#!/usr/bin/env bash
# python_rules.sh - golden fixtures for the Python rule pack (B*, VG1xx-VG6xx).
#
# Every .py file under tests/fixtures/python/ (except taint/, which the
# taint tests own) carries its expectations on the line itself:
#     subprocess.call(cmd, shell=True)   # expect: B602
#     x = f"SELECT * FROM t WHERE a={a}" # expect: B608,VG101
#     cursor.execute("SELECT 1")         # ok
# One check per annotated line: the set of B/VG rule ids reported on that
# line must equal the expected set (`# ok`: none); `B602[sev=low]` and
# `B608[conf=high]` also check that finding's severity / confidence.  A
# finding on a line without an annotation is a failure too.  The scan runs the whole Python
# analyzer; taint rules (VG7xx) and the text scanners are not compared.
. "$(dirname "$0")/../lib.sh"

FIX=tests/fixtures/python
SELECT=B,VG1,VG2,VG3,VG4,VG5,VG6
(cd "$FIX" && "$VG" scan --format json --select "$SELECT" --no-color .) >"$TMP/out.json" 2>"$TMP/err"
rc=$?
check_exit_rc() { if [ "$rc" -le 1 ]; then pass; else fail "scan of $FIX exited $rc: $(head -c 400 "$TMP/err")"; fi; }
check_exit_rc

/usr/bin/python3 - "$TMP/out.json" "$FIX" >"$TMP/results" <<'PY'
import json, os, re, sys
out, root = sys.argv[1], sys.argv[2]
try:
    findings = json.load(open(out)).get("findings", [])
except Exception as e:
    print("FAIL json: cannot read scan output: %s" % e)
    sys.exit(0)
found, attrs = {}, {}
for f in findings:
    p = os.path.normpath(f["path"])
    found.setdefault(p, {}).setdefault(f["line"], set()).add(f["rule_id"])
    attrs.setdefault((p, f["line"], f["rule_id"]), []).append((f["severity"], f["confidence"]))
ann = re.compile(r"#\s*(expect:\s*([A-Za-z0-9_,= \[\]]+)|ok)\s*$")
item = re.compile(r"([A-Za-z0-9_]+)(?:\[([^\]]*)\])?")
for dirpath, dirs, files in os.walk(root):
    rel_dir = os.path.relpath(dirpath, root)
    if rel_dir.split(os.sep)[0] == "taint":
        continue
    for name in sorted(files):
        if not name.endswith((".py", ".pyi")):
            continue
        rel = os.path.normpath(os.path.join(rel_dir, name))
        got = found.get(rel, {})
        seen = set()
        with open(os.path.join(dirpath, name), encoding="utf-8", errors="replace") as fh:
            for no, line in enumerate(fh, 1):
                m = ann.search(line)
                if not m:
                    continue
                seen.add(no)
                want, checks = set(), []
                if m.group(1) != "ok":
                    for it in item.finditer(m.group(2)):
                        want.add(it.group(1))
                        for kv in (it.group(2) or "").split():
                            k, _, v = kv.partition("=")
                            checks.append((it.group(1), k, v))
                have = got.get(no, set())
                bad = []
                for rid, k, v in checks:
                    vals = [s if k == "sev" else c for s, c in attrs.get((rel, no, rid), [])]
                    if v not in vals:
                        bad.append("%s %s=%s (got %s)" % (rid, k, v, ",".join(vals) or "none"))
                if have == want and not bad:
                    print("PASS %s:%d" % (rel, no))
                else:
                    print("FAIL %s:%d: want {%s} got {%s} %s" % (rel, no, ",".join(sorted(want)), ",".join(sorted(have)), "; ".join(bad)))
        for no in sorted(set(got) - seen):
            print("FAIL %s:%d: unexpected {%s} on a line without an annotation" % (rel, no, ",".join(sorted(got[no]))))
PY
while read -r status desc; do
  if [ "$status" = PASS ]; then pass; else fail "$desc"; fi
done <"$TMP/results"
[ -s "$TMP/results" ] || fail "no fixture results"
done_tests
