#!/usr/bin/env bash
# peers_install.sh - install the peer tools of `make bench` into a scratch
# directory (PEERS_DIR, default /work/scratch; never the tree, never the
# system, never used by `make test`): each PyPI tool in its own venv
# PEERS_DIR/<tool>, the Go tools with GOPATH=PEERS_DIR/go.  A tool already
# there is kept.  Each result is one line in PEERS_DIR/status/<tool>:
# "ok <binary>" or "failed <last lines of the installer's error>", so the
# bench can print why a peer is missing and go on.
set -u
P=${PEERS_DIR:-/work/scratch}
# an installer's error, short, with addresses left out (the reason is enough)
why() { tail -3 "$1" | tr '\n\t' '  ' | sed -E 's#[a-z]+://[^ ]+#<registry>#g' | cut -c1-300; }
mkdir -p "$P/status"
pip_tool() { # name pip-spec binary
  local name=$1 spec=$2 bin=$3 d="$P/$1"
  if [ -x "$d/bin/$bin" ]; then echo "ok $d/bin/$bin" >"$P/status/$name"; return; fi
  if { [ -x "$d/bin/pip" ] || python3 -m venv "$d"; } >"$P/status/$name.log" 2>&1 &&
     "$d/bin/pip" install -q "$spec" >>"$P/status/$name.log" 2>&1 && [ -x "$d/bin/$bin" ]; then
    echo "ok $d/bin/$bin" >"$P/status/$name"
  else
    echo "failed $(why "$P/status/$name.log")" >"$P/status/$name"
  fi
}
go_tool() { # name module binary [toolchain]
  local name=$1 mod=$2 bin=$3 tc=${4:-}
  if [ -x "$P/go/bin/$bin" ]; then echo "ok $P/go/bin/$bin" >"$P/status/$name"; return; fi
  if ! command -v go >/dev/null; then echo "failed go is not installed" >"$P/status/$name"; return; fi
  if env GOPATH="$P/go" GOFLAGS=-modcacherw ${tc:+GOTOOLCHAIN=$tc} timeout 1500 go install "$mod@latest" >"$P/status/$name.log" 2>&1 &&
     [ -x "$P/go/bin/$bin" ]; then
    echo "ok $P/go/bin/$bin" >"$P/status/$name"
  else
    grep -v '^go: downloading' "$P/status/$name.log" >"$P/status/$name.err"
    echo "failed $(why "$P/status/$name.err")" >"$P/status/$name"
  fi
}
want=${*:-bandit ruff semgrep detect-secrets presidio gitleaks trufflehog osv-scanner pip-audit}
for t in $want; do
  case $t in
    bandit) pip_tool bandit bandit bandit ;;
    ruff) pip_tool ruff ruff ruff ;;
    semgrep) pip_tool semgrep semgrep semgrep ;;
    detect-secrets) pip_tool detect-secrets detect-secrets detect-secrets ;;
    presidio) # a venv made by the PII differential (bench/pii_diff.py) is used as is
      if [ -x "$P/presidio/venv/bin/python3" ] && "$P/presidio/venv/bin/python3" -c 'import presidio_analyzer' 2>/dev/null; then
        echo "ok $P/presidio/venv/bin/python3" >"$P/status/presidio"
      else pip_tool presidio presidio-analyzer python3; fi ;;
    pip-audit) pip_tool pip-audit pip-audit pip-audit ;;
    pip-licenses) pip_tool pip-licenses pip-licenses pip-licenses ;;
    gitleaks) go_tool gitleaks github.com/zricethezav/gitleaks/v8 gitleaks ;;
    trufflehog) go_tool trufflehog github.com/trufflesecurity/trufflehog/v3 trufflehog ;;
    # osv-scanner v2 needs Go 1.27; the module proxy serves that toolchain
    osv-scanner) go_tool osv-scanner github.com/google/osv-scanner/v2/cmd/osv-scanner osv-scanner go1.27.3 ;;
  esac
  echo "   $t: $(cat "$P/status/$t")"
done
