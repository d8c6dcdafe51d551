"""Bad input to the statistics: categorical and constant RDMs in bootstraps and ceilings, tied canonical correlations.

Each test names the defect of issue 14 it covers; every one gave a silent NaN or a wrong number before.
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest
import scipy.stats
from scipy.spatial.distance import pdist

from neuroalign.compare.errors import DegenerateRDMError
from neuroalign.stats import (
    NotEnoughStimuliError,
    UndefinedResampleError,
    UndefinedResampleWarning,
    bootstrap_rdm_comparison,
)

#: 8 stimuli in two categories, 6 versus 2: a resample drawing only the first category (one in ten) makes the
#: categorical model RDM constant on its pairs.
LABELS = np.array([0, 0, 0, 0, 0, 0, 1, 1])
SCIPY = {"pearson": lambda a, b: scipy.stats.pearsonr(a, b)[0],
         "spearman": lambda a, b: scipy.stats.spearmanr(a, b)[0],
         "cosine": lambda a, b: a @ b / np.sqrt((a @ a) * (b @ b))}


def _categorical(labels=LABELS):
    return pdist(labels[:, None].astype(float), lambda u, v: float(u[0] != v[0]))


def _subjects(n_stim=8, n_subjects=4, seed=1):
    return np.random.default_rng(seed).random((n_subjects, n_stim * (n_stim - 1) // 2))


def _resampled(values, draw):
    """Brute force: the resampled stimuli's pairs, the pair of a stimulus with its own copy left out."""
    n = len(LABELS)
    index = {pair: k for k, pair in enumerate(itertools.combinations(range(n), 2))}
    pairs = [index[min(i, j), max(i, j)] for i, j in itertools.combinations(draw, 2) if i != j]
    return values[..., pairs]


def _redrawn_resamples(seed, n_bootstrap, model):
    """The documented rule by hand: draw all, then redraw the undefined ones (in order) until none is left."""
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(LABELS), size=(n_bootstrap, len(LABELS)))
    redrawn = 0
    while True:
        bad = [k for k, d in enumerate(draws) if len(set(d)) < 3 or np.ptp(_resampled(model, d)) == 0]
        if not bad:
            return draws, redrawn
        redrawn += len(bad)
        draws[bad] = rng.integers(0, len(LABELS), size=(len(bad), len(LABELS)))


@pytest.mark.parametrize("method", ["pearson", "spearman", "cosine"])
def test_categorical_model_resamples_are_redrawn_counted_and_warned(method):
    """Item 3: 8 stimuli, 6 vs 2, seed 0: 8 of 100 samples were NaN and the interval NaN, without a word."""
    model, data = _categorical(), _subjects()
    expected = r"8 of 108 stimulus resamples left \w+ undefined \(model RDM 0 was [a-z ]+ on 8\)"
    with pytest.warns(UndefinedResampleWarning, match=expected):
        result = bootstrap_rdm_comparison(model, data, method, n_bootstrap=100, seed=0)
    assert result.n_redrawn == 8 and result.score_fields(0)["provenance"]["n_redrawn"] == 8
    assert np.isfinite(result.samples).all() and np.isfinite(result.interval()).all()
    assert np.isfinite(result.interval(kind="bca")).all()
    draws, redrawn = _redrawn_resamples(0, 100, model)
    assert redrawn == 8
    expected = [np.mean([SCIPY[method](_resampled(model, d), _resampled(s, d)) for s in data]) for d in draws]
    np.testing.assert_allclose(result.samples[:, 0], expected, rtol=0, atol=1e-12)


def test_redraws_are_the_same_on_torch_and_for_any_batch_size():
    pytest.importorskip("torch")
    model, data = _categorical(), _subjects()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedResampleWarning)
        ref = bootstrap_rdm_comparison(model, data, "spearman", n_bootstrap=60, seed=4, noise_ceiling=True)
        for kwargs in ({"device": "cpu"}, {"batch_size": 7}):
            other = bootstrap_rdm_comparison(model, data, "spearman", n_bootstrap=60, seed=4, noise_ceiling=True,
                                             **kwargs)
            assert other.n_redrawn == ref.n_redrawn > 0
            np.testing.assert_allclose(other.samples, ref.samples, rtol=0, atol=1e-12)
            np.testing.assert_allclose(other.ceiling_samples, ref.ceiling_samples, rtol=0, atol=1e-12)


def test_rank_a_comparators_score_a_constant_resample_zero_and_redraw_nothing():
    """rho-a and tau-a are defined for a constant RDM (0, as ``compare`` gives): nothing to redraw."""
    model, data = _categorical(), _subjects()
    with warnings.catch_warnings():
        warnings.simplefilter("error", UndefinedResampleWarning)
        for method in ("rho_a", "kendall_tau_a"):
            result = bootstrap_rdm_comparison(model, data, method, n_bootstrap=100, seed=0)
            assert result.n_redrawn == 0 and np.isfinite(result.samples).all()
            assert (result.samples[:, 0] == 0).sum() >= 8


def test_on_undefined_raise_refuses_and_names_the_rdm():
    with pytest.raises(UndefinedResampleError, match=r"model RDM 0 was constant on \d+.*on_undefined='raise'"):
        bootstrap_rdm_comparison(_categorical(), _subjects(), "pearson", n_bootstrap=100, seed=0,
                                 on_undefined="raise")


def test_explicit_indices_are_never_replaced():
    indices = np.array([[0, 1, 6, 7, 2, 3, 4, 5], [0, 1, 2, 3, 4, 5, 0, 1], [0, 6, 1, 1, 2, 2, 3, 3]])
    with pytest.raises(UndefinedResampleError, match=r"cannot be redrawn \(rows \[1\]\)") as info:
        bootstrap_rdm_comparison(_categorical(), _subjects(), "spearman", indices=indices)
    assert isinstance(info.value, NotEnoughStimuliError)


def test_a_constant_data_rdm_on_a_resample_is_named():
    data = np.vstack([_subjects(n_subjects=3), _categorical(np.array([0, 1, 1, 1, 1, 1, 1, 1]))])
    with pytest.warns(UndefinedResampleWarning, match=r"data RDM 3 was constant on \d+"):
        result = bootstrap_rdm_comparison(_subjects(n_subjects=1, seed=9), data, "pearson", n_bootstrap=50, seed=2)
    assert result.n_redrawn > 0 and np.isfinite(result.samples).all()


def test_more_than_half_undefined_refuses():
    # 4 stimuli, a model that tells only stimuli 0 and 1 apart: most resamples miss one of them
    model = np.array([1.0, 0, 0, 0, 0, 0])
    with pytest.raises(UndefinedResampleError, match="more than 50% of the draws are undefined"):
        bootstrap_rdm_comparison(model, _subjects(n_stim=4), "pearson", n_bootstrap=200, seed=0)


def test_constant_model_on_the_original_data_raises_like_compare():
    """A constant model RDM gave a NaN observed value (and NaN samples over subjects)."""
    for over in ("stimuli", "subjects"):
        with pytest.raises(DegenerateRDMError, match="model RDM 0 is constant; pearson is undefined"):
            bootstrap_rdm_comparison(np.ones(28), _subjects(), "pearson", n_bootstrap=10, over=over)
    with pytest.raises(DegenerateRDMError, match="data RDM 0 is all zeros; cosine is undefined"):
        bootstrap_rdm_comparison(_subjects(n_subjects=1), np.vstack([np.zeros(28), _subjects()]), "cosine",
                                 n_bootstrap=10)


@pytest.mark.parametrize("method", ["pearson", "spearman"])
def test_a_constant_pooled_ceiling_rdm_raises(method):
    """Subjects 0 and 1 mirror each other: the pool that leaves subject 2 out is constant (NaN lower bound before)."""
    first = _subjects(n_subjects=1)[0]
    data = np.vstack([first, 1.0 - first, _subjects(n_subjects=1, seed=5)])
    with pytest.raises(DegenerateRDMError, match="pooled RDM of the noise ceiling"):
        bootstrap_rdm_comparison(_subjects(n_subjects=1, seed=9), data, method, n_bootstrap=10,
                                 noise_ceiling=True)


def test_bca_refuses_an_undefined_jackknife():
    # 7 versus 1: leaving the single stimulus out makes the model constant
    model = _categorical(np.array([0, 0, 0, 0, 0, 0, 0, 1]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedResampleWarning)
        result = bootstrap_rdm_comparison(model, _subjects(), "spearman", n_bootstrap=50, seed=0)
    assert np.isfinite(result.interval()).all()
    with pytest.raises(UndefinedResampleError, match=r"leaving out stimulus \[7\] makes spearman undefined"):
        result.interval(kind="bca")


def test_infinite_dissimilarity_is_refused_not_nan():
    from neuroalign.errors import InvalidRDMError

    data = _subjects()
    data[2, 5] = np.inf
    with pytest.raises(InvalidRDMError, match=r"data RDM 2 has an infinite dissimilarity \(pair 5"):
        bootstrap_rdm_comparison(_subjects(n_subjects=1, seed=9), data, "pearson", n_bootstrap=10)


@pytest.mark.parametrize("metric", ["cka.linear", "cka.debiased", "rsa.euclidean.pearson"])
def test_alignment_counts_and_reports_undefined_resamples(metric):
    """A categorical representation: its bootstrap NaNs were dropped without a word, and RSA measures crashed the
    whole study with a DegenerateRDMError about "RDM 0 of a" from one resample."""
    from neuroalign.alignment import BrainSource, align
    from neuroalign.core.recording import Recording
    from neuroalign.core.stimuli import StimulusSet
    from neuroalign.stats import percentile_interval

    ids = [f"s{k:03d}" for k in range(20)]
    categories = np.eye(2)[np.array([0, 1] * 4 + [0] * 12)]
    related = categories @ np.random.default_rng(0).normal(size=(2, 5)) + np.random.default_rng(1).normal(size=(20, 5))
    sources = [BrainSource(name, {"layer": Recording(x, ids, dims=("stimulus", "channel"))})
               for name, x in (("a", categories), ("b", related))]
    with pytest.warns(UndefinedResampleWarning, match=rf"{metric} between a:layer and b:layer: \d+ of 200 bootstrap"):
        study = align(sources, StimulusSet(ids, name="toy"), [metric], n_permutations=20, n_bootstrap=200, seed=0)
    pair = study.pairs[0]
    assert 0 < pair.n_undefined_bootstrap == np.isnan(pair.bootstrap).sum()
    defined = pair.bootstrap[np.isfinite(pair.bootstrap)]
    np.testing.assert_allclose(pair.interval, percentile_interval(defined, 0.95), rtol=0, atol=0)


@pytest.mark.realdata
@pytest.mark.parametrize(("distance", "method", "error"), [("euclidean", "pearson", DegenerateRDMError),
                                                            ("correlation", "spearman", None)])
def test_a_degenerate_searchlight_sphere_is_named_by_its_centre(data_mirror, distance, method, error):
    """Voxels of zeros (outside the brain): the error said "RDM 143 of b", an index within one batch."""
    import nibabel as nib

    from neuroalign.analysis import mask_voxels, searchlight_rsa
    from neuroalign.core.recording import Recording
    from neuroalign.datasets import load_dataset
    from neuroalign.errors import DegeneratePatternError

    recording, = load_dataset("haxby2001_subj1_slice", mirror=data_mirror).recordings()
    mask = nib.load(data_mirror / "haxby2001_subj1_slice" / "mask.nii.gz")
    ijk = mask_voxels(mask)
    zeros = np.linalg.norm((ijk - ijk[200]) * [3.1, 3.75, 3.75], axis=1) <= 8.0
    data = recording.data.copy()
    data[..., zeros] = 0.0
    zeroed = Recording(data, recording.stimulus_ids, dims=recording.dims, channels=recording.channels,
                       runs=recording.runs, descriptors=recording.descriptors)
    with pytest.raises(error or DegeneratePatternError, match=r"^the sphere at voxel \(16, 4, 0\): "):
        searchlight_rsa(zeroed, mask, np.random.default_rng(0).random(28), radius=4.0, distance=distance,
                        comparator=method)


def test_bca_with_every_sample_on_one_side_raises_instead_of_nan():
    from neuroalign.errors import InvalidOptionError
    from neuroalign.stats import bca_interval

    rng = np.random.default_rng(0)
    samples = rng.random((100, 2)) + np.array([1.0, 0.0])  # statistic 0: every value above the observed 0.5
    with pytest.raises(InvalidOptionError, match=r"BCa is undefined for statistic 0: every bootstrap value lies above"):
        bca_interval(samples, np.array([0.5, 0.5]), rng.random((10, 2)))


def test_split_half_reliability_names_constant_features():
    """A silent neuron gave a NaN reliability (and a NaN mean over neuroids) without a word."""
    from neuroalign.metrics import split_half_reliability
    from neuroalign.stats.reliability import UndefinedReliabilityWarning

    rng = np.random.default_rng(0)
    signal = rng.normal(size=(1, 12, 5))
    responses = signal + 0.5 * rng.normal(size=(6, 12, 5))
    responses[:, :, 3] = 0.0  # never responds
    with pytest.warns(UndefinedReliabilityWarning, match=r"1 of 5 features are constant .* \(features \[3\]\)"):
        result = split_half_reliability(responses, n_splits=20, seed=0)
    assert np.isnan(result.half[3]) and np.isfinite(np.delete(result.half, 3)).all()
    anti = np.concatenate([signal, -signal]) + 0.01 * rng.normal(size=(2, 12, 5))  # two repetitions that disagree
    with pytest.warns(UndefinedReliabilityWarning, match="below -1/3"):
        assert (split_half_reliability(anti, n_splits=5, seed=0).corrected < -1).all()


def test_statistics_refuse_to_pair_rdms_with_a_plain_array_by_position():
    """An array has no ids: pairing it with RDMs by position would silently misalign reordered stimuli."""
    from neuroalign.core.rdms import RDMs
    from neuroalign.stats.bootstrap import bootstrap_rdm_comparison

    rng = np.random.default_rng(0)
    ids = [f"s{k}" for k in range(8)]
    model = RDMs(pdist(rng.normal(size=(8, 3))), ids)
    data = np.stack([pdist(rng.normal(size=(8, 3))) for _ in range(3)])
    with pytest.raises(TypeError, match="an array has none"):
        bootstrap_rdm_comparison(model, data, "spearman", n_bootstrap=10, seed=0)
