"""
Score a model by its id
=======================

A model and a benchmark are each named by an id (plugins found through entry points: ``neuroalign list``).
:func:`neuroalign.score` extracts the model's activations, commits to a layer on half of the stimuli, scores it on
the other half and returns a :class:`~neuroalign.Score` with its noise ceiling and bootstrap interval;
:func:`neuroalign.sweep` gives every layer's score (descriptive); :func:`neuroalign.run` scores a grid into a
results store, from which :func:`~neuroalign.report.build_report` writes an HTML page.
"""

# %%
# The model is EfficientNet-Lite0 (real ImageNet weights, a first-party plugin); the benchmark the human IT RDMs
# of the 92 images. Three of its blocks are candidate layers, to keep this example quick (``layers=None``: all).
import os
from pathlib import Path

import matplotlib.pyplot as plt

import neuroalign
from neuroalign.benchmarks import StatsPolicy, load_benchmark
from neuroalign.plugins import load_model
from neuroalign.report import build_report
from neuroalign.report.plots import plot_layer_profile
from neuroalign.store import ResultsStore

model = load_model("efficientnet-lite0", batch_size=16)   # the plugin's load(**options)
bench = load_benchmark("kriegeskorte2008.human_it.rsa")
layers = ["_blocks.3", "_blocks.9", "_blocks.15"]
stats = StatsPolicy(n_bootstrap=200)   # 1000 resamples by default; 200 keep this quick
score = neuroalign.score(model, bench, layers=layers, stats=stats, progress=False)
print(f"committed layer {score.provenance['commitment']['layer']}: {score.value:.3f} "
      f"(ceiling {score.ceiling:.3f}, normalised {score.normalized:.3f}, 95% interval "
      f"[{score.interval[0]:.3f}, {score.interval[1]:.3f}])")
print("per subject:", score.raw.round(3))

# %%
# The layer profile: every candidate layer scored on all 92 images (descriptive: choosing its maximum would be
# double dipping, which is why ``score`` commits on held-out stimuli).
profile = neuroalign.sweep("efficientnet-lite0", "kriegeskorte2008.human_it.rsa", layers=layers, stats=stats,
                           progress=False)
print(profile[["layer", "value", "normalized"]])
fig, ax = plt.subplots(figsize=(6, 3.5), layout="constrained")
plot_layer_profile(profile, ax=ax, committed=score.provenance["commitment"]["layer"])
plt.show()

# %%
# A grid into a results store (an SQLite file); a second run would be answered from it. The store renders as one
# self-contained HTML report.
output = Path(os.environ.get("NEUROALIGN_TUTORIAL_OUTPUT", "tutorial_output"))   # where files go
output.mkdir(parents=True, exist_ok=True)
store = ResultsStore(output / "results.sqlite")
table = neuroalign.run(["efficientnet-lite0"], ["kriegeskorte2008.human_it.rsa"], store=store, layers=layers,
                       stats=stats, progress=False)
print(table[["model", "benchmark", "status", "value", "normalized"]])
build_report(store, output / "report.html", benchmarks=["kriegeskorte2008.human_it.rsa"])
print(f"report written to {output / 'report.html'} from the store at {store.location}")
