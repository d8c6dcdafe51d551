#!/usr/bin/env bash
# The GPU plan (issue 20, item 7): every heavy case on the CUDA device against the CPU path and the reference, with
# an agreement check and a table; sized to finish within 8 minutes on one H100. Options pass through to
# perf/gpu.py (e.g. a subset of cases, --device cuda:1). Run it whenever a device is lent.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
exec "${PYTHON:-python}" perf/gpu.py --device cuda "$@"
