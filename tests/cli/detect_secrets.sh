#!/usr/bin/env bash
# detect_secrets.sh - detect-secrets users' files: .secrets.baseline is a
# baseline (each entry accepts the secret on that line of that file) and is
# never scanned itself (its hashed_secret values are SHA-1 digests, not
# secrets); "# pragma: allowlist nextline secret" waives the next line.
# The baseline below is what detect-secrets 1.5.0 wrote for settings.py.
. tests/lib.sh
P=$TMP/p
mkdir -p "$P"
cat > "$P/settings.py" <<'PY'
DEBUG = False
AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ9kLmNpQr"
STRIPE_KEY = "sk_live_4eC39HqLyjWDarjtT1zdp7dc9aZ3"
# pragma: allowlist nextline secret
GITHUB_TOKEN = "ghp_Zq8W7e6R5t4Y3u2I1o0PaSdFgHjKlZxCvBnM"
PY
cat > "$P/.secrets.baseline" <<'JSON'
{
  "version": "1.5.0",
  "plugins_used": [
    {"name": "AWSKeyDetector"},
    {"name": "Base64HighEntropyString", "limit": 4.5},
    {"name": "KeywordDetector", "keyword_exclude": ""},
    {"name": "StripeDetector"}
  ],
  "filters_used": [
    {"path": "detect_secrets.filters.allowlist.is_line_allowlisted"},
    {"path": "detect_secrets.filters.heuristic.is_sequential_string"}
  ],
  "results": {
    "settings.py": [
      {"type": "AWS Access Key", "filename": "settings.py",
       "hashed_secret": "6ced5044b7b4b23dbaf367b7a1e5bcfe7748afe0", "is_verified": false, "line_number": 2},
      {"type": "Base64 High Entropy String", "filename": "settings.py",
       "hashed_secret": "6ced5044b7b4b23dbaf367b7a1e5bcfe7748afe0", "is_verified": false, "line_number": 2},
      {"type": "Stripe Access Key", "filename": "settings.py",
       "hashed_secret": "891a58077e6f5753b8838bf4f865a7de32b60440", "is_verified": false, "line_number": 3}
    ]
  },
  "generated_at": "2026-12-02T05:47:27Z"
}
JSON
check_exit 1 "without the baseline both secrets are reported" \
  "$VG" scan "$P" --format json -o "$TMP/a.json"
check_json "... on lines 2 and 3, and the allowlisted line 5 is not" "$TMP/a.json" \
  '{f["line"] for f in F if f["path"].endswith("settings.py")} == {2, 3}'
check_json ".secrets.baseline itself yields no finding" "$TMP/a.json" \
  'not [f for f in F if f["path"].endswith(".secrets.baseline")]'
check_json "... and the nextline pragma counts as an inline suppression" "$TMP/a.json" \
  'd["stats"]["suppressed"] >= 1'
check_exit 0 "--baseline .secrets.baseline accepts what it lists" \
  "$VG" scan "$P" --baseline "$P/.secrets.baseline" --format json -o "$TMP/b.json"
check_json "... counted as baselined" "$TMP/b.json" 'F == [] and d["stats"]["baselined"] == 2'
# a new secret is still reported
echo 'SENDGRID = "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"' >> "$P/settings.py"
check_exit 1 "a secret the baseline does not list is reported" \
  "$VG" scan "$P" --baseline "$P/.secrets.baseline" --format json -o "$TMP/c.json"
check_json "... on its line" "$TMP/c.json" '{f["line"] for f in F} == {6}'
# a detect-secrets baseline under another name is recognised by its shape
cp "$P/.secrets.baseline" "$P/ds-baseline.json"
"$VG" scan "$P/ds-baseline.json" --format json -o "$TMP/d.json"
check_json "a baseline under another name is not scanned either" "$TMP/d.json" 'F == []'
done_tests
