#!/usr/bin/env bash
# history.sh - `scan --history` beside gitleaks' git mode on a repository
# of real code with over 10,000 commits: the successive source
# distributions of one large project pinned in bench/history_manifest.tsv
# (downloaded once with pip, checked against their sha256), turned by
# bench/history_import.py into one commit per file each release added or
# changed.  The repository is built once and cached under HISTORY_DIR
# (default PEERS_DIR/history, PEERS_DIR default /work/scratch), never in
# the tree; its work tree is left empty (nothing checked out), so both
# tools read only the history.  Also checks "each distinct blob once":
# the blobs vibeguard scanned (stats.history_blobs) against the distinct
# text blobs of the repository (git rev-list --objects --all | git
# cat-file: non-empty, no NUL in the first 8000 bytes, at most 5 MiB).
# Runs interleaved (vibeguard, gitleaks, ...) BENCH_REPEAT times (default
# 3; a run over 30 s is not repeated); medians and the ratio.  Numbers
# only: nothing here can fail the build.  HISTORY_BUILD_ONLY=1: build the
# repository and stop.
set -u
cd "$(dirname "$0")/.."
: "${VG:=$PWD/build/vibeguard}"
P=${PEERS_DIR:-/work/scratch}
H=${HISTORY_DIR:-$P/history}
R=${BENCH_REPEAT:-3}
MAN=$PWD/bench/history_manifest.tsv
W=$(mktemp -d "${TMPDIR:-/tmp}/vg-bench-history.XXXXXX")
trap 'rm -rf "$W"' EXIT
export XDG_CACHE_HOME="$W/cache"
mkdir -p "$H/sdists"

# ---- the source distributions, pinned by version and sha256
if [ ! -x "$H/venv/bin/pip" ]; then # pip needs `wheel` to read an old sdist's metadata
  { python3 -m venv "$H/venv" && "$H/venv/bin/pip" install -q wheel; } >"$W/venv.log" 2>&1 ||
    { echo "   cannot make the download venv: $(tail -1 "$W/venv.log")"; exit 0; }
fi
miss=0
while IFS=$'\t' read -r name ver sha file; do
  case $name in ''|'#'*) continue ;; esac
  f=$H/sdists/$file
  if [ ! -f "$f" ] || [ "$(sha256sum "$f" | cut -d' ' -f1)" != "$sha" ]; then
    rm -f "$f"
    "$H/venv/bin/pip" download -q --no-deps --no-binary :all: --no-build-isolation --ignore-requires-python \
      -d "$H/sdists" "$name==$ver" >"$W/dl.log" 2>&1
    if [ ! -f "$f" ] || [ "$(sha256sum "$f" | cut -d' ' -f1)" != "$sha" ]; then
      echo "   $name $ver: not downloaded or sha256 differs: $(tail -1 "$W/dl.log" | cut -c1-200)"; miss=1
    fi
  fi
done <"$MAN"
if [ $miss != 0 ]; then
  echo "   history bench not run: sdists missing"
  [ -n "${BENCH_ROWS_OUT:-}" ] && printf '%s\t%s\t-\t-\t-\t%s\t-\t-\t-\twall\tratio>=10\t%s\n' "--history vs gitleaks git" \
    "scan --history --select secret" "gitleaks git" "not run: the history repository's source distributions could not be downloaded" >>"$BENCH_ROWS_OUT"
  exit 0
fi

# ---- the repository, rebuilt when the manifest or the importer changes
repo=$H/repo
stamp=$(cat "$MAN" bench/history_import.py | sha256sum | cut -c1-16)
if [ "$(cat "$repo/.git/vg-bench-stamp" 2>/dev/null)" != "$stamp" ]; then
  echo "   building $repo (once) ..."
  rm -rf "$repo"; git init -q -b main "$repo"
  python3 bench/history_import.py "$MAN" "$H/sdists" 2>"$W/import.log" | git -C "$repo" fast-import --quiet ||
    { echo "   import failed: $(tail -1 "$W/import.log")"; exit 0; }
  git -C "$repo" repack -adq
  echo "$stamp" >"$repo/.git/vg-bench-stamp"
fi
if [ ! -s "$repo/.git/vg-bench-counts" ]; then # the distinct blobs, and those git calls text
  git -C "$repo" rev-list --objects --all | cut -d' ' -f1 | git -C "$repo" cat-file --batch-check='%(objecttype) %(objectname)' |
    awk '$1 == "blob" { print $2 }' >"$repo/.git/vg-bench-blobs"
  git -C "$repo" cat-file --batch <"$repo/.git/vg-bench-blobs" | python3 -c '
import sys
r = sys.stdin.buffer; n = text = tb = 0
while True:
    h = r.readline()
    if not h: break
    size = int(h.split()[2]); b = r.read(size); r.read(1); n += 1
    if 0 < size <= 5 << 20 and b"\0" not in b[:8000]: text += 1; tb += size
print(n, text, tb)' >"$repo/.git/vg-bench-counts"
fi
commits=$(git -C "$repo" rev-list --count --all)
read -r blobs tblobs tbytes <"$repo/.git/vg-bench-counts"
rels=$(grep -cv '^#' "$MAN")
echo "   repository: $commits commits from $rels releases of $(grep -v '^#' "$MAN" | head -1 | cut -f1)" \
  "($(grep -v '^#' "$MAN" | head -1 | cut -f2) to $(grep -v '^#' "$MAN" | tail -1 | cut -f2)), one per file changed;" \
  "$blobs distinct blobs, $tblobs of them text ($((tbytes / 1048576)) MB)"
[ "${HISTORY_BUILD_ONLY:-0}" = 1 ] && exit 0 # just build (or check) the repository
echo "   machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), load $(cut -d' ' -f1-3 /proc/loadavg)"

G=$(cat "$P/status/gitleaks" 2>/dev/null)
case $G in ok\ *) G=${G#ok } ;; *) G= ;; esac
if [ -n "$G" ] && "$G" git --help >/dev/null 2>&1; then gl=("$G" git --no-banner --exit-code 0 -r "$W/gl.json" "$repo")
elif [ -n "$G" ]; then gl=("$G" detect --no-banner --exit-code 0 -s "$repo" -r "$W/gl.json")
else gl=(); fi
vg=("$VG" scan --history --select secret --no-pii --format json -o "$W/vg.json" --fail-on never "$repo")

one() { # -> "wall rss_kb cpu"
  /usr/bin/time -f "%e %M %U %S" -o "$W/t" "$@" >/dev/null 2>"$W/err"
  tail -1 "$W/t" | awk '{ print $1, $2, $3 + $4 }'
}
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)]; else print 0 }'; }
"$VG" scan --select secret --no-pii -q -o /dev/null --fail-on never README.md >/dev/null 2>&1 # warm
: >"$W/v"; : >"$W/p"
sv=0; sp=0
for i in $(seq 1 "$R"); do
  if [ $sv = 0 ]; then one "${vg[@]}" >>"$W/v"; awk '{ exit !($1 > 30) }' <(tail -1 "$W/v") && sv=1; fi
  if [ ${#gl[@]} -gt 0 ] && [ $sp = 0 ]; then one "${gl[@]}" >>"$W/p"; awk '{ exit !($1 > 30) }' <(tail -1 "$W/p") && sp=1; fi
done
col() { awk -v c="$1" '{ print $c }' "$2" | median; }
vw=$(col 1 "$W/v"); vm=$(col 2 "$W/v"); vc=$(col 3 "$W/v")
read -r vblobs vfind < <(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(d.get("stats", {}).get("history_blobs", 0), sum(1 for f in d.get("findings", []) if f.get("rule_id", "").startswith("secret")))' "$W/vg.json" 2>/dev/null || echo "? ?")
echo "   medians of $R interleaved runs (runs over 30 s: once); ratio = gitleaks time / vibeguard time"
printf '   %-44s %8ss wall %8ss CPU %5s MB  %s\n' "vibeguard scan --history --select secret" "$vw" "$vc" "$((vm / 1024))" "($vfind secret findings)"
if [ ${#gl[@]} -gt 0 ]; then
  pw=$(col 1 "$W/p"); pm=$(col 2 "$W/p"); pc=$(col 3 "$W/p")
  pfind=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1])) or []))' "$W/gl.json" 2>/dev/null || echo "?")
  printf '   %-44s %8ss wall %8ss CPU %5s MB  %s\n' "gitleaks git ($("$G" version 2>/dev/null))" "$pw" "$pc" "$((pm / 1024))" "($pfind findings)"
  awk -v a="$pw" -v b="$vw" -v c="$pc" -v d="$vc" 'BEGIN { if (b > 0 && d > 0) printf "   ratio: %.1fx wall, %.1fx CPU\n", a / b, c / d }'
  [ -n "${BENCH_ROWS_OUT:-}" ] && printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\twall\tratio>=10\t\n' "--history vs gitleaks git" \
    "scan --history --select secret" "$vw" "$vc" "$vm" "gitleaks git, $commits commits" "$pw" "$pc" "$pm" >>"$BENCH_ROWS_OUT"
else
  [ -n "${BENCH_ROWS_OUT:-}" ] && printf '%s\t%s\t%s\t%s\t%s\t%s\t-\t-\t-\twall\tratio>=10\tnot installed\n' "--history vs gitleaks git" \
    "scan --history --select secret" "$vw" "$vc" "$vm" "gitleaks git" >>"$BENCH_ROWS_OUT"
  echo "   gitleaks: not installed ($(cat "$P/status/gitleaks" 2>/dev/null || echo 'scripts/install-peers.sh gitleaks'))"
fi
echo "   each distinct blob once: vibeguard scanned $vblobs blobs; the repository has $tblobs distinct text blobs ($blobs in all)" \
  "$([ "$vblobs" = "$tblobs" ] && echo '(equal)' || echo '(DIFFERENT)')"
