#!/usr/bin/env bash
# taint.sh - what a user sees of a taint flow: numbered steps in text,
# SARIF codeFlows, --no-taint, confidence by source kind, and taint's
# refinement of B608.  The fixtures under tests/fixtures/python/taint/
# (their `# expect: VG7xx` / `# ok` lines) are checked by fixtures.sh.
. "$(dirname "$0")/../lib.sh"

FIX=tests/fixtures/python/taint

# what a user sees: numbered steps from the source to the sink
"$VG" scan --select VG701 --no-color "$FIX/sql" >"$TMP/text" 2>&1
check_grep "text output numbers the steps" '^ +1\. .*source: request\.args' "$TMP/text"
check_grep "text output ends the path at the sink" 'sink: cur\.execute\(\)' "$TMP/text"
check_grep "cross-module step names the helper's parameter" "parameter \`order_id\` of find_order\(\)" "$TMP/text"

# SARIF: each taint result carries a codeFlow
"$VG" scan --format sarif --select VG7 "$FIX/cmd" >"$TMP/sarif" 2>/dev/null
check_json "SARIF taint results carry codeFlows" "$TMP/sarif" '
(lambda res: bool(res) and all(r["codeFlows"][0]["threadFlows"][0]["locations"] for r in res))(d["runs"][0]["results"])'

# --no-taint turns the engine off
check_exit 0 "--no-taint reports no taint findings" "$VG" scan --no-taint --select VG7 "$FIX/sql"

# confidence follows the source: web high, environment low
# (--profile bandit: no merging, so each taint finding is seen on its own
# rather than folded into the B605/B602 on the same call)
"$VG" scan --profile bandit --format json --select VG702 "$FIX/sources/cli_env_llm.py" >"$TMP/conf.json" 2>/dev/null
check_json "environment source is low confidence" "$TMP/conf.json" '[f["confidence"] for f in found(line=19)] == ["low"]'
check_json "command-line source is medium confidence" "$TMP/conf.json" '[f["confidence"] for f in found(line=15)] == ["medium"]'

# taint refines the pattern rules: B608 on a tainted line becomes high,
# on a constant value low (not under --profile bandit, which keeps
# Bandit's confidences; audit, where the B608 of line 18 folds into VG701)
"$VG" scan --profile audit --format json --select B608 "$FIX/sql/views.py" >"$TMP/b608.json" 2>/dev/null
check_json "B608 proven tainted is high confidence" "$TMP/b608.json" \
  '[(f["confidence"], f["props"].get("taint")) for f in found(rule="B608", line=25)] == [("high", "tainted")]'
check_json "B608 on a constant dict entry is low confidence" "$TMP/b608.json" \
  '[(f["confidence"], f["props"].get("taint", "").split()[0]) for f in found(rule="B608", line=35)] == [("low", "constant")]'

done_tests
