#!/usr/bin/env bash
# install-deps.sh - install the Debian packages vibeguard needs to build
# and test (DESIGN §5) that are missing.  The binary needs only the
# libraries; bandit, hyperfine, chromium and pre-commit serve the tests
# and benchmarks.  apt-get as root, sudo otherwise; when neither works,
# one clear message naming the packages and exit 1.
set -u

arch=$(dpkg --print-architecture 2>/dev/null || uname -m)
case "$arch" in
  amd64|x86_64) hs=libhyperscan-dev ;;
  *) hs=libvectorscan-dev ;;
esac

pkgs=(build-essential pkg-config "$hs" libpcre2-dev libgit2-dev zlib1g-dev libjansson-dev libyaml-dev
      libzip-dev libsodium-dev libcurl4-openssl-dev clang libclang-rt-14-dev git python3
      python3-jsonschema python3-phonenumbers bandit ripgrep hyperfine
      chromium pre-commit)  # test-only: html_report.sh loads the report in chromium; precommit.sh runs the hook

# libvectorscan-dev satisfies the Hyperscan need on any architecture.
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
missing=()
for p in "${pkgs[@]}"; do
  if [ "$p" = "$hs" ] && { have libhyperscan-dev || have libvectorscan-dev; }; then continue; fi
  have "$p" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
if [ "$(id -u)" = 0 ]; then
  run=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  run=(sudo)
else
  echo "install-deps: need root or sudo to install: ${missing[*]}" >&2
  echo "install-deps: run: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${run[@]}" apt-get update -qq >/dev/null 2>&1 || true
if ! "${run[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
  echo "install-deps: apt-get could not install: ${missing[*]}" >&2
  exit 1
fi
