#!/usr/bin/env bash
# hostile.sh - the hostile-input tier (issue 17): inputs an attacker writes to
# make the scan hang in CI, blow up, or wave code through.  Every tree is
# generated at run time by tests/hostile/gen.py (nothing big is committed)
# and holds an ordinary file whose finding must survive beside the hostile
# ones.  Growth is asserted by counting work (diagnostics kept, report
# bytes, peak memory, the work taint and the pattern rules report under
# VIBEGUARD_WORK=1) at two
# sizes, never by wall clock; the one timeout
# below is a hang guard for the FIFO and broken-object cases (a hang is
# the failure being tested), far above any honest run.
. "$(dirname "$0")/../lib.sh"
export XDG_CACHE_HOME="$TMP/cache"
GEN="/usr/bin/python3 $T_ROOT/tests/hostile/gen.py"
GUARD="timeout 300"
# the ordinary file's finding is still there
ordinary='any(f["rule_id"] == "B602" and f["path"].endswith("ordinary.py") for f in F)'

# --- evasion: coding cookies --------------------------------------------------
$GEN codecs "$TMP/codecs"
for f in utf_7 u7 uesc uesc_one_line rawuesc latin1 cp1252 sjis; do
  # the payload is live: CPython compiles it (never runs it)
  check "codecs: CPython compiles $f.py" /usr/bin/python3 -c \
    "import sys; compile(open(sys.argv[1],'rb').read(), sys.argv[1], 'exec')" "$TMP/codecs/$f.py"
done
"$VG" scan --format json "$TMP/codecs" >"$TMP/codecs.json" 2>"$TMP/codecs.err"
for f in utf_7 u7 uesc uesc_one_line rawuesc latin1 cp1252 sjis; do
  check_json "codecs: os.system(request.args) found in $f.py" "$TMP/codecs.json" \
    "any(f['rule_id'] == 'VG702' and f['path'].endswith('/$f.py') for f in F)"
done
for f in utf_7 u7 uesc uesc_one_line rawuesc sjis macarabic; do
  check_json "codecs: the cookie of $f.py is a finding (VG801)" "$TMP/codecs.json" \
    "any(f['rule_id'] == 'VG801' and f['path'].endswith('/$f.py') and f['line'] == 1 for f in F)"
done
for f in latin1 cp1252; do
  check_json "codecs: an ordinary cookie ($f) is not VG801" "$TMP/codecs.json" \
    "not any(f['rule_id'] == 'VG801' and f['path'].endswith('/$f.py') for f in F)"
done
check_json "codecs: nothing else was lost" "$TMP/codecs.json" "$ordinary"

# --- evasion: NUL bytes -------------------------------------------------------
$GEN nul "$TMP/nul"
"$VG" scan --format json "$TMP/nul" >"$TMP/nul.json" 2>/dev/null
check_json "nul: a key in a .py that starts with NUL is found" "$TMP/nul.json" \
  "any(f['rule_id'] == 'secret:aws-access-token' and f['path'].endswith('starts_nul.py') for f in F)"
check_json "nul: a key in a text file with a stray NUL is found" "$TMP/nul.json" \
  "any(f['rule_id'] == 'secret:aws-access-token' and f['path'].endswith('notes.txt') for f in F)"
check_json "nul: a skipped binary is listed with the reason" "$TMP/nul.json" \
  "any(e['path'].endswith('blob.bin') and 'binary' in e['message'] for e in E) and d['stats']['skipped_binary'] == 1"
check_json "nul: nothing else was lost" "$TMP/nul.json" "$ordinary"

# --- a hit cap never becomes a silent miss ------------------------------------
$GEN zwflood "$TMP/zw"
check_exit 1 "zwflood: --fail-on medium fails" "$VG" scan --format json --fail-on medium "$TMP/zw"
cp "$TMP/.out" "$TMP/zw.json"
check_json "zwflood: the key after 1.1 M zero-width characters is reported" "$TMP/zw.json" \
  "any(f['rule_id'] == 'secret:aws-access-token' and f['path'].endswith('flood.txt') for f in F)"
check_json "zwflood: nothing else was lost" "$TMP/zw.json" "$ordinary"

# --- syntax errors: capped per file, linear in the input ----------------------
measure() { # measure DIR OUT: scan DIR to OUT; prints peak RSS in KiB
  /usr/bin/python3 - "$VG" "$1" "$2" <<'PY'
import resource, subprocess, sys
with open(sys.argv[3], "wb") as o:
    subprocess.run([sys.argv[1], "scan", "--format", "json", "--fail-on", "never", sys.argv[2]],
                   stdout=o, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
}
$GEN diags "$TMP/d1" 100000
$GEN diags "$TMP/d4" 400000
m1=$(measure "$TMP/d1" "$TMP/d1.json")
m4=$(measure "$TMP/d4" "$TMP/d4.json")
for j in d1 d4; do
  check_json "diags($j): 100 errors a file, then 'and N more'" "$TMP/$j.json" \
    "all(sum(1 for e in E if e['path'].endswith(n)) == 101 and any('more syntax errors' in e['message'] for e in E if e['path'].endswith(n)) for n in ('dollars.py', 'parens.py'))"
  check_json "diags($j): nothing else was lost; parse_errors counted" "$TMP/$j.json" \
    "$ordinary and d['stats']['parse_errors'] == 2"
done
s1=$(stat -c %s "$TMP/d1.json") s4=$(stat -c %s "$TMP/d4.json")
# 4x the input: the report stays the same size (the count grows by digits)
check "diags: report size does not grow with the errors ($s1 -> $s4 bytes)" \
  test $((s4 * 10)) -le $((s1 * 11))
check "diags: peak memory at most linear ($m1 -> $m4 KiB for 4x input)" test "$m4" -le $((m1 * 4))

# --- redact: a vault of many distinct values, a small constant per value ---------
# Peak memory at N and 2N distinct e-mail addresses; the slope is what one
# more value costs (its own ~27 bytes, its placeholder's ~22, the entry and
# the indexes: about 115 bytes; the map and the vault dump took ~500, and
# restore, holding the vault file and its plain text, ~245).
# Under ASan freed memory waits in the quarantine, which would count every
# block's scratch buffers: the quarantine is off for this measure.
vg_rss() { # vg_rss OUT ARGS...: runs vibeguard ARGS >OUT; prints peak RSS in KiB
  VIBEGUARD_VAULT_KEY=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef \
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0" /usr/bin/python3 - "$VG" "$@" <<'PY'
import resource, subprocess, sys
with open(sys.argv[2], "wb") as o:
    subprocess.run([sys.argv[1]] + sys.argv[3:], stdout=o, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
}
VN=40000
$GEN vault "$TMP/va1" $VN
$GEN vault "$TMP/va2" $((VN * 2))
r1=$(vg_rss "$TMP/va1.out" redact "$TMP/va1/emails.txt" --vault "$TMP/va1.bin")
r2=$(vg_rss "$TMP/va2.out" redact "$TMP/va2/emails.txt" --vault "$TMP/va2.bin")
s1=$(vg_rss "$TMP/va1.back" restore --vault "$TMP/va1.bin" "$TMP/va1.out")
s2=$(vg_rss "$TMP/va2.back" restore --vault "$TMP/va2.bin" "$TMP/va2.out")
for j in va1:$VN va2:$((VN * 2)); do
  check "vault(${j%%:*}): every address is replaced by its own placeholder" test \
    "$(grep -c '^mail <EMAIL_ADDRESS_[0-9]*> today$' "$TMP/${j%%:*}.out")" = "${j#*:}" -a \
    "$(sort -u "$TMP/${j%%:*}.out" | wc -l)" = "${j#*:}"
  check "vault(${j%%:*}): restore gives the input back" cmp -s "$TMP/${j%%:*}.back" "$TMP/${j%%:*}/emails.txt"
done
# KiB for VN more values, as bytes a value: at most 200
check "vault: redact's peak memory grows linearly, a small slope ($r1 -> $r2 KiB: $(( (r2 - r1) * 1024 / VN )) bytes a value)" \
  test "$r2" -gt "$r1" -a $(( (r2 - r1) * 1024 )) -le $((VN * 200))
check "vault: restore's too ($s1 -> $s2 KiB: $(( (s2 - s1) * 1024 / VN )) bytes a value)" \
  test "$s2" -gt "$s1" -a $(( (s2 - s1) * 1024 )) -le $((VN * 200))

# --- YAML flow nesting: refused before libyaml sees it --------------------------
$GEN yaml "$TMP/y"
"$VG" scan --format json "$TMP/y" >"$TMP/y.json" 2>/dev/null
for f in a b; do
  check_json "yaml: flow nesting in $f/pnpm-lock.yaml is refused with a warning" "$TMP/y.json" \
    "any(e['path'].endswith('$f/pnpm-lock.yaml') and 'nested deeper' in e['message'] for e in E)"
done
check_json "yaml: nothing else was lost" "$TMP/y.json" "$ordinary"

# --- taint: linear in the statements of a module and of one function ----------
# VIBEGUARD_WORK=1 prints the work taint did (statements, expressions and
# environment entries visited); twice the input must be about twice the work.
taint_work() { # taint_work DIR OUT: scan DIR to OUT; prints taint's work
  VIBEGUARD_WORK=1 "$VG" scan --profile audit --format json --fail-on never "$1" >"$2" 2>"$2.err"
  sed -n 's/^vibeguard: work: taint \([0-9]*\)$/\1/p' "$2.err"
}
$GEN taint "$TMP/t1" 1000
$GEN taint "$TMP/t2" 2000
w1=$(taint_work "$TMP/t1" "$TMP/t1.json")
w2=$(taint_work "$TMP/t2" "$TMP/t2.json")
for j in t1:1000 t2:2000; do
  check_json "taint(${j%%:*}): every statement's flow is found, nothing else was lost" "$TMP/${j%%:*}.json" \
    "sum(1 for f in F if f['rule_id'] == 'VG701' and f['path'].endswith('sqlmod.py')) == ${j#*:} and sum(1 for f in F if f['rule_id'] == 'VG701' and f['path'].endswith('longfn.py')) == ${j#*:} and $ordinary"
done
check "taint: the work is counted (${w1:-none} for 1000 statements)" test -n "$w1" -a "${w1:-0}" -gt 0
# 2x the input: at most 2.2x the work (the quadratic paths gave 4x)
check "taint: work at most linear (${w1:-?} -> ${w2:-?} for 2x input)" \
  test "$((${w2:-0} * 10))" -le "$((${w1:-0} * 22))" -a "${w2:-0}" -gt "${w1:-0}"

# --- pattern rules: linear in the statements of one function ------------------
# The rules' look-ups through a body (the last `v = ...` before a sink, an
# earlier `if v not in ALLOWED: raise`) read each block once into an index
# (src/rules/block.c); they used to rescan the body per look-up, up to
# RULES_SCAN_STMTS statements.  Sizes below that cap (300 and 600 guarded
# blocks: 1,800 and 3,600 statements in one handler) show the growth.
rules_work() { # rules_work DIR OUT: scan DIR to OUT without taint; prints the rules' work
  VIBEGUARD_WORK=1 "$VG" scan --no-taint --profile audit --format json --fail-on never "$1" >"$2" 2>"$2.err"
  sed -n 's/^vibeguard: work: rules \([0-9]*\)$/\1/p' "$2.err"
}
$GEN taint "$TMP/r1" 300
$GEN taint "$TMP/r2" 600
r1=$(rules_work "$TMP/r1" "$TMP/r1.json")
r2=$(rules_work "$TMP/r2" "$TMP/r2.json")
for j in r1:300 r2:600; do
  check_json "rules(${j%%:*}): every sink of the long handler is B608, nothing else was lost" "$TMP/${j%%:*}.json" \
    "sum(1 for f in F if f['rule_id'] == 'B608' and f['path'].endswith('longfn.py')) == ${j#*:} and $ordinary"
done
check "rules: the work is counted (${r1:-none} for 300 blocks)" test -n "$r1" -a "${r1:-0}" -gt 0
# 2x the statements: at most 2.2x the work (the rescans gave 4x)
check "rules: look-up work at most linear (${r1:-?} -> ${r2:-?} for 2x input)" \
  test "$((${r2:-0} * 10))" -le "$((${r1:-0} * 22))" -a "${r2:-0}" -gt "${r1:-0}"

# --- a .bandit of many continuation lines: read in linear work -----------------
# Bandit's INI joins continuation lines with commas; each used to copy the
# whole value so far (quadratic: a 420 KB .bandit ran for minutes), and
# every junk id was one warning line.  The reader counts the bytes it reads
# and joins (`work: bandit-config`); a list keeps its first BANDIT_LIST_MAX
# (1,024) items, and the warnings about junk ids stop at 20 and one more line.
bini_work() { # bini_work DIR OUT: scan DIR (its .bandit found there); prints the reader's work
  VIBEGUARD_WORK=1 "$VG" scan --profile bandit --format json --fail-on never "$1" >"$2" 2>"$2.err"
  sed -n 's/^vibeguard: work: bandit-config \([0-9]*\)$/\1/p' "$2.err"
}
$GEN banditini "$TMP/bi1" 20000
$GEN banditini "$TMP/bi2" 40000
b1=$(bini_work "$TMP/bi1" "$TMP/bi1.json")
b2=$(bini_work "$TMP/bi2" "$TMP/bi2.json")
check "banditini: the reader's work is counted (${b1:-none} for 20,000 lines)" test -n "$b1" -a "${b1:-0}" -gt 0
check "banditini: work at most linear (${b1:-?} -> ${b2:-?} for 2x input)" \
  test "$((${b2:-0} * 10))" -le "$((${b1:-0} * 22))" -a "${b2:-0}" -gt "${b1:-0}"
check "banditini: 20 warnings about junk ids, one line for the rest, one for the cap" \
  test "$(grep -c 'warning: ' "$TMP/bi2.json.err")" -eq 22
check_grep "banditini: ... saying how many more junk ids" "and 492 more ids" "$TMP/bi2.json.err"
check_grep "banditini: ... and how many items past the cap" "skips: 38977 items past the first 1024 ignored" \
  "$TMP/bi2.json.err"
check_json "banditini: the ordinary file keeps its finding, nothing else was lost" "$TMP/bi2.json" \
  "$ordinary"

# --- a user's regex that backtracks: bounded, and the rule is named ------------
$GEN regex "$TMP/re"
"$VG" scan --secrets-config "$TMP/re/rules.toml" --format json --fail-on never "$TMP/re/cli" \
  >"$TMP/re-cli.json" 2>/dev/null
( cd "$TMP/re/repo" && "$VG" scan --format json --fail-on never . >"$TMP/re-repo.json" 2>/dev/null )
for j in cli repo; do
  check_json "regex($j): the rule that hit the PCRE2 bound is reported for its file" "$TMP/re-$j.json" \
    "any(e['level'] == 'warning' and e['path'].endswith('notes.txt') and 'secret:evil-backtrack' in e['message'] and 'match limit' in e['message'] for e in E)"
  check_json "regex($j): nothing else was lost" "$TMP/re-$j.json" "$ordinary"
done

# --- a broken manifest is a warning; an empty scan says so ---------------------
$GEN pyproject "$TMP/pp"
( cd "$TMP/pp" && "$VG" scan --format json . >"$TMP/pp.json" 2>/dev/null; echo $? >"$TMP/pp.rc" )
check "pyproject: a malformed pyproject.toml does not stop the scan" test "$(cat "$TMP/pp.rc")" = 1
check_json "pyproject: it is a warning, and nothing else was lost" "$TMP/pp.json" \
  "any(e['level'] == 'warning' and e['path'].endswith('pyproject.toml') for e in E) and $ordinary"
check_exit 0 "empty: exclude=** still exits 0 by default" "$VG" scan --format json --exclude '**' "$TMP/pp"
check_json "empty: ...but says nothing was scanned" "$TMP/.out" \
  "any('nothing was scanned' in e['message'] for e in E) and d['stats']['files'] == 0"
check_exit 1 "empty: --fail-on-empty fails it" "$VG" scan --fail-on-empty --exclude '**' "$TMP/pp"

# --- FIFOs at every path opened by name: refused, never a hang ----------------
$GEN fifo "$TMP/ff"
F_=$TMP/ff
check_exit 2 "fifo: .vibeguard.toml refused" $GUARD "$VG" scan "$F_/toml"
check_grep "fifo: ...with a clear message" "not a regular file" "$TMP/.err"
( cd "$F_/pyproject" && $GUARD "$VG" scan --format json . >"$TMP/ffp.json" 2>/dev/null; echo $? >"$TMP/ffp.rc" )
check "fifo: pyproject.toml is a warning, the scan goes on" test "$(cat "$TMP/ffp.rc")" = 1
check_exit 0 "fifo: a -r include is refused with a warning" $GUARD "$VG" scan --format json --fail-on never "$F_/include"
check_json "fifo: ...naming the include" "$TMP/.out" \
  "any('base.in' in e['message'] and 'not a regular file' in e['message'] for e in E)"
check_exit 2 "fifo: [secrets] config refused" $GUARD "$VG" scan "$F_/secrets"
check_exit 2 "fifo: --baseline refused" $GUARD "$VG" scan --baseline "$F_/baseline.fifo" "$F_/toml/ordinary.py"
check_exit 2 "fifo: the vault refused" $GUARD env VIBEGUARD_VAULT_KEY=passphrase-for-tests \
  "$VG" restore --vault "$F_/vault.fifo" /dev/null
check_exit 2 "fifo: the key file refused" $GUARD "$VG" redact --vault "$TMP/v" --key-file "$F_/key.fifo" /dev/null
check_grep "fifo: ...with a clear message" "not a regular file" "$TMP/.err"

# --- history: a truncated loose object, a repository outside the tree ---------
if command -v git >/dev/null; then
  $GEN history "$TMP/h"
  check_exit 1 "history: a truncated object ends (no spin)" $GUARD "$VG" scan --history --format json "$TMP/h/repo"
  cp "$TMP/.out" "$TMP/h.json"
  check_json "history: the broken object is reported" "$TMP/h.json" \
    "any('truncated or corrupt' in e['message'] for e in E)"
  check_json "history: the other blobs and the tree scan still give their findings" "$TMP/h.json" \
    "$ordinary and any(f['rule_id'] == 'secret:aws-access-token' for f in F) and d['stats']['history_blobs'] >= 2"
  check_exit 1 "history: a .git file pointing outside" $GUARD "$VG" scan --history --format json "$TMP/h/outside"
  check_json "history: ...is not walked" "$TMP/.out" \
    "any('outside the scanned tree' in e['message'] for e in E) and d['stats']['history_blobs'] == 0 and $ordinary"
else
  skip "git is not installed: the history cases"
fi

# --- the walk's warnings under LeakSanitizer, as a user who meets them ---------
# As root an unreadable directory is readable, so the warning path (and the
# leak it had in diag_move) is only met as another user.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
  U=$(mktemp -d /tmp/vg-hostile-user.XXXXXX)
  chmod 755 "$U"
  mkdir -p "$U/tree/locked" "$U/cache"
  printf 'import subprocess\n\n\ndef go(cmd):\n    subprocess.call(cmd, shell=True)\n' >"$U/tree/ordinary.py"
  printf 'x = 1\n' >"$U/tree/locked/a.py"
  chmod 000 "$U/tree/locked"
  chown nobody "$U/cache"
  if setpriv --reuid=nobody --regid=nogroup --clear-groups test -x "$VG"; then
    setpriv --reuid=nobody --regid=nogroup --clear-groups env XDG_CACHE_HOME="$U/cache" \
      ASAN_OPTIONS=detect_leaks=1 "$VG" scan --select B,VG --format json "$U/tree" \
      >"$TMP/lsan.json" 2>"$TMP/lsan.err"
    rc=$?
    if grep -q "LeakSanitizer has encountered a fatal error" "$TMP/lsan.err"; then
      skip "LeakSanitizer cannot run as nobody here"
    else
      check "lsan: an unreadable directory, as nobody: no leak, exit 0/1 (rc $rc)" \
        test "$rc" -le 1 -a ! -s "$TMP/lsan.err"
      check_json "lsan: ...the directory is a warning and nothing else was lost" "$TMP/lsan.json" \
        "any('locked' in (e['path'] or '') for e in E) and $ordinary"
    fi
  else
    skip "the binary is not reachable by nobody: the unprivileged LSan case"
  fi
  chmod 755 "$U/tree/locked"
  rm -rf "$U"
else
  skip "not root, or no setpriv/nobody: the unprivileged LSan case"
fi

done_tests
