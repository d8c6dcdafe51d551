"""Properties that hold for any input: invariances, ranges, and agreement with brute force on random ties."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from neuroalign.compare import bures_similarity, kendall_tau_a, pearson, rho_a, spearman, sqbures

N_PAIRS = 15  # 6 conditions

levels = st.integers(min_value=0, max_value=4).map(float)  # few distinct values: plenty of ties
tied = arrays(np.float64, N_PAIRS, elements=levels)
continuous = arrays(np.float64, N_PAIRS, elements=st.floats(-1e3, 1e3, allow_nan=False, allow_subnormal=False),
                    unique=True)
varying = tied.filter(lambda v: np.ptp(v) > 0)


def _brute_tau_a(x, y):
    sx, sy = np.sign(x[:, None] - x[None, :]), np.sign(y[:, None] - y[None, :])
    return np.triu(sx * sy, 1).sum() / (x.size * (x.size - 1) / 2)


@settings(max_examples=60, deadline=None)
@given(x=tied, y=tied)
def test_tau_a_matches_brute_force_and_stays_in_range(x, y):
    tau = kendall_tau_a(x, y)[0, 0]
    assert -1.0 <= tau <= 1.0
    assert tau == _brute_tau_a(x, y)


@settings(max_examples=40, deadline=None)
@given(x=varying, y=varying, shift=st.floats(-10, 10), scale=st.floats(0.1, 10))
def test_rank_comparators_are_invariant_to_monotone_transforms(x, y, shift, scale):
    transformed = np.exp(x / 4) * scale + shift  # strictly increasing, keeps ties tied
    for f in (spearman, rho_a, kendall_tau_a):
        assert abs(f(transformed, y)[0, 0] - f(x, y)[0, 0]) < 1e-12


@settings(max_examples=40, deadline=None)
@given(x=continuous, y=continuous)
def test_rho_a_is_spearman_without_ties(x, y):
    assert abs(rho_a(x, y)[0, 0] - spearman(x, y)[0, 0]) < 1e-12


@settings(max_examples=40, deadline=None)
@given(x=varying, y=varying, scale=st.floats(0.01, 100), shift=st.floats(-100, 100))
def test_pearson_is_invariant_to_positive_affine_maps_and_flips_sign_under_negation(x, y, scale, shift):
    r = pearson(x, y)[0, 0]
    assert abs(pearson(scale * x + shift, y)[0, 0] - r) < 1e-9
    assert abs(pearson(-x, y)[0, 0] + r) < 1e-12


@settings(max_examples=30, deadline=None)
@given(x=arrays(np.float64, N_PAIRS, elements=st.floats(0.01, 10)),
       y=arrays(np.float64, N_PAIRS, elements=st.floats(0.01, 10)))
def test_bures_similarity_in_unit_interval_and_distance_non_negative(x, y):
    s = bures_similarity(x, y)[0, 0]
    assert 0.0 <= s <= 1.0
    assert sqbures(x, y)[0, 0] >= 0.0
    assert abs(bures_similarity(x, x)[0, 0] - 1.0) < 1e-10


#: The transforms of one RDM that an entry's ``invariances`` name (all keep a positive RDM positive).
_TRANSFORMS = {"scale": lambda v: 3.7 * v, "offset": lambda v: v + 2.5, "monotonic": lambda v: np.exp(v / 3)}


def test_every_declared_invariance_of_every_registered_comparator_holds():
    """The entries' claims, checked on random RDMs (positive and Euclidean-embeddable, so that every comparator,
    Bures included, is defined); an invariance not declared is also checked not to hold, so a claim left out is
    a real dependence."""
    from neuroalign.compare import COMPARATORS, RDM_INVARIANCES, compare
    from scipy.spatial.distance import pdist

    rng = np.random.default_rng(0)
    a = np.stack([pdist(rng.normal(size=(6, 3)), "sqeuclidean") for _ in range(2)])
    b = np.stack([pdist(rng.normal(size=(6, 3)), "sqeuclidean") for _ in range(3)])
    for name in COMPARATORS.names():
        entry = COMPARATORS.get(name)
        reference = compare(a, b, name)
        for invariance in sorted(RDM_INVARIANCES):
            moved = compare(_TRANSFORMS[invariance](a), b, name)
            holds = np.allclose(moved, reference, rtol=1e-9, atol=1e-12)
            assert holds == (invariance in entry.invariances), (name, invariance)
