#!/usr/bin/env bash
# Set up .venv with neuroalign and its dependencies; idempotent. Usage: bash scripts/install.sh [test]
# CPU torch is installed first, pinned to the build that lies on this machine's disk: left to the resolver, a
# dependency on "torch" would pull a multi-GB CUDA build.
set -euo pipefail
cd "$(dirname "$0")/.."
extras=""
[ "${1:-}" = "test" ] && extras="[test]"
# pip warns about every local index folder this machine's configuration names but lacks; hide only those lines.
pip_install() { .venv/bin/python -m pip install -q "$@" 2> >(grep -v "^WARNING: Location" >&2); }
[ -x .venv/bin/python ] || python3 -m venv .venv
pip_install --upgrade pip
pip_install "torch==2.13.0"
pip_install -e ".${extras}"
.venv/bin/python -c "import neuroalign, torch; print('neuroalign', neuroalign.__version__, '| torch', torch.__version__)"
