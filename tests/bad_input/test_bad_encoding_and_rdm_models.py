"""Bad inputs to encoding models, fitted RDM models and the new feature-space ceilings: specific errors that name
what was wrong (issue 18)."""

from __future__ import annotations

import numpy as np
import pytest

from neuroalign.core.rdms import RDMs
from neuroalign.encoding import fit_encoding, normalise_by_ceiling, partition_variance, split_half_ceiling
from neuroalign.errors import InvalidOptionError, ShapeMismatchError
from neuroalign.metrics import MetricInputError
from neuroalign.metrics.ceiling import feature_noise_ceiling
from neuroalign.stats.fitting import WeightedModel, crossval, fit_model, kfold_folds


@pytest.fixture(scope="module")
def xy():
    rng = np.random.default_rng(0)
    return rng.standard_normal((30, 4)), rng.standard_normal((30, 6))


def test_encoding_inputs(xy):
    x, y = xy
    with pytest.raises(MetricInputError, match="needs 2 <= n_folds <= number of groups; got n_folds=5 with 3 groups"):
        fit_encoding(x, y, groups=np.repeat([0, 1, 2], 10))
    bad = x.copy()
    bad[3, 1] = np.nan
    with pytest.raises(MetricInputError, match="finite"):
        fit_encoding(bad, y)
    with pytest.raises(InvalidOptionError, match="positive finite penalties"):
        fit_encoding(x, y, alphas=[1.0, -1.0])
    with pytest.raises(InvalidOptionError, match="dtype must be float64 or float32"):
        fit_encoding(x, y, dtype="float16")
    with pytest.raises(MetricInputError, match="same rows"):
        partition_variance(x, x[:-1], y)


def test_ceiling_inputs():
    with pytest.raises(ShapeMismatchError, match=r"n_repeats >= 2, n_stimuli, n_targets"):
        split_half_ceiling(np.zeros((10, 5)))
    with pytest.raises(ShapeMismatchError, match="one value per target"):
        normalise_by_ceiling([0.1, 0.2], [0.5])


def test_rdm_model_inputs():
    rng = np.random.default_rng(1)
    ids = [f"s{i}" for i in range(6)]
    components = RDMs(rng.random((2, 15)), ids)
    model = WeightedModel("w", components)
    with pytest.raises(ShapeMismatchError, match="data RDMs have 10 pairs but model 'w' predicts 15"):
        fit_model(model, rng.random((3, 10)))
    folds = kfold_folds(np.arange(3), np.arange(5), 1, 1, rng=0)
    with pytest.raises(ShapeMismatchError, match="model 'w' has 15 pairs and the data 10"):
        crossval(model, rng.random((3, 10)), folds)
    with pytest.raises(InvalidOptionError, match="rdms must be an RDMs container"):
        WeightedModel("w", rng.random((2, 15)))
    with pytest.raises(InvalidOptionError, match="k_subjects <= 3"):
        kfold_folds(np.arange(3), np.arange(6), 4, 2)


def test_feature_ceiling_inputs():
    rng = np.random.default_rng(2)
    with pytest.raises(MetricInputError, match="same stimuli"):
        feature_noise_ceiling([rng.random((10, 3)), rng.random((10, 3)), rng.random((9, 3))], "cka.linear")
    with pytest.raises(MetricInputError, match="subject 1 has no variance"):
        feature_noise_ceiling([rng.random((10, 3)), np.ones((10, 3)), rng.random((10, 3))], "cka.linear")
