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

# LLM applications (docs/llm.md): the path of a secret to a model in SARIF,
# the OWASP LLM id as the rule's tag and the result's property, and a
# user's question to the same model is no finding
LLM=tests/fixtures/python/llmapp
"$VG" scan --format sarif --select VG503 "$LLM/support_bot.py" >"$TMP/llm.sarif" 2>/dev/null
check_json "VG503 results carry a codeFlow from the source" "$TMP/llm.sarif" '
(lambda res: bool(res) and all("source:" in r["codeFlows"][0]["threadFlows"][0]["locations"][0]["location"]["message"]["text"] for r in res))(d["runs"][0]["results"])'
check_json "VG503 is tagged with OWASP LLM02" "$TMP/llm.sarif" '
any("external/owasp/LLM02:2025" in r["properties"]["tags"] for r in d["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "VG503")'
check_json "VG503 results carry owasp_llm" "$TMP/llm.sarif" '
all(r["properties"].get("owasp_llm") == "LLM02:2025" for r in d["runs"][0]["results"])'
"$VG" scan --format json --select VG5,VG7 "$LLM/support_bot.py" >"$TMP/llm.json" 2>/dev/null
check_json "a question sent to the model is no finding" "$TMP/llm.json" 'not found(line=27)'
check_json "a secret to the model is high, personal data medium" "$TMP/llm.json" \
  '[f["severity"] for f in found(line=85)] == ["high"] and [f["severity"] for f in found(line=42)] == ["medium"]'
check_json "an agent tool's argument in a shell is tagged LLM06" <("$VG" scan --format json --select VG702 "$LLM/agents/lc_agent.py" 2>/dev/null) \
  '[(f["props"]["source_kind"], f["props"]["owasp_llm"]) for f in found(line=26)] == [("tool", "LLM06:2025")]'

done_tests
