#!/usr/bin/env bash
# bandit_parity.sh - `make bench`: how much of Bandit's own report
# `vibeguard scan --profile bandit` reproduces, rule by rule, on the
# standard library, site-packages and the precision corpus
# (bench/bandit_diff.py; Bandit from PyPI in /work/scratch/bandit or on
# PATH, its JSON cached in ~/.cache/vibeguard/bandit-diff).  Numbers only.
set -u
cd "$(dirname "$0")/.."
: "${VG:=$PWD/build/vibeguard}"
python3 bench/bandit_diff.py --vg "$VG" || echo "   (bandit_diff.py exited $?)"
