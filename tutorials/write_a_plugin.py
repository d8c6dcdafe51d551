"""
Write a model plugin, install it, list it, check it and score it on a benchmark
===============================================================================

Every model, dataset, metric and benchmark neuroalign uses is a plugin: an ordinary installable package that
registers an object under a Python entry point (here the group ``neuroalign.models``). neuroalign's own models
(EfficientNet-Lite0, MiniLM, SmolLM2) are registered exactly the same way. This tutorial walks the whole path:

1. ``new_plugin(name, "model", directory)`` (the command line's ``neuroalign plugin new``) writes a complete
   package: ``pyproject.toml`` with the entry point, a light module the entry point names, the network in a
   submodule imported lazily, a README and tests.
2. ``pip install`` puts it in a private folder (``--target``), never into this environment; a fresh interpreter
   with that folder on ``PYTHONPATH`` sees the plugin, as a user who installed it would.
3. ``neuroalign list models`` finds it; ``neuroalign plugin check`` runs the conformance suite on it.
4. ``neuroalign run`` scores it on the human IT benchmark of the 92 images and keeps the result in a results
   store; ``neuroalign leaderboard`` prints it.

The template is a seeded, untrained two-layer CNN on 32 x 32 images: a control, not a model of IT. Replace
``network.py`` with your own network and ``LAYER_UNITS`` with its layers.

Everything is written to a temporary folder, removed at the end. Run from the repository root:

    NEUROALIGN_DATA_MIRROR=../shared/data .venv/bin/python tutorials/write_a_plugin.py
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

from neuroalign.plugins.scaffold import new_plugin

NAME = "tutorial-net"
BENCHMARK = "kriegeskorte2008.human_it.rsa"


def neuroalign_cli(*args, env):
    """Run ``neuroalign ARGS`` in a fresh interpreter; print its output and return it (stops on a failure)."""
    print(f"$ neuroalign {' '.join(args)}")
    out = subprocess.run([sys.executable, "-m", "neuroalign.cli.main", *args], capture_output=True, text=True,
                         env=env)
    print(out.stdout.rstrip())
    if out.returncode != 0:
        raise SystemExit(f"neuroalign {' '.join(args)} failed ({out.returncode}):\n{out.stderr}")
    return out.stdout


with tempfile.TemporaryDirectory() as scratch:
    scratch = Path(scratch)

    # 1. Scaffold. The distribution is neuroalign-<name>, the package neuroalign_<name with _>.
    folder = new_plugin(NAME, "model", directory=scratch / "src")
    print(f"wrote {folder.name}/:")
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        print(f"  {path.relative_to(folder)} ({path.stat().st_size} bytes)")
    pyproject = (folder / "pyproject.toml").read_text()
    entry_point = pyproject[pyproject.index("[project.entry-points"):].split("\n\n")[0]
    print("the entry point in pyproject.toml:\n" + entry_point)
    module = folder / "neuroalign_tutorial_net" / "__init__.py"
    declared = [line for line in module.read_text().splitlines() if line.startswith(("MODEL_ID", "LAYER_UNITS"))]
    print("declared in the light module:\n  " + "\n  ".join(declared))
    network = (folder / "neuroalign_tutorial_net" / "network.py").read_text()
    print("the network, the part to replace with yours (neuroalign_tutorial_net/network.py):")
    print(network[network.index("class "):network.index("def build_network")].rstrip())

    # 2. Install into a private folder: no dependencies (neuroalign and torch are here already), no download.
    site = scratch / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--no-index",
                    "--target", str(site), str(folder)], check=True, capture_output=True, text=True)
    installed = sorted(p.name for p in site.iterdir() if p.name.startswith("neuroalign_tutorial_net"))
    print(f"installed into {site.name}/: {', '.join(installed)}")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(site), os.environ.get("PYTHONPATH")) if p)}

    # 3. List and check, each in a fresh interpreter that sees the private folder.
    listing = neuroalign_cli("list", "models", env=env)
    row, = [line for line in listing.splitlines() if line.split()[1:2] == [NAME]]
    print(f"-> listed: {row.split()[1]} from {row.split()[2]}")
    report = neuroalign_cli("plugin", "check", folder.name, env=env)
    print(f"-> conformance: {report.count('PASS')} checks passed, {report.count('FAIL')} failed")

    # 4. Score on a benchmark through the grid runner and the results store: the model's layer is committed on
    #    half of the 92 images and scored on the other half (see tutorials/vision_model_vs_human_it.py).
    store = scratch / "results.sqlite"
    neuroalign_cli("run", "-m", NAME, "-b", BENCHMARK, "--store", str(store), env=env)
    table = scratch / "results.csv"
    neuroalign_cli("leaderboard", "--store", str(store), "--csv", str(table), env=env)
    result = pd.read_csv(table).iloc[0]
    print(f"-> {NAME} on {BENCHMARK}: committed layer {result['layer']}, held-out score {result['raw_value']:.3f}, "
          f"normalised {result['normalized_value']:.3f}")
print("done")
