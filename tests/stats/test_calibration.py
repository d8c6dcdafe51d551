"""Calibration under simulation: permutation false-positive rates and bootstrap interval coverage.

Everything is seeded, so these are deterministic; the bands are wide enough (several binomial standard errors)
that a correct implementation does not sit on their edge, and narrow enough to catch a biased test or interval.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial.distance import pdist

from neuroalign.metrics import permutation_test_metric
from neuroalign.stats import bootstrap_rdm_comparison, permutation_test_rdm

ALPHA = 0.05


def _independent_representations(rng, n, d=3):
    return rng.normal(size=(n, d)), rng.normal(size=(n, d))


def test_rdm_permutation_false_positive_rate():
    # 2000 datasets: the binomial standard error of the rate is 0.005, so [0.03, 0.07] is +-4 standard errors
    rng = np.random.default_rng(2024)
    p = np.empty(2000)
    for k in range(p.size):
        x, y = _independent_representations(rng, 8)
        p[k] = permutation_test_rdm(pdist(x)[None], pdist(y)[None], "pearson", n_perm=99, seed=k).p_values[0]
    assert 0.03 <= np.mean(p <= ALPHA) <= 0.07


def test_metric_permutation_false_positive_rate():
    # 800 datasets (standard error 0.008). With 19 permutations p <= 0.05 exactly when the observed value beats
    # all 19, which has probability 1/20 under the null.
    rng = np.random.default_rng(7)
    p = np.empty(800)
    for k in range(p.size):
        x, y = _independent_representations(rng, 10)
        p[k] = permutation_test_metric(x, y, "cka.linear", n_perm=19, seed=k).p_values[0]
    assert 0.03 <= np.mean(p <= ALPHA) <= 0.07


def _stimuli(rng, n):
    """A population of stimuli with a brain and a model representation that share part of their geometry."""
    brain = rng.normal(size=(n, 3))
    model = brain[:, :2] + 0.8 * rng.normal(size=(n, 2))
    return pdist(model)[None], pdist(brain)[None]


def test_stimulus_bootstrap_interval_covers_the_population_value():
    rng = np.random.default_rng(11)
    # the population value: the same comparison on a very large draw of stimuli (its own error is ~0.01, far
    # below the ~0.2 half-width of the intervals at 20 stimuli)
    model, brain = _stimuli(rng, 2500)
    population = np.corrcoef(model[0], brain[0])[0, 1]
    covered = []
    for k in range(500):
        model, brain = _stimuli(rng, 20)
        low, high = bootstrap_rdm_comparison(model, brain, "pearson", n_bootstrap=300, seed=k).interval(0.95)[0]
        covered.append(low <= population <= high)
    assert 0.90 <= np.mean(covered) <= 0.98
