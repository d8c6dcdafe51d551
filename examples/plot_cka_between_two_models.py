"""
CKA between two models
======================

Linear CKA compares two representations of the same stimuli without RDMs: it is invariant to rotations and
isotropic scaling of either feature space, so models with different widths compare directly. Here
EfficientNet-Lite0 sees the 92 images and MiniLM-L6 reads one caption per image. First one number from
:func:`~neuroalign.metrics.get_metric`, then a small :func:`~neuroalign.alignment.align` study: layers chosen on
half of the stimuli and scored on the other half, with a permutation null and a random-weight twin as control.
"""

# %%
# One layer of each model, one number. Rows are matched by stimulus id.
import matplotlib.pyplot as plt

from neuroalign.alignment import ModelSource, align, brain_source, random_twin, spread_layers
from neuroalign.datasets import kriegeskorte92
from neuroalign.metrics import get_metric
from neuroalign.plugins import load_model
from neuroalign.report.plots import plot_layer_matrix

stimuli = kriegeskorte92.stimulus_set(captions=True)   # "image" and "text" payloads of the same 92 stimuli
vision, language = load_model("efficientnet-lite0"), load_model("all-minilm-l6-v2")
x = vision.extract(stimuli, ["_blocks.15"], progress=False).layer("_blocks.15")
y = language.extract(stimuli, ["hidden_states.5"], progress=False).layer("hidden_states.5")
print(f"features {x.shape} and {y.shape}: linear CKA {get_metric('cka.linear')(x, y):.3f}, "
      f"debiased {get_metric('cka.debiased')(x, y):.3f}")

# %%
# The study: two layers of each model, the vision model's random twin, and human IT (a brain region is one more
# source, through its RDMs). 100 permutations and bootstrap resamples keep it quick.
sources = [ModelSource(vision, spread_layers(vision.main_layers, 2), progress=False),
           ModelSource(language, spread_layers(language.main_layers, 2), progress=False),
           ModelSource(random_twin(vision, seed=0), spread_layers(vision.main_layers, 2), progress=False),
           brain_source("kriegeskorte2008.human_it")]
study = align(sources, stimuli, ["cka.linear"], n_permutations=100, n_bootstrap=100, seed=0, progress=False)
print(study.to_frame()[["source_a", "source_b", "value", "p_value", "layer_a", "layer_b"]].round(3).to_string())

# %%
# Every layer pair of the two trained models, on all 92 stimuli (descriptive), with the committed pair marked.
fig, ax = plt.subplots(figsize=(5, 4))
plot_layer_matrix(study.layer_matrix("efficientnet-lite0", "all-minilm-l6-v2", "cka.linear"), ax=ax,
                  committed=study.pair("efficientnet-lite0", "all-minilm-l6-v2", "cka.linear"), label="linear CKA")
plt.show()
