#!/usr/bin/env bash
# walk.sh - the walker plus one read of every file over the Python stdlib
# (no analyzers), with 1 and 2 threads, next to ripgrep's file listing.
set -u
cd "$(dirname "$0")/.."
B=${VG_BUILD:-build}
STDLIB=${STDLIB:-$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')}
bin=$B/bench/walk_bench
mkdir -p "$B/bench"
PKG_CFLAGS=$(pkg-config --cflags libhs 2>/dev/null)
cc -std=c11 -D_GNU_SOURCE -O2 -pthread -Isrc $PKG_CFLAGS -o "$bin" bench/walk_bench.c "$B/libvg.a" \
  $(pkg-config --libs libhs libpcre2-8 libgit2 jansson yaml-0.1 libzip libsodium libcurl 2>/dev/null) -lm \
  || { echo "walk: cannot build $bin (run make first)"; exit 1; }
# the standard library proper: site-packages left out (--exclude)
find "$STDLIB" -path "$STDLIB/site-packages" -prune -o -type f -exec cat {} + >/dev/null 2>&1 # warm the cache
echo "walk + read of $STDLIB without site-packages (best of 5):"
"$bin" "$STDLIB" 1 5 /site-packages/
"$bin" "$STDLIB" 2 5 /site-packages/
if command -v rg >/dev/null && command -v hyperfine >/dev/null; then
  echo "ripgrep, same tree, for scale (rg -j2 -c over every byte; --files only lists):"
  hyperfine -N -w 2 -r 5 --style basic "rg --files --no-ignore -j2 -g !/site-packages/ $STDLIB" \
    "rg -c -j2 -uuu -a -g !/site-packages/ zzzqqq $STDLIB" 2>/dev/null | grep -E 'Benchmark|Time'
fi
