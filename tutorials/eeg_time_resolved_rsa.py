"""
Time-resolved RSA on 64-channel EEG, with a cluster test over time and temporal generalisation
==============================================================================================

The EEG set (from the ssvepy package) holds 16 trials of one subject in a steady-state visual paradigm: two
conditions (event codes 1xx and 2xx, 8 trials each), 16 s per trial, 64 channels at 256 Hz. We ask:

1. At which moments do the trials' scalp patterns carry their condition? An RDM over the 16 trials at every time
   point, compared with a condition model RDM (0 for two trials of the same condition, 1 otherwise).
2. Is any stretch of time more than chance, with the family-wise error over ~1000 time points controlled? A
   cluster-based sign-flip permutation test (MNE) over per-trial scores.
3. Is the geometry at one moment the geometry at another? A temporal generalisation matrix (RDM at t vs RDM
   at t').

The design, honestly: there is one subject, so nothing here generalises to a population. The cluster test needs
independent observations whose expected score is 0 under the null; we use one score per trial (how much farther
the trial lies from the other condition's trials than from its own condition's), which is 0 in expectation when
the condition labels do not matter. The trials' scores share the other trials, so they are not fully
independent; to see whether that makes the test liberal, the script reruns it with shuffled condition labels.

Every claim below is computed and printed by the script; figures are written to ``$NEUROALIGN_TUTORIAL_OUTPUT``
(default ``./tutorial_output``). Run from the repository root:

    NEUROALIGN_DATA_MIRROR=../shared/data .venv/bin/python tutorials/eeg_time_resolved_rsa.py
"""

import os
from pathlib import Path

import mne
import numpy as np
from scipy.stats import binomtest

from neuroalign import Recording
from neuroalign.analysis import cluster_test_over_time, temporal_generalisation, time_resolved_rsa
from neuroalign.datasets import load_dataset
from neuroalign.benchmarks import load_benchmark
from neuroalign.rdm import compute_rdms
from neuroalign.report import style
from neuroalign.report.plots import plot_time_course, save_figure
from neuroalign.report.plots import new_figure

OUTPUT = Path(os.environ.get("NEUROALIGN_TUTORIAL_OUTPUT", "tutorial_output"))
BAND = (1.0, 20.0)  # Hz
DECIM = 4  # 256 Hz -> 64 Hz

# 1. The trials, one stimulus per trial (ids such as "1xx/101"), at the full 256 Hz.
eeg = load_dataset("ssvep_eeg_64ch")
raw, = eeg.recordings(level="trial")
conditions = np.array(raw.descriptors["conditions"])
print(raw)
print(f"{raw.n_stimuli} trials ({', '.join(f'{c}: {int((conditions == c).sum())}' for c in np.unique(conditions))})"
      f", {raw.n_channels} channels, {raw.n_times} samples at {raw.descriptors['sfreq']:g} Hz")

# 2. Filter, then decimate. Decimation does not low-pass, and these recordings carry strong 50 Hz line noise, which
#    decimation alone would fold into the band we look at. A 1-20 Hz band-pass (MNE's FIR filter) removes it and
#    the slow drifts; 64 Hz then samples the band without aliasing.
sfreq = float(raw.descriptors["sfreq"])
spectrum = np.abs(np.fft.rfft(raw.data, axis=-1)).mean(axis=(0, 1))
freqs = np.fft.rfftfreq(raw.n_times, 1 / sfreq)
line = np.argmin(np.abs(freqs - 50.0))
print(f"50 Hz line noise: {spectrum[line] / np.median(spectrum[(freqs > 40) & (freqs < 60)]):.0f} times the median "
      f"amplitude of 40-60 Hz")
benchmark = load_benchmark("ssvep_eeg.trials.time_resolved_rsa")  # it decimates these trials without a filter
for rate, where in ((sfreq / benchmark.decim, f"the rate of the benchmark {benchmark.id}"), (sfreq / DECIM, "ours")):
    alias = abs(50.0 - round(50.0 / rate) * rate)
    print(f"  sampled at {rate:g} Hz ({where}) without a low-pass filter, 50 Hz would appear at {alias:g} Hz")
filtered = mne.filter.filter_data(raw.data.astype(np.float64), sfreq, *BAND, verbose=False)[..., ::DECIM]
recording = Recording(filtered, raw.stimulus_ids, dims=("stimulus", "channel", "time"), channels=raw.channels,
                      times=raw.times[::DECIM], descriptors={**raw.descriptors, "sfreq": sfreq / DECIM})
print(f"after a {BAND[0]:g}-{BAND[1]:g} Hz band-pass and decimation by {DECIM}: {recording.n_times} samples at "
      f"{sfreq / DECIM:g} Hz")

# 3. The condition model RDM: one channel, 1 for condition 2xx; its euclidean RDM is 1 across conditions, 0 within.
model = compute_rdms((conditions == "2xx").astype(float)[:, None], "euclidean", stimulus_ids=raw.stimulus_ids)

# 4. Time-resolved RSA: an RDM over the trials (1 - Pearson r across the 64 channels) at every time point, compared
#    with the model by Spearman correlation, all time points in one batched call.
course = time_resolved_rsa(recording, model, distance="correlation", comparator="spearman")
times, values = course.times, course.values[0]
print(f"time course: {len(times)} RDMs of {course.brain_rdms.n_pairs} trial pairs; mean Spearman "
      f"{values.mean():.4f}, maximum {values.max():.3f} at {times[np.argmax(values)]:.2f} s")

# 5. Per-trial scores for the cluster test: at every time point, trial i's mean dissimilarity to the trials of the
#    other condition minus its mean dissimilarity to the other trials of its own condition.
square = course.brain_rdms.to_square()  # (time, trial, trial)


def trial_scores(labels):
    """``(n_trials, n_times)`` separation of each trial from the other condition, for condition ``labels``."""
    same = labels[:, None] == labels[None, :]
    own = same & ~np.eye(len(labels), dtype=bool)
    between = (square * ~same).sum(axis=2) / (~same).sum(axis=1)
    within = (square * own).sum(axis=2) / own.sum(axis=1)
    return (between - within).T


scores = trial_scores(conditions)
n_permutations = 1024
clusters = cluster_test_over_time(scores, times, n_permutations=n_permutations, tail=1, alpha=0.05, seed=0)
significant = clusters.significant()
print(f"cluster test over {len(times)} time points ({len(scores)} trials, one-sided sign flips, {n_permutations} "
      f"permutations): "
      f"{len(clusters.clusters)} supra-threshold clusters, {len(significant)} with p < {clusters.alpha}")
for cluster in sorted(clusters.clusters, key=lambda c: c.p_value)[:3]:
    print(f"  {cluster.tmin:6.2f}-{cluster.tmax:6.2f} s: t-mass {cluster.statistic:7.1f}, p = {cluster.p_value:.3f}")

# 6. Calibration check of this design: the same test with the condition labels shuffled, where the null is true
#    by construction. Shuffling the labels is also the null that fits one subject best (the trials are exchangeable
#    under it), so the largest cluster mass over the shuffles gives a label-permutation p-value for the observed
#    largest cluster, family-wise over time like MNE's.
rng = np.random.default_rng(0)
n_shuffles = 100
null_hits, null_mass = 0, []
for _ in range(n_shuffles):
    shuffled = cluster_test_over_time(trial_scores(rng.permutation(conditions)), times, n_permutations=256,
                                      tail=1, seed=0)
    null_hits += bool(shuffled.significant())
    null_mass.append(max((c.statistic for c in shuffled.clusters), default=0.0))
calibration = binomtest(null_hits, n_shuffles, clusters.alpha, alternative="greater")
print(f"with shuffled condition labels, a significant cluster appeared in {null_hits} of {n_shuffles} shuffles "
      f"({null_hits / n_shuffles:.0%}; nominal {clusters.alpha:.0%}; binomial p = {calibration.pvalue:.3g} for a "
      f"rate above nominal)")
verdict = "liberal (read its p-values as optimistic)" if calibration.pvalue < 0.05 else "not detectably liberal"
print(f"so on these data the trials-as-observations sign-flip test is {verdict}")
observed_mass = max((c.statistic for c in clusters.clusters), default=0.0)
p_label = (1 + sum(m >= observed_mass for m in null_mass)) / (1 + n_shuffles)
print(f"label-permutation test of the largest cluster (t-mass {observed_mass:.1f}): p = {p_label:.3f} over "
      f"{n_shuffles} shuffles")
found = "a stretch of time" if significant and p_label < 0.05 else "no stretch of time"
print(f"conclusion: {found} separates the two conditions in these trials at the 5% level once the family-wise "
      f"error and the calibration are accounted for (sign-flip: {len(significant)} significant clusters; "
      f"label permutation: p = {p_label:.3f})")

fig = plot_time_course(times, values, clusters=clusters.clusters, label="condition model vs trial RDM",
                       ylabel="Spearman", title="Time-resolved RSA, EEG trials (1-20 Hz, 64 Hz)")
print("figure:", save_figure(fig, OUTPUT / "eeg_time_resolved_rsa.png"))
with style.publication():  # the same figure for a paper: one column wide, 7 pt text, editable vector text
    fig = plot_time_course(times, values, clusters=clusters.clusters, label="condition model vs trial RDM",
                           ylabel="Spearman", title="Time-resolved RSA", figsize=style.size("single", 0.7))
    print("figure:", save_figure(fig, OUTPUT / "eeg_time_resolved_rsa.pdf"))

# 7. Temporal generalisation: the trial RDM at every time point against the one at every other (Pearson). For a
#    oscillation shared by the trials (a steady-state response, or alpha) the geometry recurs with its period, so
#    the mean similarity as a function of the lag between the two time points is summarised too. This describes
#    the geometry; it tests nothing.
general = temporal_generalisation(course.brain_rdms, comparator="pearson")
matrix = general.values
n = len(times)
off_diagonal = matrix[~np.eye(n, dtype=bool)]
lags = np.arange(1, int(sfreq / DECIM))  # up to 1 s
by_lag = np.array([np.diagonal(matrix, offset=k).mean() for k in lags])
beyond = lags > 3  # the first samples are similar by smoothness alone
peak_lag = lags[beyond][np.argmax(by_lag[beyond])]
print(f"temporal generalisation ({n} x {n}): mean off-diagonal Pearson {off_diagonal.mean():.3f}; mean at lag "
      f"1 sample {by_lag[0]:.3f}, at 0.5 s {by_lag[lags == int(sfreq / DECIM / 2)][0]:.3f}")
print(f"the lag profile (beyond 3 samples, up to 1 s) peaks at {peak_lag / (sfreq / DECIM):.3f} s "
      f"({(sfreq / DECIM) / peak_lag:.2f} Hz) with mean Pearson {by_lag[lags == peak_lag][0]:.3f}")
fig = new_figure((11.0, 4.6))
left, right = fig.subplots(1, 2)
image = left.imshow(matrix, origin="lower", cmap="RdBu_r", vmin=-1, vmax=1, interpolation="nearest",
                    extent=(times[0], times[-1], times[0], times[-1]))
left.set(xlabel="time (s)", ylabel="time (s)", title="trial RDM at t vs t' (Pearson)")
fig.colorbar(image, ax=left, shrink=0.8)
right.plot(lags / (sfreq / DECIM), by_lag, color="C0")
right.axvline(peak_lag / (sfreq / DECIM), color="C3", linestyle="--", linewidth=1,
              label=f"peak {(sfreq / DECIM) / peak_lag:.2f} Hz")
right.set(xlabel="lag (s)", ylabel="mean Pearson", title="generalisation by lag")
right.legend(fontsize="small")
print("figure:", save_figure(fig, OUTPUT / "eeg_temporal_generalisation.png"))
print("done")
