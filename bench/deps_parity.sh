#!/usr/bin/env bash
# deps_parity.sh - `make bench`: `vibeguard deps` against osv-scanner's
# offline mode on the same PyPA advisory snapshot, pair by pair (package,
# advisory), each disagreement with its reason (bench/deps_diff.py;
# osv-scanner from scripts/install-peers.sh).  Numbers only.
set -u
cd "$(dirname "$0")/.."
: "${VG:=$PWD/build/vibeguard}"
/usr/bin/python3 bench/deps_diff.py --vg "$VG" || echo "   (deps_diff.py exited $?: a disagreement it cannot explain)"
