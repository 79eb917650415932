#!/usr/bin/env bash
# pii.sh - the PII differential oracle: `vibeguard pii` against Presidio
# (bench/pii_diff.py) on 1,000 generated documents, when presidio-analyzer
# is installed in its virtualenv (PRESIDIO_PY, default
# /work/scratch/presidio/venv/bin/python).  The agreement table only.
set -u
cd "$(dirname "$0")/.."
PY=${PRESIDIO_PY:-/work/scratch/presidio/venv/bin/python}
if ! "$PY" -c 'import presidio_analyzer' 2>/dev/null; then
  echo "   skipped: no presidio-analyzer at $PY (python3 -m venv DIR; DIR/bin/pip install presidio-analyzer)"
  exit 0
fi
python3 bench/pii_diff.py --vg "${VG:-build/vibeguard}" --presidio-py "$PY" --docs "${PII_DIFF_DOCS:-1000}" --seed 7 | sed 's/^/   /'
