#!/usr/bin/env bash
# pii.sh - 'vibeguard pii' (JSON/text, code-point spans, masking, options)
# and pii:<ENTITY> findings in 'vibeguard scan' (documentation values and
# test cards in test files stay silent).
. "$(dirname "$0")/../lib.sh"
F=tests/fixtures/pii

# JSON shape, spans in code points and bytes, masked text
printf 'Grüße: Maria Garcia <maria.garcia@acme-billing.io>\n' > "$TMP/u.txt"
check_exit 1 "pii finds entities (exit 1)" "$VG" pii --entities PERSON,EMAIL_ADDRESS "$TMP/u.txt"
cp "$TMP/.out" "$TMP/u.json"
check_json "pii finds the person and the e-mail, in order" "$TMP/u.json" \
  '[e["type"] for e in d["entities"]] == ["PERSON", "EMAIL_ADDRESS"]'
check_json "email found with Presidio's validated score" "$TMP/u.json" \
  '[e["score"] for e in d["entities"] if e["type"] == "EMAIL_ADDRESS"] == [1]'
python3 - "$TMP/u.json" "$TMP/u.txt" > "$TMP/spans" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); raw = open(sys.argv[2], 'rb').read(); txt = raw.decode()
for e in d["entities"]:
    ok_cp = txt[e["start"]:e["end"]] == raw[e["byte_start"]:e["byte_end"]].decode()
    print(e["type"], e["score"], e["start"], e["end"], e["byte_start"], e["byte_end"], ok_cp, e["text"])
PY
check_grep "email span: code points 21..49, bytes 23..51" '^EMAIL_ADDRESS 1 21 49 23 51 True ' "$TMP/spans"
check_grep "person span in code points" '^PERSON 0.4 7 19 9 21 True' "$TMP/spans"
check_json "text masked by default" "$TMP/u.json" \
  '"maria.garcia@" not in raw and [e["text"] for e in d["entities"]] == ["Ma" + "*" * 10, "ma" + "*" * 26]'
check_exit 1 "--show" "$VG" pii --entities PERSON,EMAIL_ADDRESS --show "$TMP/u.txt"
check_json "--show prints the value" "$TMP/.out" \
  '[e["text"] for e in d["entities"]] == ["Maria Garcia", "maria.garcia@acme-billing.io"]'

# Presidio's results (its patterns, validators and context rule): the
# domain of an address is also a URL, "Tax ID" context lifts an ITIN,
# a 9xx area is still an SSN (0.5), a colon'd MAC before a full stop counts
printf 'Write to maria.garcia@acme-billing.io\nTaxpayer id: 912-78-1234\nmac 5c:26:0a:11:22:33.\n' > "$TMP/pres.txt"
check_exit 1 "Presidio profile" "$VG" pii --show --threshold 0 "$TMP/pres.txt"
check_json "Presidio's URL inside the address (Non schema URL, 0.5)" "$TMP/.out" \
  '("URL", "acme-billing.io", 0.5) in [(e["type"], e["text"], e["score"]) for e in d["entities"]]'
check_json "Presidio's context: taxpayer lifts the ITIN to 0.85" "$TMP/.out" \
  '("US_ITIN", "912-78-1234", 0.85) in [(e["type"], e["text"], e["score"]) for e in d["entities"]]'
check_json "Presidio keeps a 9xx SSN (0.5)" "$TMP/.out" \
  '("US_SSN", "912-78-1234", 0.5) in [(e["type"], e["text"], e["score"]) for e in d["entities"]]'
check_json "MAC before a full stop, context mac" "$TMP/.out" \
  '("MAC_ADDRESS", "5c:26:0a:11:22:33", 0.95) in [(e["type"], e["text"], e["score"]) for e in d["entities"]]'
check_exit 1 "--format presidio" "$VG" pii --format presidio --threshold 0 "$TMP/pres.txt"
check_json "Presidio's field names, nothing else" "$TMP/.out" \
  'isinstance(d, list) and d and all(sorted(e) == ["end", "entity_type", "score", "start"] for e in d)'
check_json "Presidio's result for the ITIN" "$TMP/.out" \
  '{"entity_type": "US_ITIN", "start": 51, "end": 62, "score": 0.85} in d'

# text format, entity filter, threshold, stdin
check_exit 1 "text format" "$VG" pii --format text "$F/customers.json"
check_grep "text line:col TYPE score" 'customers.json:3:[0-9]+: US_SSN 0.85 ' "$TMP/.out"
check_exit 1 "--entities" "$VG" pii --entities UK_NHS,CRYPTO "$F/customers.json"
check_json "--entities keeps only those, NHS and wallet" "$TMP/.out" \
  '[e["type"] for e in d["entities"]] == ["UK_NHS", "CRYPTO"]'
printf 'call 212-555-2368\n' > "$TMP/p.txt"
check_exit 0 "--threshold 0.8 drops a 0.75 phone" "$VG" pii --threshold 0.8 "$TMP/p.txt"
check_exit 1 "stdin" sh -c "printf 'iban DE44 5001 0517 5407 3249 31' | '$VG' pii -"
check_json "stdin IBAN, validated" "$TMP/.out" \
  '[(e["type"], e["score"], e["start"], e["end"]) for e in d["entities"]] == [("IBAN_CODE", 1, 5, 32)]'
check_exit 0 "nothing found: exit 0" sh -c "echo 'nothing here' | '$VG' pii"
check_exit 2 "unknown entity" "$VG" pii --entities NOPE "$TMP/p.txt"
check_grep "unknown entity message" "unknown entity 'NOPE'" "$TMP/.err"
check_exit 2 "bad threshold" "$VG" pii --threshold 2 "$TMP/p.txt"
check_exit 2 "missing file" "$VG" pii "$TMP/none.txt"
printf 'name: John Smith\033[31m\n' > "$TMP/esc.txt"
check_exit 1 "control chars" "$VG" pii --format text --show "$TMP/esc.txt"
check_nogrep "no raw escape in text output" $'\033' "$TMP/.out"

# scan: findings in data files, silence for documentation values and test cards
check_exit 1 "scan finds PII in customer data" "$VG" scan "$F" --select pii --format json
cp "$TMP/.out" "$TMP/scan.json"
for e in PERSON EMAIL_ADDRESS PHONE_NUMBER CREDIT_CARD IBAN_CODE US_SSN UK_NHS CRYPTO IP_ADDRESS; do
  check_json "scan pii:$e in customers.json" "$TMP/scan.json" "found(rule='pii:$e', path='pii/customers.json')"
done
check_json "only the data file and the module that holds data reported: documentation values, credits and test cards silent" "$TMP/scan.json" \
  '{f["path"] for f in F} == {"tests/fixtures/pii/customers.json", "tests/fixtures/pii/contacts.py"}'
check_json "low severity" "$TMP/scan.json" '{f["severity"] for f in F} == {"low"}'
check_json "scan masks PII" "$TMP/scan.json" '"maria.garcia@acme" not in raw'
mkdir -p "$TMP/app"; cp "$F/tests/test_billing.py" "$TMP/app/billing.py"
check_exit 1 "real-looking card numbers outside test files" "$VG" scan "$TMP/app" --select pii
check_grep "card in non-test file" 'pii:CREDIT_CARD' "$TMP/.out"
# "a test file" is the one definition the rules use too (sema_is_test_path):
# test_*, *_test.py, *_tests.py, tests.py, conftest.py, or under tests/, test/,
# testing/, testdata/, test_data/ or t/; nothing else
for p in conftest.py pkg/cards_test.py test/cards.py src/tests/cards.py \
         testdata/cards.py Tests/cards.py testimonials/cards.py tests.py; do
  mkdir -p "$(dirname "$TMP/where/$p")"; cp "$F/tests/test_billing.py" "$TMP/where/$p"
done
(cd "$TMP/where" && "$VG" scan . --select pii --format json --fail-on never) > "$TMP/where.json"
cards=$(/usr/bin/python3 -c '
import json, sys
f = json.load(open(sys.argv[1]))["findings"]
print(" ".join(sorted({x["path"] for x in f if x["rule_id"] == "pii:CREDIT_CARD"})))' "$TMP/where.json")
if [ "$cards" = "Tests/cards.py testimonials/cards.py" ]; then pass; else
  fail "test cards reported outside test files only; got: $cards"
fi
# configuration: [pii] entities / threshold / enabled
mkdir -p "$TMP/cfg"; cp "$F/customers.json" "$TMP/cfg/"
printf '[pii]\nentities = ["UK_NHS", "CRYPTO"]\n' > "$TMP/cfg/.vibeguard.toml"
check_exit 1 "config entities" "$VG" scan "$TMP/cfg" --config "$TMP/cfg/.vibeguard.toml" --select pii
check_grep "config entities: NHS reported" 'pii:UK_NHS' "$TMP/.out"
check_nogrep "config entities: e-mail not" 'pii:EMAIL_ADDRESS' "$TMP/.out"
printf '[pii]\nthreshold = 0.99\n' > "$TMP/cfg/.vibeguard.toml"
check_exit 1 "config threshold" "$VG" scan "$TMP/cfg" --config "$TMP/cfg/.vibeguard.toml" --select pii
check_nogrep "config threshold drops 0.75 phones" 'pii:PHONE_NUMBER' "$TMP/.out"
check_grep "config threshold keeps validated 1.0" 'pii:CREDIT_CARD' "$TMP/.out"
printf '[pii]\nenabled = false\n' > "$TMP/cfg/.vibeguard.toml"
check_exit 0 "config enabled = false" "$VG" scan "$TMP/cfg" --config "$TMP/cfg/.vibeguard.toml" --select pii
check_exit 0 "--no-pii" "$VG" scan "$F" --no-pii --select pii
done_tests
