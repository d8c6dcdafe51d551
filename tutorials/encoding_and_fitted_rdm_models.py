"""Tutorial: voxel-wise encoding models, variance partitioning and fitted RDM models.

Two families of brain-model comparison side by side, each checked against an independent implementation:

1. Encoding: a language model (MiniLM, the first-party plugin ``all-minilm-l6-v2``) reads a phrase naming each of
   the 8 categories of the Haxby et al. (2001) slice; ridge maps every layer to every one of the 530 voxels
   (rows: the categories' patterns in each of 12 runs; folds: held-out runs). Each voxel gets its own penalty and
   its own noise ceiling; the best layer's map is written as NIfTI.
2. Variance partitioning: how much of each voxel's held-out variance an early and a late layer explain uniquely,
   and how much they share (banded ridge, himalaya's multiple-kernel ridge).
3. Fitted RDM models: a non-negative weighted combination of the Kriegeskorte et al. (2008) model RDMs, fitted to
   the 4 human IT subjects and evaluated by bootstrap cross-validation over subjects and images, with the ceiling
   adjusted for fitting.

Every number is printed next to scikit-learn's or rsatoolbox's. Outputs go to ``$NEUROALIGN_TUTORIAL_OUTPUT``
(default ``./tutorial_output``). Run from the repository root:

    NEUROALIGN_DATA_MIRROR=../shared/data .venv/bin/python tutorials/encoding_and_fitted_rdm_models.py
"""

import os
from pathlib import Path

import numpy as np
from sklearn.linear_model import RidgeCV

import neuroalign
from neuroalign.datasets import kriegeskorte92, load_dataset
from neuroalign.encoding import fit_encoding, normalise_by_ceiling, partition_variance, to_nifti
from neuroalign.metrics.folds import group_kfold_splits
from neuroalign.benchmarks.firstparty import HaxbySlicePredictivity
from neuroalign.plugins import load_model
from neuroalign.stats.fitting import WeightedModel, bootstrap_crossval

OUTPUT = Path(os.environ.get("NEUROALIGN_TUTORIAL_OUTPUT", "tutorial_output"))
OUTPUT.mkdir(parents=True, exist_ok=True)
ALPHAS = np.logspace(-2, 6, 9)

# 1. The brain side: run x category x voxel patterns, centred within each run (a run's baseline is nothing a
#    model of the categories could predict). The benchmark object knows the rows and the per-voxel ceilings.
bench = HaxbySlicePredictivity()
recording = bench.recording
print(f"{recording.n_runs} runs x {recording.n_stimuli} categories x {recording.n_channels} voxels")
ceiling = bench.ceilings(recording.stimulus_ids)
print(f"voxel ceilings (one run, split-half over runs): median {np.median(ceiling):.3f}; "
      f"{int((ceiling >= 0.2).sum())} voxels reach 0.2")

# 2. The model side: MiniLM's hidden states for the 8 phrases, every layer.
model = load_model("all-minilm-l6-v2")
acts = neuroalign.extract(model, bench.stimuli(), cache=None, progress=False)
layers = [name for name in acts.layer_names if name != "hidden_states.0"]

# 3. Every layer -> every voxel; folds hold out 3 runs; each voxel's penalty by leave-one-run-out.
results = {}
for layer in layers:
    x, y, runs = bench.rows(acts.layer(layer), recording.stimulus_ids)
    results[layer] = fit_encoding(x, y, groups=runs, n_folds=4, alphas=ALPHAS, dtype="float64")
    summary = normalise_by_ceiling(results[layer].r, ceiling)
    print(f"{layer}: mean held-out r {results[layer].r[summary.reliable].mean():.3f} over "
          f"{summary.n_reliable} reliable voxels; ceiling-normalised {summary.mean:.3f}")
best = max(layers, key=lambda name: results[name].r[ceiling >= 0.2].mean())

# 4. The same fit with exact leave-one-out penalties is scikit-learn's RidgeCV(alpha_per_target=True).
x, y, runs = bench.rows(acts.layer(best), recording.stimulus_ids)
ours = fit_encoding(x, y, groups=runs, n_folds=4, alphas=ALPHAS, inner="loo", dtype="float64")
theirs = []
for train, test in group_kfold_splits(runs, 4):
    prediction = RidgeCV(alphas=ALPHAS, alpha_per_target=True).fit(x[train], y[train]).predict(x[test])
    yc, pc = y[test] - y[test].mean(0), prediction - prediction.mean(0)
    theirs.append((yc * pc).sum(0) / np.sqrt((yc * yc).sum(0) * (pc * pc).sum(0)))
print(f"{best}, leave-one-out penalties: scikit-learn RidgeCV max abs difference in voxel r "
      f"{np.abs(ours.r - np.mean(theirs, axis=0)).max():.1e}")

# 5. The best layer's map, back on the scanner grid through the dataset's masker.
haxby = load_dataset("haxby2001_subj1_slice")
to_nifti(results[best].r, haxby.masker(), OUTPUT / "encoding_haxby_r.nii.gz")
print(f"wrote encoding_haxby_r.nii.gz ({best}, held-out r per voxel)")

# 6. Variance partitioning between an early and the best layer (banded ridge on the same folds).
early = layers[0]
xa, _, _ = bench.rows(acts.layer(early), recording.stimulus_ids)
xb, _, _ = bench.rows(acts.layer(best), recording.stimulus_ids)
parts = partition_variance(xa, xb, y, groups=runs, n_folds=4, alphas=ALPHAS, inner="loo", n_iter=10)
reliable = ceiling >= 0.2
print(f"{early} vs {best} over reliable voxels: R2 joint {parts.r2_joint[reliable].mean():.3f}, unique "
      f"{early} {parts.unique_a[reliable].mean():.3f}, unique {best} {parts.unique_b[reliable].mean():.3f}, "
      f"shared {parts.shared[reliable].mean():.3f}")
reference = []
for train, test in group_kfold_splits(runs, 4):
    prediction = RidgeCV(alphas=ALPHAS, alpha_per_target=True).fit(xa[train], y[train]).predict(xa[test])
    reference.append(1 - ((y[test] - prediction) ** 2).sum(0) / ((y[test] - y[test].mean(0)) ** 2).sum(0))
print(f"R2 of {early} alone: scikit-learn RidgeCV max abs difference {np.abs(parts.r2_a - np.mean(reference, 0)).max():.1e}")

# 7. A weighted RDM model on the 92 images: animacy, early visual, HMAX and V1 model RDMs, weights fitted to the
#    training subjects and images (non-negative least squares on the Pearson scale), scored on the held-out ones.
from neuroalign.demo.rsa92 import subject_rdms  # noqa: E402

subjects = subject_rdms(kriegeskorte92.human_it_rdms())
components = kriegeskorte92.model_rdms().select(model=["animacy", "EVA", "HMAX", "V1"]).aligned_to(subjects)
fitted = bootstrap_crossval(WeightedModel("weighted", components), subjects, "pearson", n_bootstrap=20, n_cv=2,
                            solver="nnls", rng=0)
lower, upper = fitted.ceiling
print(f"weighted model (NNLS), bootstrap cross-validated Pearson: {fitted.means[0]:.3f} +- {fitted.sems[0]:.3f}; "
      f"cross-validated ceiling [{lower:.3f}, {upper:.3f}]")

# The same draws through rsatoolbox (least squares: rsatoolbox's NNLS can loop forever on some folds).
from rsatoolbox.inference import bootstrap_crossval as rsa_bootstrap_crossval  # noqa: E402
from rsatoolbox.model import ModelWeighted, fit_regress  # noqa: E402

np.random.seed(7)
expected = rsa_bootstrap_crossval([ModelWeighted("weighted", components.to_rsatoolbox())], subjects.to_rsatoolbox(),
                                  method="corr", fitter=[fit_regress], N=10, n_cv=2)
ours = bootstrap_crossval(WeightedModel("weighted", components), subjects, "pearson", n_bootstrap=10, n_cv=2,
                          solver="linear", rng=np.random.RandomState(7))
print(f"least-squares weights, the same 10 bootstrap samples: rsatoolbox {expected.get_means()[0]:.4f}, "
      f"neuroalign {ours.means[0]:.4f}, max abs difference per fold "
      f"{np.nanmax(np.abs(expected.evaluations - ours.evaluations)):.1e}")
print("done")
