"""Ridge predictivity against a closed-form numpy ridge, scikit-learn's RidgeCV, and known ground truths."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import RidgeCV

from neuroalign.errors import InvalidOptionError
from neuroalign.metrics import MetricInputError, get_metric
from neuroalign.metrics.folds import group_kfold_splits, kfold_splits
from neuroalign.metrics.predictivity import ridge_predictivity

ALPHAS = np.logspace(-2, 4, 7)


def ridge_fit(x, y, alpha):
    """Closed-form ridge with an unpenalised intercept: (coef, intercept)."""
    mx, my = x.mean(0), y.mean(0)
    xc = x - mx
    coef = np.linalg.solve(xc.T @ xc + alpha * np.eye(x.shape[1]), xc.T @ (y - my))
    return coef, my - mx @ coef


def ref_predictivity(x, y, alphas, n_folds, inner_folds):
    """Outer contiguous folds; per-target alpha by the inner-fold mean squared error; held-out Pearson r."""
    folds, chosen = [], []
    for train, test in kfold_splits(len(x), n_folds):
        errors = np.zeros((len(alphas), y.shape[1]))
        for itrain, ival in kfold_splits(len(train), inner_folds):
            xt, yt, xv, yv = x[train][itrain], y[train][itrain], x[train][ival], y[train][ival]
            for a, alpha in enumerate(alphas):
                coef, b = ridge_fit(xt, yt, alpha)
                errors[a] += ((xv @ coef + b - yv) ** 2).mean(0)
        best = np.asarray(alphas)[errors.argmin(0)]
        pred = np.column_stack([x[test] @ c + b for c, b in
                                (ridge_fit(x[train], y[train][:, [t]], best[t]) for t in range(y.shape[1]))])
        folds.append([np.corrcoef(pred[:, t], y[test][:, t])[0, 1] for t in range(y.shape[1])])
        chosen.append(best)
    return np.array(folds), np.array(chosen)


def data(n=60, d=8, t=5, noise=1.0, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, d)) * np.linspace(0.5, 3, d)
    y = x @ rng.standard_normal((d, t)) * np.linspace(0.1, 3, t) + noise * rng.standard_normal((n, t))
    return x, y


@pytest.mark.parametrize(("n", "d"), [(60, 8), (40, 70)])
def test_matches_closed_form_ridge(n, d):
    x, y = data(n, d, noise=3.0, seed=d)
    got = ridge_predictivity(x, y, alphas=ALPHAS, n_folds=4, inner_folds=3)
    folds, chosen = ref_predictivity(x, y, ALPHAS, 4, 3)
    np.testing.assert_array_equal(got.alphas, chosen)
    np.testing.assert_allclose(got.per_fold, folds, rtol=0, atol=1e-9)
    np.testing.assert_allclose(got.per_target, folds.mean(0), atol=1e-9)


def test_matches_sklearn_ridgecv_on_one_fold():
    # scikit-learn's RidgeCV picks each target's alpha by exact leave-one-out squared error (intercept refit),
    # which is inner leave-one-out here.
    x, y = data(40, 6, noise=2.0, seed=3)
    got = ridge_predictivity(x, y, alphas=ALPHAS, n_folds=2, inner_folds="loo")
    train, test = got.splits[0]
    model = RidgeCV(alphas=ALPHAS, alpha_per_target=True).fit(x[train], y[train])
    np.testing.assert_allclose(got.alphas[0], model.alpha_)
    pred = model.predict(x[test])
    expected = [np.corrcoef(pred[:, t], y[test][:, t])[0, 1] for t in range(y.shape[1])]
    np.testing.assert_allclose(got.per_fold[0], expected, atol=1e-9)


def test_noise_free_linear_map_is_predicted_perfectly():
    x, y = data(80, 6, noise=0.0)
    result = ridge_predictivity(x, y, alphas=ALPHAS, score="r2")
    assert result.per_target.min() > 0.999
    assert get_metric("predictivity.ridge")(x, y) > 0.999


def test_independent_noise_is_not_predicted():
    rng = np.random.default_rng(7)
    x, y = rng.standard_normal((200, 10)), rng.standard_normal((200, 40))
    result = ridge_predictivity(x, y, alphas=ALPHAS)
    assert abs(result.mean) < 0.05
    assert result.per_fold.shape == (5, 40) and result.alphas.shape == (5, 40)


def test_reverse_swaps_the_roles():
    x, y = data(60, 8, t=3, noise=0.5)
    assert get_metric("predictivity.ridge.reverse")(x, y) == pytest.approx(get_metric("predictivity.ridge")(y, x))
    assert not get_metric("predictivity.ridge").info.symmetric


def test_translation_of_either_side_does_not_change_the_score():
    x, y = data(50, 5, noise=1.0)
    metric = get_metric("predictivity.ridge")
    base = metric(x, y)
    assert metric(x + 7.0 * np.arange(5), y) == pytest.approx(base, abs=1e-8)
    assert metric(x, y - 3.0) == pytest.approx(base, abs=1e-8)
    assert "translation" in metric.info.invariances


def test_grouped_folds_never_split_a_group():
    groups = np.repeat(["a", "b", "c", "d", "e", "f", "g"], [5, 9, 3, 7, 7, 2, 6])
    for train, test in group_kfold_splits(groups, 3):
        assert not set(groups[train]) & set(groups[test])
        assert len(train) + len(test) == len(groups)
    x, y = data(len(groups), 4)
    result = ridge_predictivity(x, y, alphas=ALPHAS, n_folds=3, groups=groups)
    tests = np.concatenate([test for _, test in result.splits])
    np.testing.assert_array_equal(np.sort(tests), np.arange(len(groups)))


def test_torch_backend_agrees_with_numpy():
    x, y = data(50, 30, noise=1.0)
    a = ridge_predictivity(x, y, alphas=ALPHAS, backend="numpy")
    b = ridge_predictivity(x, y, alphas=ALPHAS, backend="torch")
    np.testing.assert_allclose(a.per_fold, b.per_fold, atol=1e-8)


def test_bad_inputs_raise_specific_errors():
    x, y = data(30, 4)
    with pytest.raises(MetricInputError, match="targets \\[1\\] have zero variance"):
        ridge_predictivity(x, np.column_stack([y[:, 0], np.ones(30)]))
    with pytest.raises(MetricInputError, match="n_folds <= number of groups"):
        ridge_predictivity(x, y, groups=np.repeat([0, 1], 15))
    with pytest.raises(InvalidOptionError, match="score"):
        ridge_predictivity(x, y, score="mse")
    with pytest.raises(InvalidOptionError, match="backend"):
        ridge_predictivity(x, y, backend="jax")
    with pytest.raises(MetricInputError, match="at least 10"):
        get_metric("predictivity.ridge")(x[:8], y[:8])


def test_inputs_are_not_mutated():
    x, y = data(30, 4)
    x0, y0 = x.copy(), y.copy()
    ridge_predictivity(x, y, alphas=ALPHAS)
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(y, y0)
