#!/usr/bin/env bash
# staged.sh - the pre-commit case: one changed file staged in a git
# repository of 3,000 Python files (the standard library, then
# site-packages, copied into a scratch repository), scanned with
# `scan --staged`: without the context cache (VIBEGUARD_NO_CACHE=1), with
# it warm (scan/ctxcache.h), and beside the full scan of the same tree and
# ruff on the one staged file (what a ruff pre-commit hook runs), when ruff
# is installed (scripts/install-peers.sh ruff).  Medians of BENCH_REPEAT
# runs (default 3), wall and CPU seconds; target: warm --staged <= 0.15 s
# wall.  Numbers only; nothing fails.
set -u
cd "$(dirname "$0")/.."
: "${VG:=$PWD/build/vibeguard}"
STDLIB=${STDLIB:-$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')}
SITE=$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
N=${BENCH_STAGED_FILES:-3000}
REPEAT=${BENCH_REPEAT:-3}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/vg-bench-staged.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export XDG_CACHE_HOME=$TMP/cache

R=$TMP/repo
mkdir -p "$R"
{ (cd "$STDLIB" && find . -path ./site-packages -prune -o -name '*.py' -print | sed 's|^\./|stdlib/|')
  (cd "$SITE" && find . -name '*.py' -print | sed 's|^\./|site/|'); } | head -n "$N" >"$TMP/list"
while IFS= read -r p; do
  case $p in stdlib/*) src=$STDLIB/${p#stdlib/} ;; *) src=$SITE/${p#site/} ;; esac
  mkdir -p "$R/$(dirname "$p")" && cp "$src" "$R/$p"
done <"$TMP/list"
files=$(find "$R" -name '*.py' | wc -l)
bytes=$(du -sb "$R" | cut -f1)
echo "   repository: $files .py files, $((bytes / 1048576)) MB; one staged change"
cd "$R" || exit 0
git init -q . && git add -A && git -c user.name=b -c user.email=b@example.org commit -qm tree
changed=$(sed -n '1p' "$TMP/list")
printf '\nimport subprocess\ndef _bench_added(cmd):\n    return subprocess.call(cmd, shell=True)\n' >>"$changed"
git add "$changed"
sleep 3 # the cache keeps no file changed in the last two seconds

median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
run() { # label command...: median wall and CPU over REPEAT runs
  local label=$1 i
  shift
  : >"$TMP/w"
  : >"$TMP/c"
  for i in $(seq 1 "$REPEAT"); do
    /usr/bin/time -f "%e %U %S" -o "$TMP/t" "$@" >/dev/null 2>&1
    tail -n 1 "$TMP/t" | awk '{print $1}' >>"$TMP/w"
    tail -n 1 "$TMP/t" | awk '{print $2 + $3}' >>"$TMP/c"
  done
  printf '%s %s\n' "$(median <"$TMP/w")" "$(median <"$TMP/c")" >"$TMP/$label"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "-" }'; }

"$VG" scan --staged -q . >/dev/null 2>&1 # fills the cache
run full "$VG" scan -q .
run nocache env VIBEGUARD_NO_CACHE=1 "$VG" scan --staged -q .
run warm "$VG" scan --staged -q --format json -o "$TMP/warm.json" .
cached=$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["stats"]; print("%d of %d context files from the cache" % (s.get("context_cached", 0), s.get("context_files", 0)))' "$TMP/warm.json" 2>/dev/null)
read -r fw fc <"$TMP/full"
read -r nw nc <"$TMP/nocache"
read -r ww wc <"$TMP/warm"
printf '   %-44s %6s s wall %6s s CPU\n' "full scan of the tree" "$fw" "$fc"
printf '   %-44s %6s s wall %6s s CPU  (%s faster than full)\n' "--staged, no cache" "$nw" "$nc" "$(ratio "$fw" "$nw")"
printf '   %-44s %6s s wall %6s s CPU  (%s faster than full; %s)\n' "--staged, warm cache" "$ww" "$wc" "$(ratio "$fw" "$ww")" "$cached"
ruff=${PEERS_DIR:-/work/scratch}/ruff/bin/ruff
if [ -x "$ruff" ]; then
  run ruff "$ruff" check --no-cache --select S --quiet "$changed"
  read -r rw rc <"$TMP/ruff"
  printf '   %-44s %6s s wall %6s s CPU  (ruff / vibeguard warm: %s)\n' "ruff --select S on the staged file" "$rw" "$rc" "$(ratio "$rw" "$ww")"
else
  echo "   ruff: not installed (scripts/install-peers.sh ruff)"
  rw=-; rc=-
fi
[ -n "${BENCH_ROWS_OUT:-}" ] && printf '%s\t%s\t%s\t%s\t-\t%s\t%s\t%s\t-\twall\tvg<=0.15\t\n' "pre-commit, $files files" \
  "scan --staged, 1 file, warm" "$ww" "$wc" "ruff --select S on that file" "$rw" "$rc" >>"$BENCH_ROWS_OUT"
echo "   target: warm --staged <= 0.15 s wall"
