#!/usr/bin/env bash
# shard.sh - `scan --shard K/N` and `vibeguard merge`: N shards run as
# separate processes (at the same time, as CI jobs would) cover the tree
# exactly once, and their merged JSON and SARIF reports equal the unsharded
# ones, cross-module taint included; the Kubernetes Indexed Job form
# (JOB_COMPLETION_INDEX -> --shard) of docs/shards.md; bad arguments.
. "$(dirname "$0")/../lib.sh"
export XDG_CACHE_HOME=${XDG_CACHE_HOME:-/tmp/vg-test-cache}

T=$TMP/tree
mkdir -p "$T"
cp -r tests/fixtures/python/taint tests/fixtures/secrets examples/ai-app "$T"/
N=3
for fmt in json sarif; do
  "$VG" scan --profile audit --format "$fmt" -o "$TMP/full.$fmt" "$T" >/dev/null 2>&1
  pids=""
  for k in $(seq 1 $N); do
    "$VG" scan --profile audit --format "$fmt" --shard "$k/$N" -o "$TMP/part$k.$fmt" "$T" >/dev/null 2>&1 &
    pids="$pids $!"
  done
  for p in $pids; do wait "$p"; done
  check_exit 0 "merge of $N $fmt shards" "$VG" merge -o "$TMP/merged.$fmt" $(for k in $(seq 1 $N); do echo "$TMP/part$k.$fmt"; done)
done

/usr/bin/python3 - "$TMP" "$N" >"$TMP/cmp.out" 2>&1 <<'PY'
import json, sys
tmp, n = sys.argv[1], int(sys.argv[2])
full = json.load(open(tmp + "/full.json"))
merged = json.load(open(tmp + "/merged.json"))
parts = [json.load(open("%s/part%d.json" % (tmp, k))) for k in range(1, n + 1)]
def key(f): return (f["path"], f["line"], f["column"], f["rule_id"], f["fingerprint"])
ok = True
def need(cond, what):
    global ok
    if not cond:
        ok = False
        print("not:", what)
need(len(full["findings"]) > 20, "the tree has findings")
need(any(len({s["path"] for s in f["steps"]}) > 1 for f in full["findings"]), "a cross-module flow")
need(merged == full, "merged JSON == unsharded JSON")
seen = {}
for k, p in enumerate(parts):
    need(0 < len(p["findings"]) < len(full["findings"]), "shard %d holds a part" % (k + 1))
    for f in p["findings"]:
        seen.setdefault(key(f), set()).add(k)
need(all(len(v) == 1 for v in seen.values()), "each finding in one shard")
need(sum(p["stats"]["files"] for p in parts) == full["stats"]["files"], "each file in one shard")
paths = [set(f["path"] for f in p["findings"]) for p in parts]
need(all(not (paths[a] & paths[b]) for a in range(n) for b in range(a + 1, n)), "paths split")
fs, ms = json.load(open(tmp + "/full.sarif")), json.load(open(tmp + "/merged.sarif"))
need(ms == fs, "merged SARIF == unsharded SARIF")
need(len(ms["runs"]) == 1, "one run per tool")
print("ok" if ok else "FAILED")
PY
if grep -qx ok "$TMP/cmp.out"; then pass; else fail "shards: $(cat "$TMP/cmp.out")"; fi

# merging a report with itself keeps each finding once; stats add up
check_exit 0 "merge a report with itself" "$VG" merge "$TMP/full.json" "$TMP/full.json" -o "$TMP/twice.json"
check_json "identical findings kept once" "$TMP/twice.json" \
  "len(F) == len(__import__('json').load(open('$TMP/full.json'))['findings'])"
# two SARIF logs of one tool: one run
check_exit 0 "merge two SARIF logs" "$VG" merge "$TMP/part1.sarif" "$TMP/part2.sarif" -o "$TMP/two.sarif"
check_json "one run, rule indexes valid" "$TMP/two.sarif" \
  "len(d['runs']) == 1 and all(r['ruleId'] == d['runs'][0]['tool']['driver']['rules'][r['ruleIndex']]['id'] for r in d['runs'][0]['results'])"

# the Kubernetes Indexed Job recipe: JOB_COMPLETION_INDEX is 0-based
for i in 0 1 2; do
  JOB_COMPLETION_INDEX=$i sh -c '"$0" scan --profile audit --format json --shard "$((JOB_COMPLETION_INDEX + 1))/3" -o "$1/job-$JOB_COMPLETION_INDEX.json" "$2"' \
    "$VG" "$TMP" "$T" >/dev/null 2>&1
done
"$VG" merge "$TMP"/job-*.json -o "$TMP/jobs.json"
check "Indexed Job shards merge to the full report" /usr/bin/python3 -c \
  "import json,sys; sys.exit(json.load(open('$TMP/jobs.json')) != json.load(open('$TMP/full.json')))"

# bad arguments
for bad in 0/3 4/3 3 a/b 1/0 -1/2 2/; do
  check_exit 2 "--shard $bad refused" "$VG" scan --shard "$bad" "$T"
done
check_exit 2 "merge of JSON and SARIF refused" "$VG" merge "$TMP/full.json" "$TMP/full.sarif"
printf 'not json' >"$TMP/junk.json"
check_exit 2 "merge of a non-report refused" "$VG" merge "$TMP/junk.json"
check_exit 2 "merge of nothing refused" "$VG" merge
check_exit 2 "merge of a missing file" "$VG" merge "$TMP/none.json"
done_tests
