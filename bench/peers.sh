#!/usr/bin/env bash
# peers.sh - vibeguard beside the real peers, one table: current Bandit and
# ruff --select S for Python rules, gitleaks, TruffleHog and detect-secrets
# for secrets, Presidio's analyzer for PII, osv-scanner / pip-audit for
# dependencies, and vibeguard's cold start.  The peers are installed by
# scripts/install-peers.sh into PEERS_DIR (default /work/scratch), never
# into the tree; a peer that cannot be installed or run is a row with the
# reason, and the bench goes on.
#
# The machine may be shared, so timings are noisy: each pair runs
# interleaved (vibeguard, peer, vibeguard, peer, ...) BENCH_REPEAT times
# (default 3; a run over 30 s is not repeated) and the table shows medians
# of wall time, with the ratio peer/vibeguard of the medians.  Numbers
# only: nothing here can fail the build, no test reads them.  BENCH_ROWS
# picks rows (bandit ruff gitleaks trufflehog detect-secrets presidio deps
# cold; default all).
set -u
cd "$(dirname "$0")/.."
: "${VG:=$PWD/build/vibeguard}"
P=${PEERS_DIR:-/work/scratch}
R=${BENCH_REPEAT:-3}
STDLIB=${STDLIB:-$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')}
W=$(mktemp -d "${TMPDIR:-/tmp}/vg-bench-peers.XXXXXX")
trap 'rm -rf "$W"' EXIT
export XDG_CACHE_HOME="$W/cache"

[ "${BENCH_NO_INSTALL:-0}" = 1 ] || bash scripts/install-peers.sh >"$W/install.log" 2>&1
peer() { # name -> binary path, or "" (reason in $W/why)
  local s
  s=$(cat "$P/status/$1" 2>/dev/null || echo "failed not installed (scripts/install-peers.sh $1)")
  case $s in ok\ *) echo "${s#ok }" ;; *) echo "${s#failed }" >"$W/why"; echo "" ;; esac
}

corpus=$W/stdlib
mkdir -p "$corpus"
(cd "$STDLIB" && find . -path ./site-packages -prune -o -name '*.py' -print0 | tar --null -T - -cf -) | tar -C "$corpus" -xf -
files=$(find "$corpus" -name '*.py' | wc -l)
bytes=$(du -sb "$corpus" | cut -f1)
cat "$corpus"/*.py >/dev/null 2>&1
# the PII corpus: Presidio reads text through Python; 2 MB of the stdlib
pcorpus=$W/pii
mkdir -p "$pcorpus"
find "$corpus" -name '*.py' | sort | head -200 | while read -r f; do cp "$f" "$pcorpus/$(echo "$f" | md5sum | cut -c1-12).txt"; done
pbytes=$(du -sb "$pcorpus" | cut -f1)

echo "   corpus: $files .py files, $((bytes / 1048576)) MB (stdlib of $(python3 -V 2>&1)); PII rows: $((pbytes / 1024)) KB of it"
echo "   machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "   medians of $R interleaved runs (runs over 30 s: once); ratio = peer time / vibeguard time"

one() { # out-file command... -> "wall rss_kb" of one run
  local out=$1; shift
  /usr/bin/time -f "%e %M" -o "$W/t" "$@" >"$out" 2>"$W/err"
  tail -1 "$W/t"
}
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)]; else print 0 }'; }

ROWS=$W/rows
: >"$ROWS"
on() { case " ${BENCH_ROWS:-bandit ruff gitleaks trufflehog detect-secrets presidio deps cold} " in *" $1 "*) return 0 ;; esac; return 1; }
# row LABEL VG-LABEL PEER-LABEL -- vg command... -- peer command...
row() {
  local label=$1 vl=$2 pl=$3; shift 3
  local vg=() pc=() in=vg
  shift # --
  while [ $# -gt 0 ]; do
    if [ "$1" = -- ] && [ $in = vg ]; then in=peer; shift; continue; fi
    if [ $in = vg ]; then vg+=("$1"); else pc+=("$1"); fi
    shift
  done
  : >"$W/vw"; : >"$W/pw"; : >"$W/vm"; : >"$W/pm"
  local i w m slow_v=0 slow_p=0
  for i in $(seq 1 "$R"); do
    if [ $slow_v = 0 ]; then
      read -r w m < <(one "$W/vout" "${vg[@]}")
      echo "$w" >>"$W/vw"; echo "$m" >>"$W/vm"
      awk -v w="$w" 'BEGIN { exit !(w > 30) }' && slow_v=1
    fi
    if [ ${#pc[@]} -gt 0 ] && [ $slow_p = 0 ]; then
      read -r w m < <(one "$W/pout" "${pc[@]}")
      echo "$w" >>"$W/pw"; echo "$m" >>"$W/pm"
      awk -v w="$w" 'BEGIN { exit !(w > 30) }' && slow_p=1
    fi
  done
  local vw vm pw pm
  vw=$(median <"$W/vw"); vm=$(median <"$W/vm")
  if [ ${#pc[@]} -gt 0 ]; then
    pw=$(median <"$W/pw"); pm=$(median <"$W/pm")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$vl" "$vw" "$vm" "$pl" "$pw" "$pm" >>"$ROWS"
  else
    printf '%s\t%s\t%s\t%s\t%s\t-\t-\n' "$label" "$vl" "$vw" "$vm" "$pl" >>"$ROWS"
  fi
}
missing() { # LABEL VG-LABEL PEER why...
  local label=$1 vl=$2 pl=$3; shift 3
  printf '%s\t%s\t-\t-\t%s\t-\t-\t%s\n' "$label" "$vl" "$pl" "$*" >>"$ROWS"
}

# ---- Python rules
B=$(peer bandit)
if ! on bandit; then :
elif [ -n "$B" ]; then
  row "full scan vs Bandit" "scan (default)" "bandit -r ($($B --version 2>/dev/null | head -1 | cut -d' ' -f2))" -- \
    "$VG" scan --format json -o /dev/null --fail-on never "$corpus" -- \
    "$B" -r -q -f json -o "$W/bandit.json" "$corpus"
else missing "full scan vs Bandit" "scan (default)" "bandit" "$(cat "$W/why")"; fi
RF=$(peer ruff)
if ! on ruff; then :
elif [ -n "$RF" ]; then
  row "Python rules vs ruff" "scan --select B" "ruff --select S ($($RF --version | cut -d' ' -f2))" -- \
    "$VG" scan --select B --format json -o /dev/null --fail-on never "$corpus" -- \
    "$RF" check --select S --no-cache --exit-zero --output-format json -q "$corpus"
else missing "Python rules vs ruff" "scan --select B" "ruff" "$(cat "$W/why")"; fi

# ---- secrets (same tree; git history not involved)
VGS=("$VG" scan --select secret --no-pii --format json -o /dev/null --fail-on never "$corpus")
G=$(peer gitleaks)
if ! on gitleaks; then :
elif [ -n "$G" ]; then
  if "$G" dir --help >/dev/null 2>&1; then gl=("$G" dir --no-banner --exit-code 0 -r "$W/gl.json" "$corpus")
  else gl=("$G" detect --no-git --no-banner --exit-code 0 -s "$corpus" -r "$W/gl.json"); fi
  row "secrets vs gitleaks" "scan --select secret" "gitleaks ($($G version 2>/dev/null))" -- "${VGS[@]}" -- "${gl[@]}"
else missing "secrets vs gitleaks" "scan --select secret" "gitleaks" "$(cat "$W/why")"; fi
T=$(peer trufflehog)
if ! on trufflehog; then :
elif [ -n "$T" ]; then
  row "secrets vs TruffleHog" "scan --select secret" "trufflehog filesystem --no-verification" -- "${VGS[@]}" -- \
    "$T" filesystem --no-verification --no-update --json "$corpus"
else missing "secrets vs TruffleHog" "scan --select secret" "trufflehog" "$(cat "$W/why")"; fi
DS=$(peer detect-secrets)
if ! on detect-secrets; then :
elif [ -n "$DS" ]; then
  row "secrets vs detect-secrets" "scan --select secret" "detect-secrets scan ($($DS --version 2>/dev/null))" -- "${VGS[@]}" -- \
    sh -c 'cd "$1" && "$0" scan --all-files .' "$DS" "$corpus"
else missing "secrets vs detect-secrets" "scan --select secret" "detect-secrets" "$(cat "$W/why")"; fi

# ---- PII: Presidio's pattern recognizers (a blank spaCy pipeline: no
# model can be downloaded here, so no NER); vibeguard's PII family only
PR=$(peer presidio)
cat >"$W/presidio.py" <<'PY'
import os, sys
import spacy
from presidio_analyzer import AnalyzerEngine
from presidio_analyzer.nlp_engine import SpacyNlpEngine
class Blank(SpacyNlpEngine):
    def __init__(self):
        super().__init__(models=[{"lang_code": "en", "model_name": "blank"}])
    def load(self):
        self.nlp = {"en": spacy.blank("en")}
eng = Blank(); eng.load()
an = AnalyzerEngine(nlp_engine=eng, supported_languages=["en"])
n = 0
for f in sorted(os.listdir(sys.argv[1])):
    n += len(an.analyze(text=open(os.path.join(sys.argv[1], f), errors="replace").read(), language="en"))
print(n)
PY
if ! on presidio; then :
elif [ -n "$PR" ] && "$PR" -c 'import presidio_analyzer, spacy' >/dev/null 2>"$W/why"; then
  row "PII vs Presidio" "scan --select pii" "presidio-analyzer (patterns, blank spaCy)" -- \
    "$VG" scan --select pii --format json -o /dev/null --fail-on never "$pcorpus" -- "$PR" "$W/presidio.py" "$pcorpus"
else missing "PII vs Presidio" "scan --select pii" "presidio" "$(tail -1 "$W/why" 2>/dev/null)"; fi

# ---- dependencies: the same PyPA snapshot for both.  osv-scanner's
# offline mode reads a zip of OSV JSON per ecosystem; bench/deps_diff.py
# writes it from the snapshot (and the lockfiles), nothing is downloaded.
# pip-audit asks PyPI's or OSV's service and has no offline mode.
OS=$(peer osv-scanner)
if ! on deps; then :
elif [ -n "$OS" ] && /usr/bin/python3 bench/deps_diff.py --prepare "$W/deps" 2>"$W/why"; then
  row "deps vs osv-scanner" "deps (built-in index)" "osv-scanner --offline ($("$OS" --version | head -1 | awk '{print $NF}'))" -- \
    "$VG" deps "$W/deps/released" --format json -- \
    "$OS" scan source --offline --local-db-path "$W/deps/db" --format json -L "$W/deps/released/requirements.txt"
else missing "deps vs osv-scanner" "deps (built-in index)" "osv-scanner" "$(tail -1 "$W/why" 2>/dev/null)"; fi
on deps && missing "deps vs pip-audit" "deps (offline index)" "pip-audit" \
  "not run: asks PyPI's or OSV's vulnerability service for every package; no offline mode"

# ---- cold start: empty cache, one small file; the prebuilt databases
# against compiling them (a one-rule --secrets-config makes the set new)
if on cold; then
mkdir -p "$W/one"; printf 'x = 1\n' >"$W/one/a.py"
printf '[[rules]]\nid = "bench-only"\nregex = '"'''"'benchonly_[a-z0-9]{20}'"'''"'\n' >"$W/extra.toml"
: >"$W/cw"; : >"$W/fw"
for i in $(seq 1 "$R"); do
  rm -rf "$XDG_CACHE_HOME"
  one /dev/null "$VG" scan -q --fail-on never -o /dev/null "$W/one" | cut -d' ' -f1 >>"$W/cw"
  rm -rf "$XDG_CACHE_HOME"
  one /dev/null "$VG" scan -q --fail-on never -o /dev/null --secrets-config "$W/extra.toml" "$W/one" | cut -d' ' -f1 >>"$W/fw"
done
printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "cold start, empty cache" "scan (prebuilt db)" "$(median <"$W/cw")" - \
  "same scan compiling its db" "$(median <"$W/fw")" - >>"$ROWS"
fi

/usr/bin/python3 - "$ROWS" "$bytes" <<'PY'
import re, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
mb = int(sys.argv[2]) / 1048576
print("   %-26s %-22s %8s %7s   %-42s %8s %7s %8s" % ("row", "vibeguard", "wall s", "RSS MB", "peer", "wall s", "RSS MB", "ratio"))
for r in rows:
    label, vl, vw, vm, pl, pw, pm = r[:7]
    why = r[7] if len(r) > 7 else ""
    f = lambda x: x if x in ("-", "") else "%.2f" % float(x)
    m = lambda x: x if x in ("-", "") else "%d" % (int(x) // 1024)
    ratio = "-"
    if vw not in ("-", "") and pw not in ("-", "") and float(vw) > 0:
        ratio = "%.1fx" % (float(pw) / float(vw))
    print("   %-26s %-22s %8s %7s   %-42s %8s %7s %8s" % (label, vl, f(vw), m(vm), pl[:42], f(pw), m(pm), ratio))
    if why:
        print("   %26s   %s: %s" % ("", pl, re.sub(r"[a-z]+://\S+", "<registry>", why)[:200]))
PY
