#!/usr/bin/env bash
# scaling.sh - the full default scan on 1x, 4x and 16x the Python standard
# library (.py files, site-packages left out; the copies under different
# folder names, so every path is new), with wall time, CPU time (user +
# system) and peak RSS (/usr/bin/time %M) per size and the growth from one
# size to the next: linear growth is 4.0x time per step with a flat RSS
# (the scan holds one file's AST per worker, plus the findings).  The 16x
# step (about 0.5 GB) takes seconds on an idle machine and minutes on a
# loaded one, so by default it runs when the load average is below the
# number of cores (SCALING_16=1: always, 0: never); the output says when
# it was left out.  Numbers only.
set -u
cd "$(dirname "$0")/.."
: "${VG:=$PWD/build/vibeguard}"
STDLIB=${STDLIB:-$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')}
W=$(mktemp -d "${TMPDIR:-/tmp}/vg-bench-scaling.XXXXXX")
trap 'rm -rf "$W"' EXIT
if [ -z "${SCALING_16:-}" ]; then
  SCALING_16=$(awk -v n="$(nproc)" '{ print ($1 < n) ? 1 : 0 }' /proc/loadavg)
fi
sizes="1 4"
[ "$SCALING_16" = 1 ] && sizes="1 4 16"
max=${sizes##* }
mkdir -p "$W/base"
(cd "$STDLIB" && find . -path ./site-packages -prune -o -name '*.py' -print0 | tar --null -T - -cf -) | tar -C "$W/base" -xf -
for i in $(seq 1 "$max"); do
  mkdir -p "$W/copies/copy$i"
  cp -r "$W/base/." "$W/copies/copy$i/"
done
rm -rf "$W/base"
files=$(find "$W/copies/copy1" -name '*.py' | wc -l)
bytes=$(du -sb "$W/copies/copy1" | cut -f1)
echo "   corpus: 1x = $files .py files, $((bytes / 1048576)) MB (stdlib of $(python3 -V 2>&1)); copies copy1..copyN under one root"
echo "   machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '   %-5s %8s %8s %8s %9s %8s %8s %8s\n' size files "wall s" "CPU s" "RSS MB" "x wall" "x CPU" "x RSS"
pw=; pc=; pm=
for n in $sizes; do
  rm -rf "$W/root"; mkdir -p "$W/root"
  for i in $(seq 1 "$n"); do mv "$W/copies/copy$i" "$W/root/"; done
  cat "$W"/root/*/*.py >/dev/null 2>&1
  XDG_CACHE_HOME="$W/cache" /usr/bin/time -f "%e %U %S %M" -o "$W/t" \
    "$VG" scan --format json -o "$W/out.json" --fail-on never "$W/root" >/dev/null 2>"$W/err"
  read -r w u s m <"$W/t"
  c=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
  nf=$(find "$W/root" -name '*.py' | wc -l)
  if [ -n "$pw" ]; then
    gx=$(awk -v a="$w" -v b="$pw" -v c="$c" -v d="$pc" -v e="$m" -v f="$pm" 'BEGIN { printf "%8.2f %8.2f %8.2f", a / b, c / d, e / f }')
  else gx=$(printf '%8s %8s %8s' - - -); fi
  printf '   %-5s %8s %8s %8s %9s %s\n' "${n}x" "$nf" "$w" "$c" "$((m / 1024))" "$gx"
  if [ -n "$pc" ] && [ -n "${BENCH_ROWS_OUT:-}" ]; then # growth per step: linear is 4x (10% slack)
    printf '%s\t%s\t%s\t-\t-\t-\t-\t-\t-\tx\tvg<=4.4\t\n' "scaling ${prev}x to ${n}x" "CPU growth (linear: 4.00x)" \
      "$(awk -v a="$c" -v b="$pc" 'BEGIN { printf "%.2f", a / b }')" >>"$BENCH_ROWS_OUT"
    printf '%s\t%s\t%s\t-\t-\t-\t-\t-\t-\tx\tvg<=4.4\t\n' "scaling ${prev}x to ${n}x" "peak RSS growth" \
      "$(awk -v a="$m" -v b="$pm" 'BEGIN { printf "%.2f", a / b }')" >>"$BENCH_ROWS_OUT"
  fi
  pw=$w; pc=$c; pm=$m; prev=$n
  for i in $(seq 1 "$n"); do mv "$W/root/copy$i" "$W/copies/"; done
done
echo "   (x: growth from the size before; linear is 4.00 time per 4x step)"
[ "$SCALING_16" = 1 ] || echo "   16x left out (load average $(cut -d' ' -f1 /proc/loadavg) on $(nproc) cores): SCALING_16=1 bash bench/scaling.sh"
