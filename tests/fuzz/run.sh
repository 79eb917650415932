#!/usr/bin/env bash
# run.sh smoke|long - run every libFuzzer target in build/fuzz.
# smoke: a few seconds each from the committed seeds with a fixed seed
#        (part of make test; FUZZ_SMOKE_SECONDS, FUZZ_SEED);
# long: FUZZ_SECONDS each, growing a corpus under build/fuzz/corpus.
# Each target that runs clean counts as one passed test.
set -u
cd "$(dirname "$0")/../.."
B=${VG_BUILD:-build}
mode=${1:-smoke}
secs=${FUZZ_SECONDS:-300}
[ "$mode" = smoke ] && secs=${FUZZ_SMOKE_SECONDS:-8}
# Fixture folders a target also starts from (read-only; libFuzzer reads them
# recursively), so seeds/ holds only inputs no test already has.
fixture_seeds() {
  case $1 in
    lex|parse) echo tests/fuzz/seeds/parse tests/ast/cases tests/ast/oracle_cases tests/fixtures/parse_errors ;;
    pyrules) echo tests/fixtures/python ;;
    taint) echo tests/fixtures/python/taint tests/fixtures/python/llmapp ;;
    threat) echo tests/threat ;;
    pii) echo tests/fixtures/pii tests/fixtures/redact ;;
    restore|redact_stream) echo tests/fixtures/redact ;;
    requirements) echo tests/fixtures/deps examples/ai-app ;;
  esac
}
# Targets whose first input byte picks the format get their fixture seeds
# made here (that byte, then the fixture), so seeds/ holds no copy of one.
made_seeds() { # target dir: writes the seeds into dir; fails for other targets
  local spec root=tests/fixtures/deps s sel name f i=0
  case $1 in
    manifest_npm) spec="0:package.json 1:package-lock.json 2:yarn.lock 3:pnpm-lock.yaml" ;;
    manifest_py) spec="0:pyproject.toml 1:Pipfile 2:Pipfile.lock 3:poetry.lock 4:uv.lock 5:pdm.lock 6:pylock.toml" ;;
    osv_record) spec="0:*.json 1:*.yaml"; root=tests/fixtures/deps/osv ;;
    licence) spec="0:*.expect 1:*.py 1:*.js 2:COPYING 2:LICENSE 4:METADATA 5:pyproject.toml 9:package.json"
             root=tests/fixtures/licence ;;
    *) return 1 ;;
  esac
  mkdir -p "$2"
  for s in $spec; do
    sel=${s%%:*} name=${s#*:}
    while IFS= read -r f; do
      i=$((i + 1))
      { printf "\\$(printf %03o "$sel")"; cat "$f"; } >"$2/fixture$i"
    done < <(find "$root" -type f -name "$name" | LC_ALL=C sort)
  done
}
p=0 f=0
for bin in "$B"/fuzz/fuzz_*; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin")
  seeds=tests/fuzz/seeds/${name#fuzz_}
  corpus=$B/fuzz/corpus/${name#fuzz_}
  extra=()
  if [ "$mode" = smoke ]; then
    # reproducible: a fixed seed from the committed seeds only, so CI replays
    # the same inputs a developer ran; `make fuzz` explores at random
    corpus=$(mktemp -d "${TMPDIR:-/tmp}/vg-fuzz.XXXXXX")
    extra=(-seed="${FUZZ_SEED:-1}")
  fi
  mkdir -p "$corpus"
  args=("$corpus")
  [ -d "$seeds" ] && args+=("$seeds")
  for extra_dir in $(fixture_seeds "${name#fuzz_}"); do
    [ -d "$extra_dir" ] && [ "$extra_dir" != "$seeds" ] && args+=("$extra_dir")
  done
  made=$(mktemp -d "${TMPDIR:-/tmp}/vg-fuzz-seeds.XXXXXX")
  made_seeds "${name#fuzz_}" "$made" && args+=("$made")
  if "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -artifact_prefix="$B/fuzz/$name-" "${extra[@]}" \
        -print_final_stats=0 "${args[@]}" >"$B/fuzz/$name.log" 2>&1; then
    p=$((p + 1))
  else
    f=$((f + 1))
    echo "FAIL: $name (see $B/fuzz/$name.log)" >&2
    grep -E 'ERROR|SUMMARY|Test unit written' "$B/fuzz/$name.log" | head -5 >&2
  fi
  rm -rf "$made"
  [ "$mode" = smoke ] && rm -rf "$corpus"
done
echo "RESULT fuzz $p $f"
[ "$f" = 0 ]
