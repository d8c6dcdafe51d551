"""Between-subject ceilings of feature-space measures: linear CKA's pool is the mean of normalised centred Grams."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from neuroalign.metrics import MetricInputError
from neuroalign.metrics.ceiling import NoCeilingError, feature_noise_ceiling
from neuroalign.metrics.hsic import cka_from_grams


@pytest.fixture(scope="module")
def subjects():
    rng = np.random.default_rng(0)
    shared = rng.standard_normal((40, 6))
    return [shared @ rng.standard_normal((6, d)) + rng.standard_normal((40, d)) for d in (20, 25, 30, 35)]


def _normalised_gram(x):
    xc = x - x.mean(0)
    return xc @ xc.T / np.sum(xc * xc)


def test_linear_cka_ceiling_pools_the_normalised_grams(subjects):
    ceiling = feature_noise_ceiling(subjects, "cka.linear")
    grams = [_normalised_gram(s) for s in subjects]
    for s, subject in enumerate(subjects):
        others = np.mean([g for i, g in enumerate(grams) if i != s], axis=0)
        expected = float(cka_from_grams(torch.as_tensor(others), torch.as_tensor(subject @ subject.T)))
        assert ceiling.lower_per_subject[s] == pytest.approx(expected, abs=1e-12)
    assert 0 < ceiling.lower < ceiling.upper < 1


def test_measures_without_a_ceiling_say_why(subjects):
    with pytest.raises(NoCeilingError, match="is a distance"):
        feature_noise_ceiling(subjects, "shape.angular")
    with pytest.raises(NoCeilingError, match="spans every centred direction"):
        feature_noise_ceiling(subjects, "cca.mean")
    with pytest.raises(NoCeilingError, match="per-target ceilings"):
        feature_noise_ceiling(subjects, "predictivity.ridge")
    with pytest.raises(MetricInputError, match=">= 3 subjects"):
        feature_noise_ceiling(subjects[:2], "cka.linear")
