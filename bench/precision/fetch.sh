#!/usr/bin/env bash
# fetch.sh - download and unpack the precision corpus (bench/precision/
# manifest.tsv) into a cache outside the tree:
#   ${VG_CORPUS:-$HOME/.cache/vibeguard/corpus}/NAME-VERSION/
# holds the unpacked PyPI source distribution of each project (its top
# folder stripped), exactly as published.  Idempotent: a project whose folder
# exists is skipped, an archive already downloaded is not fetched again, and
# a project is unpacked into a temporary folder that is renamed into place
# only when complete, so an interrupted run leaves no half folder behind.
# A project that fails (no sdist, network, bad archive) is reported and the
# others go on; the exit status is 1 when any project is missing at the end.
set -u
here=$(cd "$(dirname "$0")" && pwd)
manifest=${1:-$here/manifest.tsv}
corpus=${VG_CORPUS:-$HOME/.cache/vibeguard/corpus}
pip=${PIP:-pip}
mkdir -p "$corpus/.sdist" || { echo "fetch: cannot create $corpus" >&2; exit 2; }
[ -r "$manifest" ] || { echo "fetch: cannot read $manifest" >&2; exit 2; }

ok=0 got=0 failed=()
# fetch_one NAME VERSION: leaves $corpus/NAME-VERSION/ or returns 1 with a reason on stderr
fetch_one() {
  local name=$1 version=$2 dest="$corpus/$1-$2" dl="$corpus/.sdist/$1-$2"
  local archive tmp top
  mkdir -p "$dl"
  archive=$(find "$dl" -maxdepth 1 -type f \( -name '*.tar.gz' -o -name '*.zip' -o -name '*.tar.bz2' \) | head -n 1)
  if [ -z "$archive" ]; then
    # --no-binary NAME, not :all:: the project must come as an sdist, but
    # its build requirements (pip prepares metadata) may come as wheels,
    # which saves building Cython and the like from source
    if ! "$pip" download --no-binary "$name" --no-deps "$name==$version" -d "$dl" >"$dl.log" 2>&1; then
      echo "fetch: $name $version: pip download failed (see $dl.log): $(grep -m1 -E 'ERROR' "$dl.log")" >&2
      return 1
    fi
    archive=$(find "$dl" -maxdepth 1 -type f | head -n 1)
  fi
  case $archive in
    *.tar.gz) ;;
    "") echo "fetch: $name $version: pip saved nothing" >&2; return 1 ;;
    *) echo "fetch: $name $version: not an sdist .tar.gz: $(basename "$archive")" >&2; return 1 ;;
  esac
  tmp=$(mktemp -d "$corpus/.unpack.XXXXXX") || return 1
  if ! tar -xzf "$archive" -C "$tmp" --no-same-owner --no-same-permissions 2>"$dl.tar.log"; then
    echo "fetch: $name $version: cannot unpack $(basename "$archive") (see $dl.tar.log)" >&2
    rm -rf "$tmp"; return 1
  fi
  # an sdist has one top folder NAME-VERSION/; keep what is inside it
  top=$tmp
  if [ "$(find "$tmp" -mindepth 1 -maxdepth 1 | wc -l)" -eq 1 ] && [ -d "$(find "$tmp" -mindepth 1 -maxdepth 1)" ]; then
    top=$(find "$tmp" -mindepth 1 -maxdepth 1)
  fi
  chmod -R u+rwX "$tmp"
  # -T: never move into a folder that another fetch (run at the same time)
  # completed meanwhile; its copy is as good as ours
  mv -T "$top" "$dest" 2>/dev/null || [ -d "$dest" ]
  rm -rf "$tmp"
  [ -d "$dest" ] || { echo "fetch: $name $version: $dest missing after unpack" >&2; return 1; }
}

while IFS=$'\t' read -r name version kind _; do
  case $name in ''|'#'*|name) continue ;; esac
  if [ -z "${version:-}" ]; then echo "fetch: manifest line for $name has no version" >&2; failed+=("$name"); continue; fi
  if [ -d "$corpus/$name-$version" ]; then ok=$((ok + 1)); continue; fi
  echo "fetch: $name $version ($kind)"
  if fetch_one "$name" "$version"; then ok=$((ok + 1)); got=$((got + 1)); else failed+=("$name-$version"); fi
done < "$manifest"

echo "fetch: $ok projects in $corpus ($got fetched now)${failed[*]:+; failed: ${failed[*]}}"
[ ${#failed[@]} -eq 0 ]
