"""Fitted RDM models against rsatoolbox's fitters and (bootstrap) cross-validation, and regression / partial
correlation RSA against mne-rsa, on the real 92-image human IT RDMs (4 subjects) and the paper's model RDMs."""

from __future__ import annotations

import numpy as np
import pytest

rsatoolbox = pytest.importorskip("rsatoolbox")
from rsatoolbox.inference import bootstrap_crossval as rsa_bootstrap_crossval  # noqa: E402
from rsatoolbox.inference import crossval as rsa_crossval  # noqa: E402
from rsatoolbox.inference import sets_k_fold  # noqa: E402
from rsatoolbox.model import (ModelFixed, ModelInterpolate, ModelSelect, ModelWeighted, fit_interpolate,  # noqa: E402
                              fit_regress, fit_regress_nn, fit_select)

from neuroalign.errors import InvalidOptionError, InvalidRDMError  # noqa: E402
from neuroalign.stats.fitting import (FixedModel, InterpolationModel, SelectionModel, WeightedModel,  # noqa: E402
                                      bootstrap_crossval, crossval, fit_model, kfold_folds)
from neuroalign.stats.fitting.regression import partial_correlation_rsa, regression_rsa  # noqa: E402

COMPONENTS = ["animacy", "EVA", "HMAX", "V1"]
METHODS = [("cosine", "cosine"), ("pearson", "corr")]


@pytest.fixture(scope="module")
def real(data_mirror):
    from neuroalign.datasets import kriegeskorte92
    from neuroalign.demo.rsa92 import subject_rdms

    subjects = subject_rdms(kriegeskorte92.human_it_rdms(data_mirror))
    components = kriegeskorte92.model_rdms(data_mirror).select(model=COMPONENTS).aligned_to(subjects)
    return subjects, components


def _ours(components):
    return [WeightedModel("weighted", components), SelectionModel("select", components),
            InterpolationModel("interpolate", components),
            FixedModel("fixed", components.select(model="animacy"))]


def _theirs(components):
    rdms = components.to_rsatoolbox()
    return [ModelWeighted("weighted", rdms), ModelSelect("select", rdms), ModelInterpolate("interpolate", rdms),
            ModelFixed("fixed", rdms[0])]


@pytest.mark.parametrize(("ours", "theirs"), METHODS)
@pytest.mark.parametrize(("solver", "reference"), [("linear", fit_regress), ("nnls", fit_regress_nn)])
def test_weighted_fit_equals_rsatoolbox(real, ours, theirs, solver, reference):
    subjects, components = real
    expected = reference(ModelWeighted("w", components.to_rsatoolbox()), subjects.to_rsatoolbox(), method=theirs)
    theta = fit_model(WeightedModel("w", components), subjects.dissimilarities, ours, solver=solver)
    np.testing.assert_allclose(theta, expected, rtol=0, atol=1e-12)
    assert solver == "linear" or (theta >= 0).all()


@pytest.mark.parametrize(("ours", "theirs"), METHODS)
def test_selection_and_interpolation_fits_equal_rsatoolbox(real, ours, theirs):
    subjects, components = real
    data, rdms = subjects.to_rsatoolbox(), components.to_rsatoolbox()
    assert fit_model(SelectionModel("s", components), subjects.dissimilarities, ours)[0] == \
        fit_select(ModelSelect("s", rdms), data, method=theirs)
    np.testing.assert_allclose(fit_model(InterpolationModel("i", components), subjects.dissimilarities, ours),
                               fit_interpolate(ModelInterpolate("i", rdms), data, method=theirs), atol=1e-9)


def test_crossval_on_rsatoolbox_folds_equals_rsatoolbox(real):
    """Same folds (a RandomState seeded as rsatoolbox's global state): evaluations and cross-validated ceiling."""
    subjects, components = real
    np.random.seed(3)
    train, test, ceil = sets_k_fold(subjects.to_rsatoolbox(), k_rdm=2, k_pattern=3, random=True)
    expected = rsa_crossval(_theirs(components), subjects.to_rsatoolbox(), train, test, ceil, method="corr",
                            fitter=[fit_regress, fit_select, fit_interpolate, None])
    folds = kfold_folds(np.arange(4), np.arange(92), 2, 3, rng=np.random.RandomState(3))
    ours = crossval(_ours(components), subjects.dissimilarities, folds, "pearson", solver="linear")
    np.testing.assert_allclose(ours.evaluations, expected.evaluations[0], rtol=0, atol=1e-11)
    np.testing.assert_allclose(ours.ceiling, expected.noise_ceiling, rtol=0, atol=1e-14)
    assert ours.ceiling[0] < ours.ceiling[1]


def test_bootstrap_crossval_equals_rsatoolbox(real):
    """Subjects and stimuli resampled, two fold assignments per sample, the variance correction and rsatoolbox's
    standard errors: the same numbers from the same draws."""
    subjects, components = real
    np.random.seed(5)
    ours_models, theirs_models = _ours(components)[:2], _theirs(components)[:2]
    expected = rsa_bootstrap_crossval(theirs_models, subjects.to_rsatoolbox(), method="cosine",
                                      fitter=[fit_regress, fit_select], N=2, n_cv=2)
    ours = bootstrap_crossval(ours_models, subjects, "cosine", n_bootstrap=2, n_cv=2,
                              rng=np.random.RandomState(5), solver="linear")
    np.testing.assert_allclose(ours.evaluations, expected.evaluations, rtol=0, atol=1e-12)
    np.testing.assert_allclose(ours.ceiling_samples, expected.noise_ceiling, rtol=0, atol=1e-14)
    np.testing.assert_allclose(ours.variances, expected.variances, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(ours.means, expected.get_means(), rtol=0, atol=1e-12)
    np.testing.assert_allclose(ours.sems, expected.get_sem(), rtol=1e-10)
    np.testing.assert_allclose(ours.interval(0.95), np.stack(expected.get_ci(0.95), axis=1), rtol=1e-10)


def test_models_join_data_by_id(real):
    subjects, components = real
    shuffled = components.reorder(list(reversed(components.stimulus_ids)))
    a = bootstrap_crossval(WeightedModel("w", components), subjects, n_bootstrap=2, n_cv=1, rng=0)
    b = bootstrap_crossval(WeightedModel("w", shuffled), subjects, n_bootstrap=2, n_cv=1, rng=0)
    np.testing.assert_allclose(a.evaluations, b.evaluations, rtol=0, atol=1e-14)


@pytest.mark.parametrize(("ours", "metric"), [(dict(), "partial"), (dict(rank=True), "partial-spearman")])
def test_partial_correlation_equals_mne_rsa(real, ours, metric):
    mne_rsa = pytest.importorskip("mne_rsa")
    subjects, components = real
    expected = mne_rsa.rsa(list(subjects.dissimilarities), list(components.dissimilarities), metric=metric)
    np.testing.assert_allclose(partial_correlation_rsa(subjects, components, **ours), expected, rtol=0, atol=1e-12)


def test_regression_equals_mne_rsa(real):
    mne_rsa = pytest.importorskip("mne_rsa")
    subjects, components = real
    expected = mne_rsa.rsa(list(subjects.dissimilarities), list(components.dissimilarities), metric="regression")
    np.testing.assert_allclose(regression_rsa(subjects, components), expected, rtol=1e-10, atol=1e-14)


def test_collinear_model_rdms_are_refused(real):
    subjects, components = real
    values = components.dissimilarities
    collinear = np.vstack([values[:2], 2 * values[0] - values[1] + 1.0])
    with pytest.raises(InvalidRDMError, match="collinear"):
        regression_rsa(subjects.dissimilarities, collinear)


def test_bad_model_options_name_the_problem(real):
    subjects, components = real
    with pytest.raises(InvalidOptionError, match="solver must be one of"):
        fit_model(WeightedModel("w", components), subjects.dissimilarities, solver="ridge")
    with pytest.raises(InvalidOptionError, match="exactly one RDM"):
        FixedModel("f", components)
    with pytest.raises(InvalidOptionError, match="needs >= 2 component RDMs"):
        InterpolationModel("i", components.select(model="EVA"))
