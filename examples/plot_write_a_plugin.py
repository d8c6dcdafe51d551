"""
Write a model plugin
====================

A model, dataset, metric or benchmark becomes available to neuroalign by being an installable package that
registers it under an entry point. :func:`neuroalign.plugins.scaffold.new_plugin` writes such a package for a
model (``neuroalign plugin new NAME --kind model`` does the same); once installed, it is listed, loaded by its id and
scored like a first-party model. Here it is installed into a private folder, so nothing outside it changes.
"""

# %%
# Scaffold the package: the distribution ``neuroalign-example-net`` registers the model id ``example-net``.
import subprocess
import sys
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt

import neuroalign
from neuroalign.plugins import get_plugin, list_plugins, load_model
from neuroalign.plugins.scaffold import new_plugin
from neuroalign.report.plots import plot_layer_profile

scratch = Path(tempfile.mkdtemp())
folder = new_plugin("example-net", "model", directory=scratch)
for path in sorted(p for p in folder.rglob("*") if p.is_file()):
    print(path.relative_to(folder))
pyproject = (folder / "pyproject.toml").read_text()
print(pyproject[pyproject.index("[project.entry-points"):].split("\n\n")[0])

# %%
# Install it (no dependencies to fetch: neuroalign and torch are already here) into a folder put on ``sys.path``;
# the entry point makes it a model like any other: listed, described, loaded by its id. Then score it on the human
# IT benchmark: its layer profile (every layer on all 92 images) and the committed score (layer chosen on half of
# the images, scored on the other half). Its weights are random, as the scaffold writes them: replace
# ``network.py`` with your model.
site = scratch / "site"
subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--no-index",
                "--target", str(site), str(folder)], check=True)
sys.path.insert(0, str(site))
print([record.id for record in list_plugins("model")])
print(get_plugin("model", "example-net").description)

model = load_model("example-net")
profile = neuroalign.sweep(model, "kriegeskorte2008.human_it.rsa", progress=False)
score = neuroalign.score(model, "kriegeskorte2008.human_it.rsa", progress=False)
print(f"committed layer {score.provenance['commitment']['layer']}: held-out score {score.value:.3f}, "
      f"normalised {score.normalized:.3f}")
fig, ax = plt.subplots(figsize=(6, 3.5), layout="constrained")
plot_layer_profile(profile, ax=ax, committed=score.provenance["commitment"]["layer"])
plt.show()
