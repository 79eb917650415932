#!/usr/bin/env bash
# redact_ab.sh OLD NEW FILE [RUNS [ARGS...]] - two builds of vibeguard
# compared on `redact FILE --vault V ARGS`, run in turn (old, new, old,
# new, ...) so that a machine whose speed drifts from minute to minute
# slows both alike: the median wall and CPU (user + system) time of each,
# and whether their outputs are the same bytes.  FILE: bench/redact.sh's
# text, kept with REDACT_BENCH_TEXT=FILE.  Numbers only; RUNS default 8.
#
#   REDACT_BENCH_TEXT=/tmp/mixed.txt bash bench/redact.sh
#   bash bench/redact_ab.sh /tmp/old/build/vibeguard build/vibeguard /tmp/mixed.txt 8 --jobs 1
set -u
[ $# -ge 3 ] || { echo "usage: redact_ab.sh OLD NEW FILE [RUNS [ARGS...]]" >&2; exit 2; }
OLD=$1 NEW=$2 FILE=$3 RUNS=${4:-8}
shift $(($# < 4 ? $# : 4))
T=$(mktemp -d "${TMPDIR:-/tmp}/vg-redact-ab.XXXXXX")
trap 'rm -rf "$T"' EXIT
export VIBEGUARD_VAULT_KEY_FILE="$T/vault.key"
for i in $(seq "$RUNS"); do
  for b in old new; do
    if [ $b = old ]; then vg=$OLD; else vg=$NEW; fi
    rm -f "$T/$b.vault"
    /usr/bin/time -f "$b %e %U %S" -a -o "$T/times" \
      "$vg" redact "$FILE" --vault "$T/$b.vault" "$@" >"$T/$b.out" 2>/dev/null
  done
done
python3 - "$T/times" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    p = line.split()
    if len(p) == 4:
        runs.setdefault(p[0], []).append((float(p[1]), float(p[2]) + float(p[3])))
for k in ("old", "new"):
    v = runs.get(k, [])
    if v:
        print("   %s: wall %.3f s, CPU %.3f s (medians of %d)" %
              (k, statistics.median(x[0] for x in v), statistics.median(x[1] for x in v), len(v)))
PY
if cmp -s "$T/old.out" "$T/new.out"; then echo "   the same output"; else echo "   OUTPUT DIFFERS"; fi
