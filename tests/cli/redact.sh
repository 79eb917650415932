#!/usr/bin/env bash
# redact.sh - 'vibeguard redact' and 'vibeguard restore': byte-identical
# round trips on a settings module, a log excerpt and chat text; redacted
# Python still parses; vault mode; wrong key and tampered vault fail
# cleanly; unknown placeholders reported; shape style; stdin/stdout.
. "$(dirname "$0")/../lib.sh"
F=tests/fixtures/redact
export VIBEGUARD_VAULT_KEY_FILE="$TMP/keys/vault.key"
unset VIBEGUARD_VAULT_KEY

for f in settings.py app.log chat.txt; do
  check_exit 0 "redact $f" "$VG" redact "$F/$f" --vault "$TMP/$f.vault"
  cp "$TMP/.out" "$TMP/$f.red"
  check_exit 0 "restore $f" "$VG" restore --vault "$TMP/$f.vault" "$TMP/$f.red"
  check "restore $f is byte-identical" cmp -s "$TMP/.out" "$F/$f"
  check_nogrep "$f: no e-mail left" 'maria\.garcia@' "$TMP/$f.red"
  check_nogrep "$f: no password left" 'Tr0ub4dor' "$TMP/$f.red"
done
R=$TMP/settings.py.red
check_grep "AWS key placeholder in its quotes" '^AWS_ACCESS_KEY_ID = "<AWS_[A-Z_]+_1>"$' "$R"
check_grep "connection string placeholder" '"URL": "<CONNECTION_STRING_1>"' "$R"
check_grep "private IPs" '"HOST": "<PRIVATE_IP_1>"' "$R"
check_grep "second private IP numbered 2" '"REPLICA": "<PRIVATE_IP_2>"' "$R"
check_grep "internal host" '"<INTERNAL_HOST_[0-9]+>", "api.acme-billing.io"' "$R"
check_grep "email numbered per type" '"<EMAIL_ADDRESS_1>"\), \("Ops", "<EMAIL_ADDRESS_2>"\)' "$R"
check_grep "recall first: the documentation address is replaced too" 'DOCS_CONTACT = "<EMAIL_ADDRESS_3>"' "$R"
check_grep "loopback kept" '"localhost", "127.0.0.1"' "$R"
check_grep "env lookups kept" 'os.environ.get\("AWS_SECRET_ACCESS_KEY", ""\)' "$R"
L=$TMP/app.log.red
check_grep "same value, same placeholder (log)" 'user=<EMAIL_ADDRESS_1> .*' "$L"
check_grep "same value again" 'sent receipt to <EMAIL_ADDRESS_1>$' "$L"
check_grep "card and IBAN" 'card <CREDIT_CARD_1> declined .* \(iban <IBAN_CODE_1>\)' "$L"
check_grep "timestamps kept" '^2024-05-03T10:12:01Z INFO' "$L"

# redacted Python still parses (our frontend), as the original does
check_exit 0 "debug parse on the original settings" "$VG" debug parse "$F/settings.py"
check_grep "the original settings parse" '^parse errors: 0 ' "$TMP/.out"
check_exit 0 "debug parse on redacted settings" "$VG" debug parse "$R"
check_grep "redacted Python parses" '^parse errors: 0 ' "$TMP/.out"
"$VG" redact --style shape "$F/settings.py" > "$TMP/shape.py" 2>/dev/null
check_exit 0 "debug parse on shape-redacted settings" "$VG" debug parse "$TMP/shape.py"
check_grep "shape-redacted Python parses" '^parse errors: 0 ' "$TMP/.out"

# vault and key files are not group/other readable
check "vault mode 0600" test "$(stat -c %a "$TMP/settings.py.vault")" = 600
check "key file mode 0600" test "$(stat -c %a "$TMP/keys/vault.key")" = 600

# an assistant's answer: case changed, one unknown placeholder
printf 'Rotate <aws_access_token_1> and tell <Email_Address_2>; ignore <EMAIL_ADDRESS_42>.\n' > "$TMP/answer.txt"
check_exit 1 "restore reports unknown placeholders (exit 1)" "$VG" restore --vault "$TMP/settings.py.vault" "$TMP/answer.txt"
check_grep "case-insensitive restore" 'Rotate AKIAZ3MSJV4WWQKL7X2B and tell ops@acme-billing.io; ignore <EMAIL_ADDRESS_42>\.' "$TMP/.out"
check_grep "unknown placeholder listed" '<EMAIL_ADDRESS_42>' "$TMP/.err"

# wrong key, tampered vault, missing key: clear errors, no output
check_exit 2 "wrong key" env VIBEGUARD_VAULT_KEY=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff "$VG" restore --vault "$TMP/settings.py.vault" "$R"
check_grep "wrong key message" 'wrong key' "$TMP/.err"
check "no output on wrong key" test ! -s "$TMP/.out"
cp "$TMP/settings.py.vault" "$TMP/t.vault"
printf '\x01' | dd of="$TMP/t.vault" bs=1 seek=60 conv=notrunc 2>/dev/null
check_exit 2 "tampered vault" "$VG" restore --vault "$TMP/t.vault" "$R"
check_grep "tampered message" 'wrong key .* or the file was modified' "$TMP/.err"
printf 'hello' > "$TMP/junk.vault"
check_exit 2 "not a vault" "$VG" restore --vault "$TMP/junk.vault" "$R"
check_grep "not a vault message" 'not a vibeguard vault' "$TMP/.err"
check_exit 2 "missing key file" env VIBEGUARD_VAULT_KEY_FILE="$TMP/nokey" "$VG" restore --vault "$TMP/settings.py.vault" "$R"
check_exit 2 "restore needs --vault" "$VG" restore "$R"

# passphrase key; extending a vault keeps numbering
check_exit 0 "passphrase vault" env VIBEGUARD_VAULT_KEY="correct horse" "$VG" redact "$F/chat.txt" --vault "$TMP/p.vault"
cp "$TMP/.out" "$TMP/p.red"
check_exit 0 "passphrase restore" env VIBEGUARD_VAULT_KEY="correct horse" "$VG" restore --vault "$TMP/p.vault" "$TMP/p.red"
check "passphrase round trip" cmp -s "$TMP/.out" "$F/chat.txt"
printf 'new contact: kenji.tanaka@acme-billing.jp and ops@acme-billing.io\n' > "$TMP/more.txt"
check_exit 0 "extend a vault" "$VG" redact "$TMP/more.txt" --vault "$TMP/settings.py.vault"
check_grep "numbering continues, known values reused" 'new contact: <EMAIL_ADDRESS_4> and <EMAIL_ADDRESS_2>' "$TMP/.out"

# shape style, stdin/stdout streaming
check_exit 0 "shape style" "$VG" redact --style shape --vault "$TMP/s.vault" "$F/settings.py"
cp "$TMP/.out" "$TMP/s.red"
check_grep "shape keeps a connection string's form" '"postgresql://user:password@hostname:5432/billing"|"postgresql://user:password@hostname:5432/dbname"' "$TMP/s.red"
check_grep "shape keeps the sk_live_ prefix" 'STRIPE_KEY = "sk_live_[0X]+' "$TMP/s.red"
check_exit 0 "shape restore" "$VG" restore --vault "$TMP/s.vault" "$TMP/s.red"
check "shape round trip" cmp -s "$TMP/.out" "$F/settings.py"
check_exit 0 "stdin pipe" sh -c "cat '$F/chat.txt' | '$VG' redact --vault '$TMP/pipe.vault' > '$TMP/pipe.red' && '$VG' restore --vault '$TMP/pipe.vault' - < '$TMP/pipe.red' > '$TMP/pipe.out'"
check "pipe round trip" cmp -s "$TMP/pipe.out" "$F/chat.txt"
check_exit 2 "bad style" "$VG" redact --style nope "$F/chat.txt"

# recall first: the best-known test card, the canonical example IBAN and a
# documentation address go; loopback stays; a single-digit quad is an IP
# unless a version stands there; a bare card in code stays a number
cat > "$TMP/recall.py" <<'PY'
CARD = 4111111111111111
charge(4242424242424242, currency="usd")
IBAN = "GB82 WEST 1234 5698 7654 32"
REPLY_TO = "someone@example.com"
LOOPBACK = "127.0.0.1"
DNS = "1.1.1.1"
__version__ = "3.1.0.2"
requirement = "pkg==1.2.3.4"
AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
PY
check_exit 0 "redact recall-first" "$VG" redact "$TMP/recall.py" --vault "$TMP/recall.vault"
cp "$TMP/.out" "$TMP/recall.red"
check_nogrep "test cards replaced" '4111111111111111|4242424242424242' "$TMP/recall.red"
check_nogrep "example IBAN replaced" 'GB82 WEST' "$TMP/recall.red"
check_nogrep "documentation address replaced" 'someone@example.com' "$TMP/recall.red"
check_nogrep "AWS's documentation key replaced" 'AKIAIOSFODNN7EXAMPLE' "$TMP/recall.red"
check_grep "loopback kept" '^LOOPBACK = "127.0.0.1"$' "$TMP/recall.red"
check_grep "1.1.1.1 is an IP" '^DNS = "<IP_ADDRESS_1>"$' "$TMP/recall.red"
check_grep "a version stays" '^__version__ = "3.1.0.2"$' "$TMP/recall.red"
check_grep "a pinned version stays" '^requirement = "pkg==1.2.3.4"$' "$TMP/recall.red"
check_grep "bare card in code: a number of its length" '^CARD = 9000000000000001$' "$TMP/recall.red"
check_exit 0 "debug parse on the recall-redacted module" "$VG" debug parse "$TMP/recall.red"
check_grep "recall-redacted Python parses" '^parse errors: 0 ' "$TMP/.out"
check_exit 0 "restore recall" "$VG" restore --vault "$TMP/recall.vault" "$TMP/recall.red"
check "recall round trip" cmp -s "$TMP/.out" "$TMP/recall.py"

# Presidio's operators, per entity
printf 'card 4539 1488 0343 6467 mail maria.garcia@acme-billing.io ip 81.2.69.160 iban DE44 5001 0517 5407 3249 31\n' > "$TMP/ops.txt"
check_exit 0 "operators" "$VG" redact "$TMP/ops.txt" --operator CREDIT_CARD=mask:4 \
  --operator EMAIL_ADDRESS=hash --hash-salt pepper --operator IP_ADDRESS=keep --operator IBAN_CODE=encrypt
cp "$TMP/.out" "$TMP/ops.red"
check_grep "mask keeps the last 4" '^card \*{15}6467 ' "$TMP/ops.red"
want=$(printf '%s' "pepper" | python3 -c 'import sys,hashlib; s=hashlib.blake2b(sys.stdin.buffer.read(), digest_size=16).digest(); print(hashlib.sha256(s+b"maria.garcia@acme-billing.io").hexdigest())')
check_grep "hash: salted SHA-256" "mail $want ip" "$TMP/ops.red"
check_grep "keep leaves the IP" ' ip 81.2.69.160 ' "$TMP/ops.red"
check_grep "encrypt writes an <ENC:...> token" 'iban <ENC:[A-Za-z0-9_-]+>$' "$TMP/ops.red"
check_exit 0 "decrypt" "$VG" redact --decrypt "$TMP/ops.red"
check_grep "decrypt puts the IBAN back" 'iban DE44 5001 0517 5407 3249 31$' "$TMP/.out"
check_exit 1 "decrypt with another key" env VIBEGUARD_VAULT_KEY=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff "$VG" redact --decrypt "$TMP/ops.red"
check_grep "wrong key: token left" '<ENC:' "$TMP/.out"
check_exit 2 "bad operator" "$VG" redact --operator CREDIT_CARD=shred "$TMP/ops.txt"
check_exit 2 "bad entity" "$VG" redact --operator NOPE=keep "$TMP/ops.txt"
check_exit 2 "missing input" "$VG" redact "$TMP/none.txt"

# threads: blocks are found in parallel, numbered in input order, so the
# output and the vault are the same for every --jobs (a 1.5 MB input: ten
# blocks; values repeat across blocks; a PEM key across a block boundary;
# a line cut at the 1 MiB block limit)
python3 - "$F" "$TMP/big.txt" <<'PY'
import sys
src = "".join(open(f"{sys.argv[1]}/{n}").read() for n in ("settings.py", "app.log", "chat.txt"))
out = []
for i in range(4000):
    out.append(f"{i:05d} user{i % 700}@acme-billing.io called +44 20 7946 {i % 10000:04d} from 10.1.{i % 250}.{i % 200 + 1}\n")
    if i % 97 == 0: out.append(src)
    if i == 1500: out.append("-----BEGIN RSA PRIVATE KEY-----\n" + "MIIEowIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi8m0xhsrDsVQl+fh5Tq8Dy1M2k\n" * 1200 + "-----END RSA PRIVATE KEY-----\n")
    if i == 2500: out.append("x" * (1 << 20) + " ops@acme-billing.io " + "y" * 70000 + "\n")
open(sys.argv[2], "w").write("".join(out))
PY
check_exit 0 "redact --jobs 1" "$VG" redact --jobs 1 "$TMP/big.txt" --vault "$TMP/j1.vault"
cp "$TMP/.out" "$TMP/j1.red"
check_grep "the big input is redacted" '^01234 <EMAIL_ADDRESS_[0-9]+> called <PHONE_NUMBER_[0-9]+> from <PRIVATE_IP_[0-9]+>$' "$TMP/j1.red"
for j in 3 0; do
  check_exit 0 "redact --jobs $j" "$VG" redact --jobs $j "$TMP/big.txt" --vault "$TMP/j$j.vault"
  check "--jobs $j: the same output as --jobs 1" cmp -s "$TMP/.out" "$TMP/j1.red"
  check_exit 0 "restore with the --jobs $j vault" "$VG" restore --vault "$TMP/j$j.vault" "$TMP/j1.red"
  check "--jobs $j: the vault gives the input back" cmp -s "$TMP/.out" "$TMP/big.txt"
done
check_exit 0 "stdin with threads" sh -c "'$VG' redact --jobs 2 < '$TMP/big.txt' > '$TMP/jp.red'"
check "stdin with threads: the same output" cmp -s "$TMP/jp.red" "$TMP/j1.red"
for j in 1 4; do
  check_exit 0 "operators, --jobs $j" "$VG" redact --jobs $j "$TMP/big.txt" --operator EMAIL_ADDRESS=hash --hash-salt pepper --operator PHONE_NUMBER=mask:2
  cp "$TMP/.out" "$TMP/op$j.red"
done
check "operators: the same output with threads" cmp -s "$TMP/op1.red" "$TMP/op4.red"
check_grep "operators applied" '^01234 [0-9a-f]{64} called \*+34 from <PRIVATE_IP_[0-9]+>$' "$TMP/op4.red"
check_exit 2 "bad --jobs" "$VG" redact --jobs many "$TMP/ops.txt"
done_tests
