"""
How close does a vision model get to human IT on the 92 images?
===============================================================

Kriegeskorte et al. (2008) recorded fMRI responses in human inferior temporal cortex (IT) to 92 object images and
summarised them as representational dissimilarity matrices (RDMs). Here a pretrained ImageNet network,
EfficientNet-Lite0 (the first-party plugin ``efficientnet-lite0``), sees the same images, and we ask:

1. Which layer does the benchmark commit to, and what does that layer's RDM look like next to human IT's?
2. How good could any model be? (the noise ceiling)
3. How sure are we of the model's score? (a bootstrap over stimuli, with the ceiling recomputed on every resample)
4. How does the match change with depth? (the layer profile of ``neuroalign.sweep``)
5. Why the committed score is lower than the best layer of the profile (double dipping vs commitment).

Every claim below is computed and printed by the script; figures are written to ``$NEUROALIGN_TUTORIAL_OUTPUT``
(default ``./tutorial_output``). Run from the repository root:

    NEUROALIGN_DATA_MIRROR=../shared/data .venv/bin/python tutorials/vision_model_vs_human_it.py
"""

import os
from dataclasses import replace
from pathlib import Path

import numpy as np

import neuroalign
from neuroalign.benchmarks.commitment import split_stimuli
from neuroalign.compare import compare
from neuroalign.models.rdms import layer_rdms
from neuroalign.benchmarks import load_benchmark
from neuroalign.plugins import load_model
from neuroalign.report.plots import plot_layer_profile, plot_rdm, save_figure
from neuroalign.report.plots import new_figure
from neuroalign.stats import bootstrap_rdm_comparison, rdm_noise_ceiling

OUTPUT = Path(os.environ.get("NEUROALIGN_TUTORIAL_OUTPUT", "tutorial_output"))
BENCHMARK = "kriegeskorte2008.human_it.rsa"

# 1. The model and the benchmark are plugins, found through their entry points. The benchmark fixes the data (one
#    RDM per subject, the mean of two sessions), the comparison (Spearman between RDMs) and the ceiling.
model = load_model("efficientnet-lite0")
benchmark = load_benchmark(BENCHMARK)
stimuli = benchmark.stimuli()
subjects = benchmark.target  # one RDM per subject
print(f"model {model.model_id}: {len(model.main_layers)} candidate layers; benchmark {benchmark.id} "
      f"v{benchmark.version}: {subjects.n_rdms} subjects x {len(stimuli)} images, metric {benchmark.metric}")

# 2. The committed score. `neuroalign.score` splits the 92 images once (seeded): the layer that scores best on
#    the selection half is committed to, and only the other, held-out half is scored, with its own ceiling and a
#    bootstrap interval. The activations are extracted once and kept in the activation cache
#    ($NEUROALIGN_CACHE_DIR), so the calls below reuse them.
score = neuroalign.score(model, benchmark, progress=False)
commitment = score.provenance["commitment"]
committed = commitment["layer"]
fold, = commitment["folds"]
print(f"committed layer: {committed} (chosen on {fold['n_selection']} images, scored on {fold['n_held_out']} "
      f"held-out images)")
print(f"committed score: {score.value:.3f}, 95% interval [{score.interval[0]:.3f}, {score.interval[1]:.3f}]; "
      f"held-out ceiling [{score.ceiling_low:.3f}, {score.ceiling:.3f}]; normalised {score.normalized:.3f}")

# 3. The committed layer's RDM (1 - Pearson r between the layer's patterns, as the benchmark computes it) beside
#    the human IT RDM averaged over subjects, both grouped by category. Against the group-mean RDM, whose noise is
#    partly averaged away, the match is higher than the benchmark's score, which averages the comparisons with each
#    subject (compare the two printed numbers).
model_rdms = layer_rdms(model, stimuli, list(model.main_layers), benchmark.model_distance,
                        extract_options={"pooling": benchmark.pooling, "progress": False})
model_rdm = model_rdms.select(layer=committed)
human_it = subjects.mean()
fig = new_figure((13.0, 6.4))
left, right = fig.subplots(1, 2)
plot_rdm(model_rdm, categories=stimuli, ax=left, title=f"{model.model_id}, {committed}")
plot_rdm(human_it, categories=stimuli, ax=right, title=f"human IT (mean of {subjects.n_rdms} subjects)")
print("figure:", save_figure(fig, OUTPUT / "vision_model_vs_human_it_rdms.png"))
print(f"{committed} vs the mean human IT RDM (Spearman, all {len(stimuli)} images): "
      f"{compare(model_rdm, human_it, 'spearman')[0, 0]:.3f}")

# 4. The noise ceiling on all 92 images (Nili et al. 2014). The upper bound compares each subject with the mean of
#    all subjects (itself included): no model can beat it on average. The lower bound compares each subject with
#    the mean of the others: a model reaching it is as good as another group of subjects.
ceiling = rdm_noise_ceiling(subjects, benchmark.metric)
print(f"noise ceiling (Spearman, {len(stimuli)} images): lower {ceiling.lower:.3f}, upper {ceiling.upper:.3f}")

# 5. A bootstrap over stimuli. Each resample draws 92 images with replacement; a pair of an image with its own
#    copy is dropped (never counted as distance 0). With noise_ceiling=True the ceiling is recomputed on every
#    resample, so the model and the ceiling share their uncertainty.
boot = bootstrap_rdm_comparison(model_rdm, subjects, benchmark.metric, over="stimuli", n_bootstrap=1000, seed=0,
                                noise_ceiling=True)
(low, high), = boot.interval(0.95)
(ceil_low_lo, ceil_low_hi), (ceil_up_lo, ceil_up_hi) = boot.ceiling_interval(0.95)
print(f"{committed} on all {len(stimuli)} images: {boot.observed[0]:.3f}, 95% bootstrap interval "
      f"[{low:.3f}, {high:.3f}]")
print(f"ceiling over the same resamples: lower {boot.ceiling_observed[0]:.3f} [{ceil_low_lo:.3f}, "
      f"{ceil_low_hi:.3f}], upper {boot.ceiling_observed[1]:.3f} [{ceil_up_lo:.3f}, {ceil_up_hi:.3f}]")
below_lower = float(np.mean(boot.samples[:, 0] < boot.ceiling_samples[:, 0]))
print(f"the model is below the lower ceiling bound in {below_lower:.1%} of the resamples")

# 6. The layer profile: every layer scored on every image. Descriptive only: it uses all 92 images to look at
#    all 20 layers, so its maximum is an optimistic (double-dipped) estimate. Each layer gets a bootstrap interval;
#    300 resamples per layer are enough for a figure (the committed score above kept the benchmark's 1000).
profile = neuroalign.sweep(model, benchmark, stats=replace(benchmark.stats, n_bootstrap=300), progress=False)
fig = plot_layer_profile(profile, committed=committed)
print("figure:", save_figure(fig, OUTPUT / "vision_model_vs_human_it_layer_profile.png"))
best = profile.loc[profile["value"].idxmax()]
for row in profile.itertuples():
    print(f"  {row.layer:>14}: {row.value:.3f} [{row.interval_low:.3f}, {row.interval_high:.3f}]"
          f"{'  <- best in the sweep' if row.layer == best['layer'] else ''}"
          f"{'  <- committed' if row.layer == committed else ''}")

# 7. Double dipping vs commitment. Picking the best of 20 layers and reporting its score on the same images uses
#    the data twice: the maximum of 20 noisy estimates is biased upwards. First the benchmark's own seeded split,
#    reproduced, with every layer scored on each half.
policy = benchmark.stats
layers = list(model_rdms.descriptors["layer"])


def layer_scores(ids):
    """The benchmark's score (mean Spearman over subjects) of every layer on the images ``ids``."""
    return compare(model_rdms.reorder(ids), subjects.reorder(ids), benchmark.metric).mean(axis=1)


selection, held_out = split_stimuli(stimuli.stimulus_ids, policy.selection_fraction, policy.seed)
assert (len(selection), len(held_out)) == (fold["n_selection"], fold["n_held_out"])
on_selection, on_held_out = layer_scores(selection), layer_scores(held_out)
assert np.isclose(on_held_out[layers.index(committed)], score.value)  # the committed score is exactly this
print(f"benchmark split: {committed} is the best of {len(layers)} layers on the selection half with "
      f"{on_selection.max():.3f}; on the held-out half it scores {score.value:.3f}; the best layer there is "
      f"{layers[int(on_held_out.argmax())]} ({on_held_out.max():.3f})")
print(f"sweep maximum (chosen and scored on all {len(stimuli)} images): {best['layer']} {best['value']:.3f}, "
      f"normalised {best['normalized']:.3f}; committed, held out: {score.value:.3f}, normalised {score.normalized:.3f}")

#    One split is one draw. Over many random splits, the optimism of double dipping is the selection half's
#    maximum minus what the chosen layer then scores on the held-out half; its mean is the expected inflation.
rng = np.random.default_rng(1)
optimism, switches = [], 0
for _ in range(100):
    order = rng.permutation(len(stimuli))
    first, second = ([stimuli.stimulus_ids[i] for i in sorted(order[:len(selection)])],
                     [stimuli.stimulus_ids[i] for i in sorted(order[len(selection):])])
    scores_first = layer_scores(first)
    chosen = int(scores_first.argmax())
    # For a fixed layer the two halves are exchangeable, so without selection this difference averages to zero.
    optimism.append(scores_first[chosen] - layer_scores(second)[chosen])
    switches += layers[chosen] != committed
optimism = np.asarray(optimism)
print(f"over 100 random {len(selection)}/{len(held_out)} splits: the selection-half maximum exceeds the chosen "
      f"layer's held-out score by {optimism.mean():+.3f} on average (SD {optimism.std(ddof=1):.3f}, positive in "
      f"{np.mean(optimism > 0):.0%} of splits); a layer other than {committed} was chosen in {switches} of 100")
print("done")
