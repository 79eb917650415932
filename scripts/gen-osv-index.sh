#!/bin/sh
# gen-osv-index.sh [ADVISORY_DB] - regenerate data/osv-pypi.vgidx, the
# built-in OSV index (see src/deps/osv.h), from a checkout of
# pypa/advisory-database (default ../shared/data/osv-pypa).  Run at dev
# time with a built vibeguard; the output is committed.
set -eu
cd "$(dirname "$0")/.."
src=${1:-../shared/data/osv-pypa}
vg=${VG:-build/vibeguard}
label=${LABEL:-PyPA advisory-database snapshot 2024-10-10 (CC-BY-4.0)}
"$vg" deps --osv-db "$src" --write-index data/osv-pypi.vgidx --index-label "$label"
echo "wrote data/osv-pypi.vgidx ($(wc -c < data/osv-pypi.vgidx) bytes, $(($(wc -l < data/osv-pypi.vgidx) - 1)) lines)"
