#!/usr/bin/env bash
# redact.sh - `vibeguard redact` throughput on ~100 MB of mixed text (the
# standard library's Python, application logs and chat text with fake
# secrets, e-mails, phones, cards, IPs and internal hosts sprinkled in;
# target >= 200 MB/s), the restore of that output, and `vibeguard pii` on
# the standard library (one concatenated input).  One run each; redact
# finds blocks on every core (--jobs, default one per core), so each rate
# is given twice: of CPU time (user + system: the work a byte costs,
# whatever the cores) and of wall time (what a user waits; on a shared
# machine the noisier of the two), and `redact --jobs 1` beside it;
# numbers only.
set -u
cd "$(dirname "$0")/.."
VG=${VG:-build/vibeguard}
STDLIB=${STDLIB:-$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')}
MB=${REDACT_BENCH_MB:-100}
T=$(mktemp -d "${TMPDIR:-/tmp}/vg-bench-redact.XXXXXX")
trap 'rm -rf "$T"' EXIT
export VIBEGUARD_VAULT_KEY_FILE="$T/vault.key"

find "$STDLIB" -name '*.py' -not -path '*/site-packages/*' -print0 | LC_ALL=C sort -z | xargs -0 cat > "$T/stdlib.txt"
python3 - "$T/stdlib.txt" "$T/mixed.txt" "$MB" <<'PY'
import random, sys
random.seed(1)
src = open(sys.argv[1], 'rb').read()
want = int(sys.argv[3]) << 20
first = ["Maria", "John", "Priya", "Kenji", "Sarah", "David"]; last = ["Garcia", "Smith", "Sharma", "Tanaka", "Cohen"]
def log(i):
    u = f"{random.choice(first).lower()}.{random.choice(last).lower()}{i % 5000}@acme-billing.io"
    return (f"2024-05-03T10:{i % 60:02d}:{i % 60:02d}Z INFO auth: login user={u} ip=203.45.{i % 250}.{i % 200 + 1} "
            f"client=10.20.{i % 250}.{i % 199 + 1} db=db{i % 40}.prod.internal:5432 took {i % 900}ms\n")
def chat(i):
    return (f"Hi, {random.choice(first)} {random.choice(last)} here (phone +44 20 7123 {i % 10000:04d}). "
            f"My config uses postgresql://app:pw{i % 300}@db{i % 40}.corp:5432/app and "
            f"key AKIAZ3MSJV4WWQKL{i % 10000:04d}; card 4539 1488 0343 6467 failed.\n")
out = bytearray()
i = 0
while len(out) < want:
    k = random.randrange(len(src) - 65536)
    out += src[k:k + 32768]
    out += b"".join(log(i + j).encode() for j in range(60))
    out += b"".join(chat(i + j).encode() for j in range(10))
    i += 70
open(sys.argv[2], 'wb').write(out[:want])
PY
# REDACT_BENCH_TEXT=FILE keeps the generated text (for bench/redact_ab.sh)
[ -n "${REDACT_BENCH_TEXT:-}" ] && cp "$T/mixed.txt" "$REDACT_BENCH_TEXT"
sync   # the text's write-back would share the cores with the runs below
size=$(wc -c <"$T/mixed.txt")
rate() { python3 -c "import sys; b, ns = int(sys.argv[1]), int(sys.argv[2]); print('%.1f MB/s (%.2f s)' % (b / 1048576 / (ns / 1e9), ns / 1e9))" "$1" "$2"; }
# cpu FILE CMD...: run CMD, write its CPU time (user + system, ns) to FILE;
# through /usr/bin/time (Debian's `time`), whose start is a millisecond, so
# the wall time around it is CMD's; else through Python (30 ms more wall)
if [ -x /usr/bin/time ]; then
cpu() { local f=$1; shift; /usr/bin/time -f "%U %S" -o "$f.t" "$@"; local r=$?
        awk '{ printf "%d\n", ($1 + $2) * 1e9 }' "$f.t" >"$f"; return $r; }
else
cpu() { local f=$1; shift; python3 -c '
import os, subprocess, sys
r = subprocess.call(sys.argv[2:])
u = os.times()
open(sys.argv[1], "w").write("%d\n" % int((u.children_user + u.children_system) * 1e9))
sys.exit(r)' "$f" "$@"; }
fi
# crate BYTES CPU_NS WALL_NS: the CPU rate, the wall time beside it
crate() { python3 -c "import sys; b, c, w = map(int, sys.argv[1:4]); print('%.1f MB/s of CPU, %.1f MB/s wall (%.2f s CPU, %.2f s wall)' % (b / 1048576 / (c / 1e9), b / 1048576 / (w / 1e9), c / 1e9, w / 1e9))" "$1" "$2" "$3"; }

"$VG" redact "$T/mixed.txt" --vault "$T/warm.vault" </dev/null >/dev/null 2>&1   # warm the Hyperscan cache
rm -f "$T/warm.vault"
t0=$(date +%s%N)
cpu "$T/cpu" "$VG" redact "$T/mixed.txt" --vault "$T/v.vault" >"$T/red.txt" 2>"$T/err"
t1=$(date +%s%N)
echo "   redact ($(nproc) cores): $((size / 1048576)) MB mixed text -> $(crate "$size" "$(cat "$T/cpu")" $((t1 - t0))); target >= 200 MB/s"
rm -f "$T/v1.vault"
t0=$(date +%s%N)
cpu "$T/cpu" "$VG" redact --jobs 1 "$T/mixed.txt" --vault "$T/v1.vault" >"$T/red1.txt" 2>>"$T/err"
t1=$(date +%s%N)
if cmp -s "$T/red1.txt" "$T/red.txt"; then same="the same output"; else same="OUTPUT DIFFERS"; fi
echo "   redact --jobs 1: $(crate "$size" "$(cat "$T/cpu")" $((t1 - t0))); $same"
# REDACT_BENCH_OUT=FILE keeps the redacted text: diff two builds' outputs
[ -n "${REDACT_BENCH_OUT:-}" ] && cp "$T/red.txt" "$REDACT_BENCH_OUT"
echo "   placeholders in output: $(grep -o '<[A-Z_]*_[0-9]*>' "$T/red.txt" | wc -l), distinct values in the vault: $(grep -o '<[A-Z_]*_[0-9]*>' "$T/red.txt" | sort -u | wc -l)"
t0=$(date +%s%N)
"$VG" restore --vault "$T/v.vault" "$T/red.txt" >"$T/back.txt" 2>>"$T/err"
t1=$(date +%s%N)
rsize=$(wc -c <"$T/red.txt")
if cmp -s "$T/back.txt" "$T/mixed.txt"; then same="byte-identical"; else same="DIFFERS"; fi
echo "   restore: $((rsize / 1048576)) MB -> $(rate "$rsize" $((t1 - t0))); round trip $same"
t0=$(date +%s%N)
cpu "$T/cpu" "$VG" redact --no-secrets "$T/mixed.txt" >/dev/null 2>&1
t1=$(date +%s%N)
echo "   redact --no-secrets (PII + infrastructure only): $(crate "$size" "$(cat "$T/cpu")" $((t1 - t0)))"

ssize=$(wc -c <"$T/stdlib.txt")
"$VG" pii "$T/stdlib.txt" >/dev/null 2>&1   # warm the Hyperscan cache
t0=$(date +%s%N)
"$VG" pii "$T/stdlib.txt" --format json >"$T/pii.json" 2>/dev/null
t1=$(date +%s%N)
n=$(grep -c '"type"' "$T/pii.json")
echo "   pii on the stdlib: $((ssize / 1048576)) MB -> $(rate "$ssize" $((t1 - t0))), $n entities at the default threshold 0.4"
grep -o '"type": "[A-Z_]*"' "$T/pii.json" | sort | uniq -c | sort -rn | head -8 | sed 's/^/      /'
