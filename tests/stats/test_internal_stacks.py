"""Internal stacks of condensed rows are never read by the public layout rule.

Six subjects of four stimuli hold six pairs each: the subjects' stack is 6 x 6, and with a zero where its diagonal
would be (a categorical RDM has zero dissimilarities within a category) the public rule would refuse it as
ambiguous (one square RDM, or six condensed ones?). The statistics pass ``RDMs``, whose ids fix the layout, and
must compute; before, the noise ceiling, the tau-a bootstrap and the permutation test raised
``AmbiguousLayoutError`` from their internal ``compare`` calls.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import kendalltau, rankdata

from neuroalign.compare import compare_condensed
from neuroalign.core.rdm_arrays import condensed_rows
from neuroalign.core.rdms import RDMs
from neuroalign.errors import AmbiguousLayoutError
from neuroalign.stats import CeilingNotABoundWarning, bootstrap_rdm_comparison, permutation_test_rdm, rdm_noise_ceiling

IDS = ["a1", "a2", "b1", "b2"]
#: Categories a a b b: pairs (0,1) and (2,3) are within a category.
CATEGORICAL = np.array([0.0, 1.0, 1.0, 1.0, 1.0, 0.0])


@pytest.fixture(scope="module")
def subjects() -> np.ndarray:
    rng = np.random.default_rng(11)
    values = CATEGORICAL + rng.uniform(0.05, 0.5, size=(6, 6))
    values[np.arange(6), np.arange(6)] = 0.0  # subject k measured pair k as identical
    with pytest.raises(AmbiguousLayoutError):
        condensed_rows(values)  # what the public rule makes of this stack
    return values


def test_noise_ceiling_of_six_subjects_of_four_stimuli(subjects):
    ceiling = rdm_noise_ceiling(RDMs.from_condensed(subjects, IDS), "spearman")
    pooled = compare_condensed(subjects, rankdata(subjects, axis=1).mean(axis=0), "spearman")[:, 0]  # pools ranks
    assert np.isfinite(ceiling.upper) and ceiling.upper == pytest.approx(pooled.mean(), abs=1e-12)


def test_tau_a_bootstrap_with_a_ceiling_on_six_subjects_of_four_stimuli(subjects):
    model = RDMs.from_condensed(CATEGORICAL, IDS)
    data = RDMs.from_condensed(subjects, IDS)
    with pytest.warns(CeilingNotABoundWarning):
        result = bootstrap_rdm_comparison(model, data, "kendall_tau_a", indices=np.array([[0, 1, 2, 3]] * 3),
                                          noise_ceiling=True)
    # the identity resample is the data itself: tau-a from scipy's tau-b (tau_a = tau_b sqrt((n0-n1)(n0-n2))/n0)
    n0, model_ties = 15.0, _ties(CATEGORICAL)  # 15 pairs of pairs; 1 + 6 of them tied in the model
    expected = [kendalltau(CATEGORICAL, row).statistic * np.sqrt((n0 - model_ties) * (n0 - _ties(row))) / n0
                for row in subjects]
    np.testing.assert_allclose(result.samples[:, 0], np.mean(expected), rtol=1e-12)
    assert np.isfinite(result.ceiling_samples).all()


def _ties(row: np.ndarray) -> float:
    _, counts = np.unique(row, return_counts=True)
    return float((counts * (counts - 1) / 2).sum())


def test_permutation_test_on_six_subjects_of_four_stimuli(subjects):
    model = RDMs.from_condensed(CATEGORICAL, IDS)
    result = permutation_test_rdm(model, RDMs.from_condensed(subjects, IDS), "pearson", n_perm=12, seed=0,
                                  batch_size=1)  # one permutation per batch: a 6 x 6 stack every time
    observed = np.mean([np.corrcoef(CATEGORICAL, row)[0, 1] for row in subjects])
    assert result.observed[0] == pytest.approx(observed, abs=1e-12) and np.isfinite(result.null).all()
