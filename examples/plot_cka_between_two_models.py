"""
CKA between two models
======================

Linear CKA compares two representations of the same stimuli without RDMs: it is invariant to rotations and
isotropic scaling of either feature space, so models of different widths, and even of different modalities,
compare directly. Here EfficientNet-Lite0 sees the 92 images and MiniLM-L6 reads one caption per image, and every
pair of their layers is compared with :func:`~neuroalign.metrics.get_metric` measures. For layers chosen on
held-out stimuli, permutation nulls and random-weight twins as controls, see :func:`~neuroalign.alignment.align`
and the cross-modal tutorial.
"""

# %%
# Three layers of each model (for MiniLM spread from first to last); rows of both are the same 92 stimuli, in one
# order.
import matplotlib.pyplot as plt
import pandas as pd

from neuroalign.alignment import spread_layers
from neuroalign.datasets import kriegeskorte92
from neuroalign.metrics import get_metric
from neuroalign.plugins import load_model
from neuroalign.report.plots import plot_layer_matrix

stimuli = kriegeskorte92.stimulus_set(captions=True)   # "image" and "text" payloads of the same 92 stimuli
vision, language = load_model("efficientnet-lite0"), load_model("all-minilm-l6-v2")
vision_layers = ["_blocks.3", "_blocks.9", "_blocks.15"]
language_layers = spread_layers(language.main_layers, 3)
seen = vision.extract(stimuli, vision_layers, progress=False)
read = language.extract(stimuli, language_layers, progress=False)

# %%
# Linear CKA is biased upwards with few stimuli and many features; the debiased estimator corrects it (and can be
# negative). Both, for every layer pair:
tables = {}
for metric_id in ("cka.linear", "cka.debiased"):
    metric = get_metric(metric_id)
    tables[metric_id] = pd.DataFrame([[metric(seen.layer(a), read.layer(b)) for b in language_layers]
                                      for a in vision_layers], index=vision_layers, columns=language_layers)
    print(f"{metric_id}:\n{tables[metric_id].round(3)}")

fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained")
for ax, (metric_id, table) in zip(axes, tables.items()):
    plot_layer_matrix(table, ax=ax, label=metric_id, title=f"{metric_id}: EfficientNet (rows) vs MiniLM")
plt.show()
