"""
fMRI RSA and a searchlight on the Haxby et al. (2001) slice
===========================================================

Subject 1 of Haxby et al. (2001) saw grey-scale photographs of 8 categories (bottle, cat, chair, face, house,
scissors, scrambled pictures, shoe) in a block design over 12 runs; one axial slice of ventral temporal cortex
(530 voxels in the mask) is distributed with pymvpa2. We ask:

1. What is the representational geometry of the 8 categories, and how much does the choice of distance matter
   (cross-validated crossnobis vs 1 - Pearson correlation)?
2. Does an animacy model (the two animate categories, face and cat, apart from everything else) explain it, and
   how reliable is the brain RDM that it is compared with (split-half reliability over runs)?
3. Where in the slice does the animacy model fit best? (a searchlight over 6 mm spheres)

The animacy model: face and cat are animate; bottle, chair, house, scissors, shoe and the scrambled pictures are
not (a scrambled picture shows no animate thing, so it is grouped with the objects). Pairs within a group get
dissimilarity 0, pairs across groups 1.

Every claim below is computed and printed by the script; figures and the searchlight NIfTI are written to
``$NEUROALIGN_TUTORIAL_OUTPUT`` (default ``./tutorial_output``). Run from the repository root:

    NEUROALIGN_DATA_MIRROR=../shared/data .venv/bin/python tutorials/fmri_haxby_searchlight.py
"""

import os
from itertools import combinations
from pathlib import Path

import numpy as np
from nilearn.image import mean_img

from neuroalign import Recording
from neuroalign.analysis import searchlight_rsa, sphere_neighbourhoods
from neuroalign.compare import compare
from neuroalign.datasets import load_dataset
from neuroalign.benchmarks import load_benchmark
from neuroalign.rdm import compute_rdms
from neuroalign.report.plots import plot_brain_map, plot_rdm, save_figure
from neuroalign.report.plots import new_figure
from neuroalign.stats import permutation_test_rdm, spearman_brown

OUTPUT = Path(os.environ.get("NEUROALIGN_TUTORIAL_OUTPUT", "tutorial_output"))
ANIMATE = ("face", "cat")
RADIUS = 6.0  # mm

# 1. Condition patterns per run. The adapter detrends and z-scores every voxel within each run and averages the
#    volumes of each block, shifted by one volume (2.5 s) of haemodynamic lag; runs stay apart, so distances can
#    be cross-validated across them.
haxby = load_dataset("haxby2001_subj1_slice")
recording, = haxby.recordings()
mask_img = haxby.path("mask.nii.gz")
print(recording)
print(f"{recording.n_runs} runs x {recording.n_stimuli} categories x {recording.n_channels} voxels")

# 2. Two brain RDMs. Crossnobis compares pattern differences of independent runs (leave-one-run-out): noise does
#    not inflate it, its expected value is 0 for two conditions that evoke the same pattern, and it may be
#    negative. The correlation distance is computed on the patterns averaged over runs.
crossnobis = compute_rdms(recording, "crossnobis")
correlation = compute_rdms(recording, "correlation")
fig = new_figure((12.0, 6.2))
left, right = fig.subplots(1, 2)
plot_rdm(crossnobis, ax=left, title="crossnobis (leave-one-run-out)")
plot_rdm(correlation, ax=right, title="1 - Pearson r (runs averaged)")
print("figure:", save_figure(fig, OUTPUT / "fmri_haxby_rdms.png"))
print(f"crossnobis vs correlation RDM: Spearman {compare(crossnobis, correlation, 'spearman')[0, 0]:.3f}")
print(f"crossnobis range [{crossnobis.dissimilarities.min():.2f}, {crossnobis.dissimilarities.max():.2f}], "
      f"{int((crossnobis.dissimilarities < 0).sum())} of {crossnobis.n_pairs} pairs negative")
square = crossnobis.to_square()[0]
i, j = np.unravel_index(np.argmax(np.where(np.eye(recording.n_stimuli, dtype=bool), -np.inf, square)), square.shape)
print(f"most distinct pair (crossnobis): {recording.stimulus_ids[i]} vs {recording.stimulus_ids[j]}")

# 3. The categorical model: one channel, 1 for animate and 0 otherwise; its euclidean RDM is 1 across the groups
#    and 0 within them.
animate = np.array([[float(s in ANIMATE)] for s in recording.stimulus_ids])
animacy = compute_rdms(animate, "euclidean", stimulus_ids=recording.stimulus_ids)
print(f"animacy model: {int(animacy.dissimilarities.sum())} of {animacy.n_pairs} pairs cross the "
      f"animate/inanimate boundary")

# 4. The RSA score. A categorical model predicts many tied dissimilarities; Kendall's tau-a does not reward a model
#    for ties, Spearman does. The permutation test relabels the 8 categories (8! orders exist; 5000 are drawn).
for method in ("spearman", "kendall_tau_a"):
    for name, brain in (("crossnobis", crossnobis), ("correlation", correlation)):
        test = permutation_test_rdm(animacy, brain, method, n_perm=5000, seed=0)
        print(f"animacy vs {name:>11} RDM, {method:>13}: {test.observed[0]:.3f} "
              f"(permutation p = {test.p_values[0]:.4f})")

# 5. How reliable is the brain RDM? Crossnobis RDMs of the odd and of the even runs (6 runs each) are two
#    independent measurements; the Spearman-Brown formula corrects their agreement to all 12 runs, and its square
#    root is the correlation a noise-free RDM would be expected to have with the measured one: a ceiling for any
#    model (as in the benchmark haxby2001.vt_slice.rsa).


odd, even = (compute_rdms(recording.select_runs(slice(start, None, 2)), "crossnobis") for start in (0, 1))
half = float(compare(odd, even, "spearman")[0, 0])
reliability = spearman_brown(half)
ceiling = float(np.sqrt(max(reliability, 0.0)))
score = float(compare(animacy, crossnobis, "spearman")[0, 0])
print(f"odd vs even runs (crossnobis, Spearman): {half:.3f}; Spearman-Brown to {recording.n_runs} runs: "
      f"{reliability:.3f}; ceiling sqrt = {ceiling:.3f}")
# The same ceiling as the first-party benchmark computes on these 8 categories:
assert np.isclose(load_benchmark("haxby2001.vt_slice.rsa").single_subject_ceiling(recording.stimulus_ids)[0],
                  ceiling)
print(f"animacy model: Spearman {score:.3f} = {score / ceiling:.1%} of the ceiling")

# 6. A searchlight: for a sphere of 6 mm around every voxel of the mask, the crossnobis RDM of the sphere's voxels
#    is compared with the animacy model. The spheres are built once (nilearn, in mm through the mask's affine)
#    and could be reused for other recordings or models.
centres, spheres = sphere_neighbourhoods(mask_img, RADIUS)
sizes = np.diff(spheres.indptr)
print(f"{len(centres)} spheres of {RADIUS:g} mm: {sizes.min()} to {sizes.max()} voxels "
      f"(median {int(np.median(sizes))})")
result = searchlight_rsa(recording, mask_img, animacy, distance="crossnobis", comparator="spearman",
                         spheres=(centres, spheres))
values = result.values[0]
img = result.to_img(fill=np.nan)  # voxels that are no centre are NaN: 0 would read as a real correlation
nifti = OUTPUT / "fmri_haxby_searchlight_animacy.nii.gz"
nifti.parent.mkdir(parents=True, exist_ok=True)
img.to_filename(nifti)
print("searchlight map:", nifti)
peak = int(np.argmax(values))
ijk = result.centres[peak]
xyz = img.affine[:3, :3] @ ijk + img.affine[:3, 3]
print(f"searchlight: peak Spearman {values[peak]:.3f} at voxel (i, j, k) = {tuple(int(v) for v in ijk)}, "
      f"(x, y, z) = ({xyz[0]:.1f}, {xyz[1]:.1f}, {xyz[2]:.1f}) mm; {np.mean(values > 0):.0%} of the "
      f"{len(values)} spheres above 0, median {np.median(values):.3f}")

# 7. Is the peak more than chance? The best of 530 spheres is high by selection alone. With 8 categories of which
#    2 are called animate, relabelling the categories can only give the C(8, 2) = 28 "two categories vs the rest"
#    models: all of them in one searchlight call give the exact null distribution of the peak (a max statistic,
#    so family-wise over all spheres) and of the whole-slice score.
pairs = list(combinations(recording.stimulus_ids, 2))
candidates = compute_rdms([np.array([[float(s in pair)] for s in recording.stimulus_ids]) for pair in pairs],
                          "euclidean", stimulus_ids=recording.stimulus_ids)
everyone = searchlight_rsa(recording, mask_img, candidates, distance="crossnobis", comparator="spearman",
                           spheres=(centres, spheres))
peaks = everyone.values.max(axis=1)
whole = compare(candidates, crossnobis, "spearman")[:, 0]
mine = pairs.index(tuple(s for s in recording.stimulus_ids if s in ANIMATE))
assert np.isclose(peaks[mine], values[peak])
p_peak, p_whole = float(np.mean(peaks >= peaks[mine])), float(np.mean(whole >= whole[mine]))
print(f"exact null over the {len(pairs)} two-category models: searchlight peak p = {p_peak:.3f} (family-wise), "
      f"whole-slice p = {p_whole:.3f}")
print(f"at alpha 0.05 the animacy searchlight peak is {'' if p_peak < 0.05 else 'not '}more than the best of "
      f"{len(values)} spheres by chance")
best_pair = pairs[int(np.argmax(whole))]
print(f"best two-category model on the whole slice: {' + '.join(best_pair)} vs the rest, Spearman "
      f"{whole.max():.3f}")

# 8. The map as a picture, drawn by nilearn over the subject's own anatomy: the slice has no structural scan, so the
#    background is the mean functional image (the bundled MNI152 template would be the choice for a map in MNI
#    space); voxels that are no sphere centre are transparent, the peak is marked, and the colour scale is fixed.
fig = plot_brain_map(img, bg_img=mean_img(haxby.path("bold.nii.gz"), copy_header=True), vmin=-1, vmax=1,
                     peaks=[xyz], label="Spearman",
                     title=f"searchlight ({RADIUS:g} mm): animacy model vs crossnobis RDM, peak {values[peak]:.2f}")
print("figure:", save_figure(fig, OUTPUT / "fmri_haxby_searchlight.png"))
print("done")
