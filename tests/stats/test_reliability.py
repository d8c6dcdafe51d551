"""Split-half reliability and the Spearman-Brown correction."""

from __future__ import annotations

import numpy as np
import pytest

from neuroalign.errors import InvalidOptionError, NotEnoughRunsError
from neuroalign.metrics import split_half_reliability
from neuroalign.stats import spearman_brown


def test_spearman_brown_closed_form():
    assert spearman_brown(0.5) == pytest.approx(2 / 3)
    assert spearman_brown(spearman_brown(0.3, 3.0), 1 / 3) == pytest.approx(0.3)  # shortening undoes lengthening
    np.testing.assert_allclose(spearman_brown(np.array([0.0, 1.0])), [0.0, 1.0])


def test_recovers_the_reliability_of_the_mean():
    # signal variance 1, noise variance 4 per repetition: the mean of 8 repetitions has reliability 1 / (1 + 4/8)
    rng = np.random.default_rng(0)
    signal = rng.normal(size=(400, 30))
    responses = signal + rng.normal(scale=2.0, size=(8, 400, 30))
    result = split_half_reliability(responses, n_splits=10, seed=1)
    assert result.per_split.shape == (10, 30)
    assert np.mean(result.corrected) == pytest.approx(1 / 1.5, abs=0.02)
    assert np.mean(result.half) == pytest.approx(1 / 2, abs=0.02)  # halves of 4: 1 / (1 + 4/4)


def test_metric_reliability_and_reproducibility():
    rng = np.random.default_rng(0)
    responses = rng.normal(size=(30, 5)) + 0.5 * rng.normal(size=(5, 30, 5))
    before = responses.copy()
    a = split_half_reliability(responses, "cka.linear", n_splits=4, seed=2)
    b = split_half_reliability(responses, "cka.linear", n_splits=4, seed=2)
    assert a.corrected == b.corrected and a.metric == "cka.linear"
    assert 0 < a.half < a.corrected < 1
    np.testing.assert_array_equal(responses, before)


def test_bad_input():
    with pytest.raises(NotEnoughRunsError, match=">= 2 repetitions"):
        split_half_reliability(np.zeros((1, 5, 2)))
    with pytest.raises(ValueError, match="n_repetitions"):
        split_half_reliability(np.zeros((5, 2)))
    with pytest.raises(InvalidOptionError, match="distance"):
        split_half_reliability(np.random.default_rng(0).normal(size=(4, 10, 3)), "cka.angular")
