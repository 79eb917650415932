#!/usr/bin/env bash
# peers.sh - vibeguard beside the real peers, one table: current Bandit and
# ruff --select S for Python rules, Semgrep with a local rule set
# (bench/semgrep_rules.yml), gitleaks, TruffleHog and detect-secrets for
# secrets, Presidio's analyzer for PII, osv-scanner / pip-audit for
# dependencies, vibeguard's cold start, and the rows bench/history.sh
# (--history vs gitleaks git), bench/staged.sh (pre-commit --staged vs
# ruff on the staged file) and bench/scaling.sh (1x, 4x and 16x the
# stdlib) add to the same table through BENCH_ROWS_OUT.  Each row carries
# its target from issue 16 and says whether this run met it.  The peers are installed by
# scripts/install-peers.sh into PEERS_DIR (default /work/scratch), never
# into the tree; a peer that cannot be installed or run is a row with the
# reason, and the bench goes on.
#
# The machine may be shared, so timings are noisy: each pair runs
# interleaved (vibeguard, peer, vibeguard, peer, ...) BENCH_REPEAT times
# (default 3; a run over 30 s is not repeated) and the table shows medians
# of wall time, with the ratio peer/vibeguard of the medians.  Numbers
# only: nothing here can fail the build, no test reads them.  BENCH_ROWS
# picks rows (bandit ruff gitleaks secrets-core trufflehog detect-secrets
# presidio deps history cold staged scaling semgrep; default all).
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

one() { # out-file command... -> "wall rss_kb cpu" of one run
  local out=$1; shift
  /usr/bin/time -f "%e %M %U %S" -o "$W/t" "$@" >"$out" 2>"$W/err"
  tail -1 "$W/t" | awk '{ print $1, $2, $3 + $4 }'
}
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)]; else print 0 }'; }

# One line per row, tab-separated (the same fields history.sh, staged.sh
# and scaling.sh append): label, vibeguard's command, its wall s, CPU s,
# RSS KB, the peer's command, its wall s, CPU s, RSS KB, the metric the
# ratio and target read (wall: peer/vibeguard wall time; rss: peer/
# vibeguard peak RSS; rate: vibeguard/peer MB per CPU-second, the rate in
# the CPU fields; x: vibeguard's own figure in the wall field, no peer),
# the target (ratio>=N, vg<=N, vg>=N or -), and why a peer did not run.
ROWS=$W/rows
: >"$ROWS"
export BENCH_ROWS_OUT=$ROWS
on() { case " ${BENCH_ROWS:-bandit ruff gitleaks secrets-core trufflehog detect-secrets presidio deps history cold staged scaling semgrep} " in *" $1 "*) return 0 ;; esac; return 1; }
# row LABEL VG-LABEL PEER-LABEL TARGET -- vg command... -- peer command...
row() {
  local label=$1 vl=$2 pl=$3 target=$4; shift 4
  local vg=() pc=() in=vg
  shift # --
  while [ $# -gt 0 ]; do
    if [ "$1" = -- ] && [ $in = vg ]; then in=peer; shift; continue; fi
    if [ $in = vg ]; then vg+=("$1"); else pc+=("$1"); fi
    shift
  done
  : >"$W/v"; : >"$W/p"
  local i slow_v=0 slow_p=0
  for i in $(seq 1 "$R"); do
    if [ $slow_v = 0 ]; then
      one "$W/vout" "${vg[@]}" >>"$W/v"
      awk '{ exit !($1 > 30) }' <(tail -1 "$W/v") && slow_v=1
    fi
    if [ ${#pc[@]} -gt 0 ] && [ $slow_p = 0 ]; then
      one "$W/pout" "${pc[@]}" >>"$W/p"
      awk '{ exit !($1 > 30) }' <(tail -1 "$W/p") && slow_p=1
    fi
  done
  local v p=$'-\t-\t-'
  v=$(med3 "$W/v")
  [ ${#pc[@]} -gt 0 ] && p=$(med3 "$W/p")
  printf '%s\t%s\t%s\t%s\t%s\twall\t%s\t\n' "$label" "$vl" "$v" "$pl" "$p" "$target" >>"$ROWS"
}
# med3 FILE: the medians of its columns wall, rss, cpu as "wall<TAB>cpu<TAB>rss"
med3() {
  local w m u
  w=$(awk '{ print $1 }' "$1" | median); m=$(awk '{ print $2 }' "$1" | median); u=$(awk '{ print $3 }' "$1" | median)
  printf '%s\t%s\t%s' "$w" "$u" "$m"
}
missing() { # LABEL VG-LABEL PEER TARGET why...
  local label=$1 vl=$2 pl=$3 target=$4; shift 4
  printf '%s\t%s\t-\t-\t-\t%s\t-\t-\t-\twall\t%s\t%s\n' "$label" "$vl" "$pl" "$target" "$*" >>"$ROWS"
}

# ---- Python rules
B=$(peer bandit)
if ! on bandit; then :
elif [ -n "$B" ]; then
  row "full scan vs Bandit" "scan (default)" "bandit -r ($($B --version 2>/dev/null | head -1 | cut -d' ' -f2))" "ratio>=200" -- \
    "$VG" scan --format json -o /dev/null --fail-on never "$corpus" -- \
    "$B" -r -q -f json -o "$W/bandit.json" "$corpus"
  # the same runs, read for peak memory: at most half of Bandit's
  tail -1 "$ROWS" | awk -F'\t' -v OFS='\t' '{ $1 = "peak memory vs Bandit"; $10 = "rss"; $11 = "ratio>=2"; print }' >>"$ROWS"
else missing "full scan vs Bandit" "scan (default)" "bandit" "ratio>=200" "$(cat "$W/why")"; fi
RF=$(peer ruff)
if ! on ruff; then :
elif [ -n "$RF" ]; then
  row "Python rules vs ruff" "scan --select B" "ruff --select S ($($RF --version | cut -d' ' -f2))" "ratio>=1" -- \
    "$VG" scan --select B --format json -o /dev/null --fail-on never "$corpus" -- \
    "$RF" check --select S --no-cache --exit-zero --output-format json -q "$corpus"
else missing "Python rules vs ruff" "scan --select B" "ruff" "ratio>=1" "$(cat "$W/why")"; fi

# ---- secrets (same tree; git history not involved)
VGS=("$VG" scan --select secret --no-pii --format json -o /dev/null --fail-on never "$corpus")
G=$(peer gitleaks)
if ! on gitleaks && ! on secrets-core; then :
elif [ -n "$G" ]; then
  if "$G" dir --help >/dev/null 2>&1; then gl=("$G" dir --no-banner --exit-code 0 -r "$W/gl.json" "$corpus")
  else gl=("$G" detect --no-git --no-banner --exit-code 0 -s "$corpus" -r "$W/gl.json"); fi
  gv=$("$G" version 2>/dev/null); case $gv in v[0-9]*) ;; *) gv="v8, go install" ;; esac
  on gitleaks && row "secrets vs gitleaks" "scan --select secret" "gitleaks dir ($gv)" "ratio>=20" -- "${VGS[@]}" -- "${gl[@]}"
else missing "secrets vs gitleaks" "scan --select secret" "gitleaks" "ratio>=20" "$(cat "$W/why")"; fi
# secrets per core: MB of source per CPU-second, one worker; gitleaks'
# CPU time over the same tree beside it
if ! on secrets-core; then :
else
  ps=(); gp="gitleaks (not installed)"
  [ -n "$G" ] && { ps=(-- "${gl[@]}"); gp="gitleaks, same run (MB per CPU-s)"; }
  row "secrets per core" "scan --select secret --jobs 1" "$gp" "vg>=1024" -- \
    "$VG" scan --select secret --no-pii --jobs 1 --format json -o /dev/null --fail-on never "$corpus" "${ps[@]}"
  tail -1 "$ROWS" | awk -F'\t' -v OFS='\t' -v mb="$((bytes / 1048576))" '
    { $4 = ($4 > 0 ? sprintf("%.0f", mb / $4) : "-"); if ($8 != "-") $8 = ($8 > 0 ? sprintf("%.0f", mb / $8) : "-")
      $10 = "rate"; print }' >"$W/last"
  sed -i '$d' "$ROWS"; cat "$W/last" >>"$ROWS"
fi
T=$(peer trufflehog)
if ! on trufflehog; then :
elif [ -n "$T" ]; then
  row "secrets vs TruffleHog" "scan --select secret" "trufflehog filesystem --no-verification" - -- "${VGS[@]}" -- \
    "$T" filesystem --no-verification --no-update --json "$corpus"
else missing "secrets vs TruffleHog" "scan --select secret" "trufflehog" - "$(cat "$W/why")"; fi
DS=$(peer detect-secrets)
if ! on detect-secrets; then :
elif [ -n "$DS" ]; then
  row "secrets vs detect-secrets" "scan --select secret" "detect-secrets scan ($($DS --version 2>/dev/null))" - -- "${VGS[@]}" -- \
    sh -c 'cd "$1" && "$0" scan --all-files .' "$DS" "$corpus"
else missing "secrets vs detect-secrets" "scan --select secret" "detect-secrets" - "$(cat "$W/why")"; fi

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
  row "PII vs Presidio" "scan --select pii" "presidio-analyzer (patterns, blank spaCy)" - -- \
    "$VG" scan --select pii --format json -o /dev/null --fail-on never "$pcorpus" -- "$PR" "$W/presidio.py" "$pcorpus"
else missing "PII vs Presidio" "scan --select pii" "presidio" - "$(tail -1 "$W/why" 2>/dev/null)"; fi

# ---- dependencies: the same PyPA snapshot for both.  osv-scanner's
# offline mode reads a zip of OSV JSON per ecosystem; bench/deps_diff.py
# writes it from the snapshot (and the lockfiles), nothing is downloaded.
# pip-audit asks PyPI's or OSV's service and has no offline mode.
OS=$(peer osv-scanner)
if ! on deps; then :
elif [ -n "$OS" ] && /usr/bin/python3 bench/deps_diff.py --prepare "$W/deps" 2>"$W/why"; then
  row "deps vs osv-scanner" "deps (built-in index)" "osv-scanner --offline ($("$OS" --version | head -1 | awk '{print $NF}'))" - -- \
    "$VG" deps "$W/deps/released" --format json -- \
    "$OS" scan source --offline --local-db-path "$W/deps/db" --format json -L "$W/deps/released/requirements.txt"
else missing "deps vs osv-scanner" "deps (built-in index)" "osv-scanner" - "$(tail -1 "$W/why" 2>/dev/null)"; fi
on deps && missing "deps vs pip-audit" "deps (offline index)" "pip-audit" - \
  "not run: asks PyPI's or OSV's vulnerability service for every package; no offline mode"

# ---- the rows of the other scripts, which print their own details too
sub() { # script: run it indented, its row (if any) appended to $ROWS
  echo "   -- bench/$1.sh"
  bash "bench/$1.sh" 2>&1 | sed 's/^/   /'
}
on history && sub history
on staged && sub staged
on scaling && sub scaling

# ---- cold start: empty cache, one small file; the prebuilt databases
# against compiling them (a one-rule --secrets-config makes the set new)
if on cold; then
mkdir -p "$W/one"; printf 'x = 1\n' >"$W/one/a.py"
printf '[[rules]]\nid = "bench-only"\nregex = '"'''"'benchonly_[a-z0-9]{20}'"'''"'\n' >"$W/extra.toml"
: >"$W/cw"; : >"$W/fw"
for i in $(seq 1 "$R"); do
  rm -rf "$XDG_CACHE_HOME"
  one /dev/null "$VG" scan -q --fail-on never -o /dev/null "$W/one" >>"$W/cw"
  rm -rf "$XDG_CACHE_HOME"
  one /dev/null "$VG" scan -q --fail-on never -o /dev/null --secrets-config "$W/extra.toml" "$W/one" >>"$W/fw"
done
printf '%s\t%s\t%s\t%s\t%s\twall\tvg<=0.1\t\n' "cold start, empty cache" "scan of one file (prebuilt db)" \
  "$(med3 "$W/cw")" "same scan compiling its db" "$(med3 "$W/fw")" >>"$ROWS"
fi

# ---- Semgrep: it ships no rules and its registry is not reachable, so a
# local set of 18 written for the bench (bench/semgrep_rules.yml); an
# empty .semgrepignore at the root, or Semgrep leaves out tests/ and the
# files over 1 MB, and the two tools would not read the same files
SG=$(peer semgrep)
if ! on semgrep; then :
elif [ -n "$SG" ]; then
  : >"$corpus/.semgrepignore"
  row "Python rules vs Semgrep" "scan --select B" "semgrep, 18 local rules ($(SEMGREP_ENABLE_VERSION_CHECK=0 "$SG" --version 2>/dev/null | tail -1))" - -- \
    "$VG" scan --select B --format json -o /dev/null --fail-on never "$corpus" -- \
    env -C "$corpus" SEMGREP_ENABLE_VERSION_CHECK=0 "$SG" scan --config "$PWD/bench/semgrep_rules.yml" --metrics off \
      --disable-version-check --json -q -j "$(nproc)" --max-target-bytes 0 -o "$W/sg.json" .
  rm -f "$corpus/.semgrepignore"
else missing "Python rules vs Semgrep" "scan --select B" "semgrep" - "$(cat "$W/why")"; fi

/usr/bin/python3 - "$ROWS" <<'PY'
import re, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
num = lambda x: None if x in ("-", "", "?") else float(x)
def fig(metric, wall, cpu, rss):
    w, c, m = num(wall), num(cpu), num(rss)
    if metric == "rate":
        return "-" if c is None else "%.0f MB/s" % c
    if metric == "x":
        return "-" if w is None else "%.2fx" % w
    if w is None:
        return "-"
    t = "<0.01 s" if w == 0 else "%.2f s" % w if w < 10 else "%.1f s" % w
    if metric == "rss":
        return "-" if m is None else "%d MB" % (m // 1024)
    extra = []
    if c is not None: extra.append("%.2f CPU" % c)
    if m is not None: extra.append("%d MB" % (m // 1024))
    return t + (" (" + ", ".join(extra) + ")" if extra else "")
print("   %-28s %-32s %-25s   %-40s %-25s %8s  %-11s %s" % ("row", "vibeguard", "", "peer", "", "ratio", "target", "met"))
notes = []
for r in rows:
    r += [""] * (12 - len(r))
    label, vl, vw, vc, vm, pl, pw, pc, pm, metric, target, why = r[:12]
    v = {"wall": num(vw), "rss": num(vm), "rate": num(vc), "x": num(vw)}.get(metric)
    p = {"wall": num(pw), "rss": num(pm), "rate": num(pc), "x": None}.get(metric)
    ratio = None
    if v and p:
        ratio = v / p if metric == "rate" else p / v
    met = "-"
    mt = re.fullmatch(r"(ratio|vg)(>=|<=)([0-9.]+)", target)
    if mt:
        x = ratio if mt.group(1) == "ratio" else v
        if x is not None:
            ok = x >= float(mt.group(3)) if mt.group(2) == ">=" else x <= float(mt.group(3))
            met = "yes" if ok else "NO"
    print("   %-28s %-32s %-25s   %-40s %-25s %8s  %-11s %s" % (label[:28], vl[:32], fig(metric, vw, vc, vm), pl[:40],
          fig(metric, pw, pc, pm) if metric != "x" else "", "-" if ratio is None else "%.1fx" % ratio, target, met))
    if why:
        print("   %28s   %s: %s" % ("", pl, re.sub(r"[a-z]+://\S+", "<registry>", why)[:200]))
print("   ratio: peer / vibeguard (time, memory) or vibeguard / peer (rate): above 1, vibeguard is ahead;")
print("   target: issue 16's (ratio>=N: ratio; vg<=N, vg>=N: vibeguard's own figure, seconds or MB/s per core)")
PY
