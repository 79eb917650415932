#!/usr/bin/env bash
# faults.sh - the fault-injection tier (curl's -t, SQLite's faultsim).  Under
# the test build VG_FAULT="kind:N" (src/core/fault.h; kind alloc, read,
# write or rename) makes the Nth call of that kind fail once.  For a small
# tree and each N of a range, the scan must:
#   - not crash: exit 0, 1 or 2 and no sanitizer report; a failed allocation
#     may instead end in xalloc's clean abort ("vibeguard: out of memory");
#   - say what failed: a report that lost a file's findings names that file
#     in its errors, and an exit 2 comes with an error message;
#   - lose nothing else: every finding of every other file is still there;
#   - write -o FILE atomically: a failed write or rename leaves FILE as it
#     was and no temporary file beside it.
# A build without the hook (VG_FAULT=alloc:1 leaves a scan as it was) is one
# counted skip.  The text engine (secrets, PII, Unicode) is left out of the
# sweep: a failed read of its database cache recompiles it, 15-30 s a run.
. "$(dirname "$0")/../lib.sh"
export XDG_CACHE_HOME="$TMP/cache"
unset VG_FAULT

T=$TMP/tree
mkdir -p "$T/pkg"
printf 'import subprocess\n\n\ndef run(cmd):\n    subprocess.call(cmd, shell=True)\n' >"$T/app.py"
printf 'import yaml\n\n\ndef calc(expr):\n    assert expr\n    return yaml.load(expr)\n' >"$T/util.py"
printf 'PASSWORD = "hunter2hunter2"\n' >"$T/pkg/settings.py"
printf 'import os\n\n\ndef clean(p):\n    os.system("rm -rf " + p)\n' >"$T/pkg/tasks.py"
printf 'flask==0.12.2\n' >"$T/requirements.txt"
printf 'ignore = ["B101"]\n' >"$T/.vibeguard.toml"
# the names an error message may give (the tree's files, the -o report)
NAMES='app\.py|util\.py|settings\.py|tasks\.py|requirements\.txt|\.vibeguard\.toml|r\.json'
SCAN=(scan --select B,VG,dep --jobs 1 --format json --fail-on never)
SAN='AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:'

# faulted KIND:N OUT ERR ARGS...: one run with the fault (the subshell keeps
# the shell's own "Aborted" line out of the test's stderr)
faulted() {
  local f=$1 out=$2 err=$3; shift 3
  (VG_FAULT=$f "$VG" "$@" >"$out" 2>"$err"; exit $?) 2>/dev/null
}

# --- the unfaulted report every faulted one is compared with; is the hook
# in this build (does the first allocation fail)?
"$VG" "${SCAN[@]}" "$T" >"$TMP/base.json" 2>"$TMP/base.err"
base_rc=$?
faulted alloc:1 "$TMP/probe.json" "$TMP/probe.err" "${SCAN[@]}" "$T"
if [ $? = "$base_rc" ] && cmp -s "$TMP/probe.json" "$TMP/base.json"; then
  skip "no fault injection in this build (VG_FAULT=alloc:1 had no effect on a scan)"
  done_tests
  exit
fi
check_json "baseline: every file of the tree reports its finding, the config is read" "$TMP/base.json" \
  '{p.split("/tree/")[1] for p in (f["path"] for f in F)} == {"app.py", "util.py", "pkg/settings.py", "pkg/tasks.py", "requirements.txt"} and not E and not found(rule="B101")'

# judge KIND N RC REPORT ERR: one check for one faulted run
judge() {
  local kind=$1 n=$2 rc=$3 rep=$4 err=$5 why
  why=$(/usr/bin/python3 - "$kind" "$rc" "$TMP/base.json" "$rep" "$err" "$SAN" "$NAMES" 2>&1 <<'PY'
import json, os, re, sys
kind, rc, base, rep, err, san, names = sys.argv[1], int(sys.argv[2]), *sys.argv[3:]
stderr = open(err, encoding="utf-8", errors="replace").read()
if re.search(san, stderr):
    sys.exit("sanitizer report: " + stderr[:300])
if kind == "alloc" and rc in (134, -6) and stderr.strip().startswith("vibeguard: out of memory"):
    sys.exit(0)  # xalloc's contract: a clean abort with one message
if rc not in (0, 2):  # --fail-on never: 0 with a report, 2 on an error
    sys.exit("exit %d (want 0 or 2): %s" % (rc, stderr[:300]))
if rc == 2:
    # the one diagnostic form: "path:line:col: error: message" (or
    # "vibeguard: error: message" for a diag about no file)
    if not re.search(r"^(?=.*\berror: )(?=.*(%s)).*$" % names, stderr, re.M):
        sys.exit("exit 2 without an error naming the file: %s" % stderr[:300])
    sys.exit(0)
try:
    d = json.load(open(rep))
except ValueError as e:
    sys.exit("exit 0 but the report is not JSON: %s" % e)
want = {(f["path"], f["line"], f["rule_id"]) for f in json.load(open(base))["findings"]}
got = {(f["path"], f["line"], f["rule_id"]) for f in d["findings"]}
named = " ".join("%s %s" % (e.get("path", ""), e.get("message", "")) for e in d["errors"]) + stderr
lost = sorted(w for w in want - got if w[0] not in named)
if lost:
    sys.exit("findings lost with no message naming their file: %s" % lost[:4])
if got - want:
    sys.exit("findings that the unfaulted scan does not report: %s" % sorted(got - want)[:4])
sys.exit(0)
PY
) && pass || fail "VG_FAULT=$kind:$n: $why"
}

# sweep KIND FROM TO: scan the tree with the Nth call of KIND failing
sweep() {
  local kind=$1 n hit=0
  for n in $(seq "$2" "$3"); do
    faulted "$kind:$n" "$TMP/f.json" "$TMP/f.err" "${SCAN[@]}" "$T"
    judge "$kind" "$n" $? "$TMP/f.json" "$TMP/f.err"
    cmp -s "$TMP/f.json" "$TMP/base.json" && [ ! -s "$TMP/f.err" ] || hit=1
  done
  [ "$hit" = 1 ] || skip "VG_FAULT=$kind:$2..$3 changed nothing: no $kind of this scan reaches the hook"
}
sweep read 1 24
for n in 1 2 3 5 10 30 100 300 1000 3000; do
  faulted "alloc:$n" "$TMP/f.json" "$TMP/f.err" "${SCAN[@]}" "$T"
  judge alloc "$n" $? "$TMP/f.json" "$TMP/f.err"
done

# --- -o FILE: a failed write or rename keeps the old FILE and leaves no temporary
wsweep() {
  local kind=$1 n hit=0 rc
  for n in $(seq "$2" "$3"); do
    printf 'old report\n' >"$TMP/out/r.json"
    faulted "$kind:$n" "$TMP/f.out" "$TMP/f.err" "${SCAN[@]}" -o "$TMP/out/r.json" "$T"
    rc=$?
    judge "$kind" "$n" "$rc" "$TMP/out/r.json" "$TMP/f.err"
    if [ "$rc" = 2 ]; then
      hit=1
      if [ "$(cat "$TMP/out/r.json")" = "old report" ]; then pass; else
        fail "VG_FAULT=$kind:$n: -o failed (exit 2) but r.json changed: $(head -c 100 "$TMP/out/r.json")"
      fi
    fi
    if ls "$TMP/out" | grep -qv '^r\.json$'; then fail "VG_FAULT=$kind:$n: left $(ls "$TMP/out" | tr '\n' ' ')"; else pass; fi
  done
  [ "$hit" = 1 ] || skip "VG_FAULT=$kind:$2..$3 with -o FILE changed nothing: the report write does not reach the hook"
}
mkdir -p "$TMP/out"
wsweep write 1 4
wsweep rename 1 2
done_tests
