#!/usr/bin/env bash
# secrets.sh - the text pass (secrets + hidden Unicode; PII off) on ~200 MB
# of this machine's own text (/usr/include, /usr/share/doc, the Python
# standard library, packed into 1 MiB .txt chunks so only the text analyzer
# runs), single-threaded and on all cores, with peak RSS; then --history on
# a generated 10,000-commit repository against `git log -p --all | grep`
# (a lower bound for just reading the history).  Figures only.
set -u
: "${VG:?run through bench/run.sh or set VG}"
W=${BENCH_TMP:-${TMPDIR:-/tmp}/vg-bench-secrets}
MB=${SECRETS_BENCH_MB:-200}
mkdir -p "$W"
export XDG_CACHE_HOME="$W/cache"

C="$W/corpus"
if [ ! -f "$C/.done-$MB" ]; then
  rm -rf "$C"; mkdir -p "$C"
  python3 - "$C" "$MB" "${STDLIB:-}" <<'PY'
import os, sys
out, mb, stdlib = sys.argv[1], int(sys.argv[2]), sys.argv[3]
roots = [r for r in ('/usr/include', '/usr/share/doc', stdlib) if r and os.path.isdir(r)]
files = []
for r in roots:
    for d, _, fs in os.walk(r):
        for f in fs:
            p = os.path.join(d, f)
            if os.path.islink(p) or f.endswith(('.gz', '.xz', '.bz2', '.pyc', '.png', '.jpg', '.zip')):
                continue
            try:
                if 0 < os.path.getsize(p) < (1 << 20):
                    files.append(p)
            except OSError:
                pass
files.sort()
target, total, n, chunk = mb << 20, 0, 0, []
csize, rounds = 0, 0
def flush():
    global chunk, csize, n
    if chunk:
        with open(os.path.join(out, 'chunk%05d.txt' % n), 'wb') as fh:
            fh.write(b''.join(chunk))
        n += 1
    chunk, csize = [], 0
while total < target and rounds < 20:
    rounds += 1
    for p in files:
        try:
            b = open(p, 'rb').read()
        except OSError:
            continue
        if b'\0' in b[:8192]:
            continue
        chunk.append(b); csize += len(b); total += len(b)
        if csize >= (1 << 20):
            flush()
        if total >= target:
            break
flush()
print('corpus: %d MB in %d chunks from %s (%d pass%s over %d files)' % (total >> 20, n, ', '.join(roots), rounds, 'es' if rounds > 1 else '', len(files)))
PY
  touch "$C/.done-$MB"
fi
bytes=$(du -sb --exclude='.done-*' "$C" | cut -f1)
mbs() { awk -v b="$bytes" -v s="$1" 'BEGIN { printf "%.0f", (s > 0 ? b / 1048576 / s : 0) }'; }

# warm the Hyperscan database cache (a cold first run compiles it)
"$VG" scan --no-pii -q --select secret,unicode --fail-on critical -o /dev/null "$VG_ROOT/README.md" >/dev/null 2>&1 || true
cat "$C"/*.txt >/dev/null  # page cache
run() {  # run JOBS -> "seconds peak_kb cpu_seconds findings"
  /usr/bin/time -f "%e %M %U %S" -o "$W/time" "$VG" scan --no-pii --select secret,unicode --jobs "$1" \
    --fail-on critical --format json -o "$W/out.json" "$C" >/dev/null 2>"$W/err"
  local e m u sy
  read -r e m u sy < <(tail -1 "$W/time")
  printf '%s %s %s %s\n' "$e" "$m" "$(awk -v u="$u" -v s="$sy" 'BEGIN { print u + s }')" \
    "$(grep -c '"rule_id"' "$W/out.json" 2>/dev/null || echo 0)"
}
read -r s1 m1 c1 f1 < <(run 1)
read -r sn mn cn fn < <(run 0)
echo "text pass (secrets+unicode, $(grep -c '^\[\[rules\]\]' "$VG_ROOT/data/secrets.toml") secret rules) on $((bytes >> 20)) MB:"
echo "   --jobs 1:        ${s1}s wall  $(mbs "$s1") MB/s  (CPU ${c1}s: $(mbs "$c1") MB per CPU-second)  peak RSS $((m1 / 1024)) MB  ($f1 findings)"
echo "   --jobs $(nproc) (all): ${sn}s wall  $(mbs "$sn") MB/s  (CPU ${cn}s)  peak RSS $((mn / 1024)) MB  ($fn findings)"
echo "   (load average $(cut -d' ' -f1 /proc/loadavg) on $(nproc) cores while measuring: wall figures are lower bounds)"
if command -v rg >/dev/null; then
  /usr/bin/time -f "%e" -o "$W/time" rg -j1 -c 'AKIA[A-Z2-7]{16}|ghp_[A-Za-z0-9]{36}|xox[bp]-[0-9]' "$C" >/dev/null 2>&1
  echo "   reference: rg -j1 with 3 literal-prefixed patterns: $(tail -1 "$W/time")s  $(mbs "$(tail -1 "$W/time")") MB/s"
fi

# ---- history: 10,000 commits via git fast-import
R="$W/repo"
NC=${SECRETS_BENCH_COMMITS:-10000}
if [ ! -f "$R/.done-$NC" ]; then
  rm -rf "$R"; git init -q "$R"
  python3 - "$NC" <<'PY' | git -C "$R" fast-import --quiet
import random, sys
n = int(sys.argv[1]); rnd = random.Random(7)
alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
files = ['src/mod%03d.py' % i for i in range(200)]
state = {f: ['# %s\n' % f] + ['x%d = %d\n' % (i, i) for i in range(40)] for f in files}
w = sys.stdout.write
for c in range(1, n + 1):
    f = files[rnd.randrange(len(files))]
    lines = state[f]
    lines[rnd.randrange(1, len(lines))] = 'value_%d = compute(%d, "%s")\n' % (c, c, ''.join(rnd.choice(alnum) for _ in range(12)))
    if c % 1000 == 0:   # a synthetic token, removed again in the next change to that line
        lines.append('TOKEN_%d = "ghp_%s"\n' % (c, ''.join(rnd.choice(alnum) for _ in range(36))))
    data = ''.join(lines).encode()
    msg = b'change %d\n' % c
    w('commit refs/heads/main\nmark :%d\ncommitter Bench <bench@example.invalid> %d +0000\n' % (c, 1700000000 + c))
    w('data %d\n%s' % (len(msg), msg.decode()))
    if c > 1:
        w('from :%d\n' % (c - 1))
    w('M 100644 inline %s\ndata %d\n' % (f, len(data)))
    sys.stdout.flush(); sys.stdout.buffer.write(data); w('\n')
PY
  git -C "$R" checkout -q main 2>/dev/null || git -C "$R" reset -q --hard main
  touch "$R/.done-$NC"
fi
/usr/bin/time -f "%e" -o "$W/tg" sh -c "git -C '$R' log -p --all | grep -c 'ghp_[A-Za-z0-9]\{36\}' >'$W/grep.out'"
/usr/bin/time -f "%e %M" -o "$W/tv" "$VG" scan --history --no-pii --select secret --fail-on critical \
  --format json -o "$W/hist.json" "$R" >/dev/null 2>&1
tg=$(tail -1 "$W/tg"); read -r tv mv < <(tail -1 "$W/tv")
echo "history of $NC commits (git fast-import; 200 files):"
echo "   git log -p --all | grep:  ${tg}s  ($(cat "$W/grep.out") matching lines)"
echo "   vibeguard --history:      ${tv}s  peak RSS $((mv / 1024)) MB  ($(grep -c '"rule_id": "secret:' "$W/hist.json") secret findings)"
awk -v a="$tg" -v b="$tv" 'BEGIN { if (b > 0) printf "   ratio: vibeguard takes %.2fx the time of git log -p | grep\n", b / a }'
