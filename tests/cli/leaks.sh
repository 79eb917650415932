#!/usr/bin/env bash
# leaks.sh - the one masking step: a secret planted in the input of every
# analyzer (a requirements line, a hard-coded password, a URL password of
# three characters, the context lines of a cross-module taint sink, text
# hidden in tag characters, an e-mail address, a commit in the history)
# appears in no byte of any output: text, JSON, SARIF, HTML, a baseline,
# --history, standard error.  --show-secrets proves each was found.  A
# secret's fingerprint does not depend on the hidden characters.
. "$(dirname "$0")/../lib.sh"
export XDG_CACHE_HOME=${XDG_CACHE_HOME:-/tmp/vg-test-cache}

P=$TMP/proj
mkdir -p "$P/pkg"
# synthetic values, each a secret of one analyzer's input
AWS_REQ=AKIAZ3MKQ7PLW5XRT4NB      # on a requirements.txt line (deps echoes names)
AWS_CTX=AKIAQ4LMZ7PKW2XRT6NC      # beside a cross-module taint sink
PW=Summer2024x                    # a short hard-coded password
URLPW=bar                         # three characters in a URL
GHP=ghp_R8x2Lq9ZpT4vNc7YwK3mHs6JdF1aBe0UiO5r   # hidden in tag characters
MAIL=margaret.holloway@acme-corp.com
OLD=AKIAR5NWQ2LPZ7XKT3MB          # committed, then removed (--history)
IDXPW=Dep0sitPassw0rd42           # an index URL's password (dep:unsafe-source)

printf 'requests==2.31.0\n%s\n--index-url http://ci:%s@pypi.internal/simple\n' "$AWS_REQ" "$IDXPW" >"$P/requirements.txt"
cat >"$P/pkg/__init__.py" <<'EOF'
EOF
cat >"$P/pkg/views.py" <<'EOF'
from flask import Flask, request

from .helpers import run

app = Flask(__name__)


@app.route("/ping")
def ping():
    run(request.args["host"])
    return "ok"
EOF
cat >"$P/pkg/helpers.py" <<EOF
import os
import redis

r = redis.from_url("redis://foo:$URLPW@localhost:6379/0")
password = "$PW"
OWNER = "$MAIL"


def run(cmd):
    aws_key = "$AWS_CTX"
    os.system("ping " + cmd)
    return aws_key
EOF
python3 - "$P/AGENTS.md" "$GHP" <<'EOF'
import sys
tag = "".join(chr(0xE0000 + ord(c)) for c in sys.argv[2])
open(sys.argv[1], "w", encoding="utf-8").write("Be helpful." + tag + "\n")
EOF

HISTORY=0
if command -v git >/dev/null; then
  g() { git -C "$P" -c user.name="Dev One" -c user.email=dev@example.invalid -c commit.gpgsign=false "$@"; }
  g init -q
  printf 'KEY = "%s"\n' "$OLD" >"$P/old.py"
  g add -A && g commit -q -m "add key"
  rm "$P/old.py"
  g add -A && g commit -q -m "remove key"
  HISTORY=1
else
  skip "git not installed: the --history output is not checked"
fi

# every output, every format, audit profile (review items too)
flags=(--profile audit --fail-on never)
[ "$HISTORY" = 1 ] && flags+=(--history)
cd "$P" || exit 1   # paths relative to the project, as in the history
for fmt in text json sarif html; do
  "$VG" scan "${flags[@]}" --format "$fmt" . >"$TMP/out.$fmt" 2>"$TMP/err.$fmt"
  "$VG" scan "${flags[@]}" --format "$fmt" -o "$TMP/file.$fmt" . >/dev/null 2>>"$TMP/err.$fmt"
done
"$VG" scan "${flags[@]}" --write-baseline "$TMP/baseline.json" . >"$TMP/out.bl" 2>"$TMP/err.bl"
"$VG" deps --format json . >"$TMP/out.deps" 2>"$TMP/err.deps"
"$VG" scan "${flags[@]}" --show-secrets --format json . >"$TMP/shown.json" 2>/dev/null
cd "$T_ROOT" || exit 1

# the checker: no secret (nor its tag-character spelling, nor a JSON escape
# of it) in any byte stream; and each was found, as --show-secrets shows
cat >"$TMP/leak.py" <<'EOF'
import json, sys
secrets = dict(a.split("=", 1) for a in sys.argv[2].split(","))
def forms(v):
    yield v.encode()
    yield "".join(chr(0xE0000 + ord(c)) for c in v).encode()
    yield json.dumps("".join(chr(0xE0000 + ord(c)) for c in v))[1:-1].encode()
bad = []
for path in sys.argv[3:]:
    data = open(path, "rb").read()
    for name, v in secrets.items():
        probe = v if len(v) > 3 else ":" + v + "@"
        for f in forms(probe):
            if f in data:
                bad.append(f"{name} in {path.rsplit('/', 1)[-1]}")
                break
if bad:
    print("; ".join(sorted(set(bad))))
    sys.exit(1)
EOF
leaks() { # DESCRIPTION NAME=VALUE,... FILE...
  local d=$1 s=$2 why; shift 2
  if why=$(python3 "$TMP/leak.py" x "$s" "$@" 2>&1); then pass; else fail "$d: $why"; fi
}
ALL="IDXPW=$IDXPW,AWS_REQ=$AWS_REQ,AWS_CTX=$AWS_CTX,PW=$PW,URLPW=$URLPW,GHP=$GHP,MAIL=$MAIL,PWPREFIX=Summ"
[ "$HISTORY" = 1 ] && ALL="$ALL,OLD=$OLD"
for fmt in text json sarif html; do
  leaks "$fmt report masks every secret" "$ALL" "$TMP/out.$fmt" "$TMP/err.$fmt" "$TMP/file.$fmt"
done
leaks "baseline masks every secret" "$ALL" "$TMP/baseline.json" "$TMP/out.bl" "$TMP/err.bl"
leaks "deps report masks every secret" "$ALL" "$TMP/out.deps" "$TMP/err.deps"

# the planted secrets were found: the test could fail
check_json "each analyzer met its secret" "$TMP/shown.json" \
  "found(rule='dep:unpinned', path='requirements.txt', line=2) and found(rule='dep:unsafe-source', path='requirements.txt') and found(rule='secret:aws-access-token', path='requirements.txt') and found(rule='B105', path='pkg/helpers.py') and found(rule='secret:database-url-password', path='pkg/helpers.py') and found(rule='unicode:tag', path='AGENTS.md') and found(rule='pii:EMAIL_ADDRESS', path='pkg/helpers.py') and found(rule='VG702', path='pkg/helpers.py')"
check_json "--show-secrets shows them" "$TMP/shown.json" \
  "'$AWS_REQ' in raw and '$IDXPW' in raw and '$PW' in raw and '$MAIL' in raw and ':$URLPW@' in raw"
check_json "the cross-module sink's context is masked, not dropped" "$TMP/out.json" \
  "any('AKIA****' in f['context'] and f['props'].get('cross_module') == 'true' for f in found(rule='VG702', path='pkg/helpers.py'))"
check_json "dep names that are secrets are masked in message and props" "$TMP/out.json" \
  "all(f['props']['package'] == 'AKIA****' and 'AKIA****' in f['message'] for f in found(path='requirements.txt') if f['rule_id'].startswith('dep:') and f['line'] == 2)"
check_json "a short password shows nothing" "$TMP/out.json" \
  "all(f['snippet'] == 'password = \"****\"' for f in found(rule='B105', path='pkg/helpers.py'))"
if [ "$HISTORY" = 1 ]; then
  check_json "the history's secret was found" "$TMP/out.json" "found(rule='secret:aws-access-token', path='old.py')"
fi

# a fingerprint does not depend on the hidden characters: two secrets
# behind one mask give one fingerprint (no wordlist can tell them apart)
mkdir -p "$TMP/f1" "$TMP/f2"
printf 'password = "Summer2024x"\n' >"$TMP/f1/a.py"
printf 'password = "Winter2023y"\n' >"$TMP/f2/a.py"
(cd "$TMP/f1" && "$VG" scan --format json --fail-on never . >"$TMP/f1.json" 2>/dev/null)
(cd "$TMP/f2" && "$VG" scan --format json --fail-on never . >"$TMP/f2.json" 2>/dev/null)
fp2=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["findings"][0]["fingerprint"])' "$TMP/f2.json" 2>/dev/null)
check_json "fingerprint is over the masked line" "$TMP/f1.json" "len(F) == 1 and F[0]['fingerprint'] == '$fp2'"

done_tests
