"""``compare``: dispatch by name, aliases, RDMs joined by id, shapes, symmetry, bad input, and a light import."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from neuroalign.compare import COMPARATORS, NOT_ALIASED, compare, get_comparator
from neuroalign.core.rdms import RDMs
from neuroalign.errors import InvalidRDMError, ShapeMismatchError, StimulusMismatchError, UnknownNameError

ALIASES = {
    "corr": "pearson",  # rsatoolbox
    "cosine": "cosine",
    "spearman": "spearman",
    "rho-a": "rho_a",
    "tau-a": "kendall_tau_a",
    "kendall-tau-a": "kendall_tau_a",  # mne-rsa
    "cosine_cov": "whitened_cosine",
    "corr_cov": "whitened_pearson",
    "pearson": "pearson",
}


@pytest.mark.parametrize("alias, name", sorted(ALIASES.items()))
def test_aliases_map_to_stable_names(alias, name):
    assert COMPARATORS.canonical(alias) == name


def test_registry_holds_every_comparator():
    assert COMPARATORS.names() == sorted(["pearson", "cosine", "spearman", "rho_a", "kendall_tau_a", "whitened_cosine",
                                          "whitened_pearson", "bures_similarity", "sqbures"])


@pytest.mark.parametrize("name", sorted(NOT_ALIASED))
def test_names_with_other_definitions_are_refused_with_the_reason(name):
    assert name not in COMPARATORS
    with pytest.raises(UnknownNameError, match="not available"):
        get_comparator(name)


def test_unknown_name_suggests_close_matches(mixed):
    with pytest.raises(UnknownNameError, match="Did you mean 'spearman'"):
        compare(*mixed, comparator="spearmn")


@pytest.mark.parametrize("method", COMPARATORS.names())
def test_shapes_symmetry_and_self_comparison(mixed, method):
    a, b = mixed
    ab = compare(a, b, method)
    assert ab.shape == (a.shape[0], b.shape[0]) and ab.dtype == np.float64
    np.testing.assert_allclose(ab, compare(b, a, method).T, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(compare(a, comparator=method), compare(a, a, method), rtol=1e-12, atol=1e-14)
    low, high = COMPARATORS.get(method).bounds
    assert np.all((ab >= low) & (ab <= high))
    assert compare(a[0], b[1], method).shape == (1, 1)


@pytest.mark.parametrize("method", COMPARATORS.names())
def test_inputs_are_never_mutated(mixed, method):
    a, b = (x.copy() for x in mixed)
    a[0, 3] = np.nan if COMPARATORS.get(method).pairwise_missing else a[0, 3]
    before = a.copy(), b.copy()
    compare(a, b, method, nan_policy="pairwise" if COMPARATORS.get(method).pairwise_missing else "raise")
    np.testing.assert_array_equal(a, before[0])
    np.testing.assert_array_equal(b, before[1])


def test_read_only_inputs_are_fine(mixed):
    a, b = (x.copy() for x in mixed)
    a.setflags(write=False)
    b.setflags(write=False)
    for method in COMPARATORS.names():
        compare(a, b, method)


def test_rdms_are_joined_by_stimulus_id(mixed, rng):
    a, b = mixed
    ids = [f"s{k}" for k in range(12)]
    rdms_a, rdms_b = RDMs(a, ids), RDMs(b, ids)
    shuffled = rdms_b.reorder(list(rng.permutation(ids)))
    assert not np.array_equal(shuffled.dissimilarities, b)
    for method in ("spearman", "kendall_tau_a", "whitened_cosine", "bures_similarity"):
        np.testing.assert_allclose(compare(rdms_a, shuffled, method), compare(a, b, method), rtol=1e-12)


def test_rdms_with_different_ids_raise(mixed):
    a, b = mixed
    ids = [f"s{k}" for k in range(12)]
    with pytest.raises(StimulusMismatchError):
        compare(RDMs(a, ids), RDMs(b, ids[:-1] + ["other"]))


def test_mixing_rdms_and_arrays_is_refused(mixed):
    a, b = mixed
    with pytest.raises(TypeError, match="joined by stimulus id"):
        compare(RDMs(a, [f"s{k}" for k in range(12)]), b)


def test_mismatched_lengths_raise(mixed):
    a, b = mixed
    with pytest.raises(ShapeMismatchError, match="66 pairs but RDMs in b have 65"):
        compare(a, b[:, :-1])


def test_wrong_dimensions_raise(mixed):
    # A (k, n, n) stack is square RDMs (tests/bad_input/test_bad_containers_and_files.py); other shapes are refused.
    with pytest.raises(ShapeMismatchError, match=r"condensed RDMs \(n_pairs,\) or \(n_rdms, n_pairs\)"):
        compare(np.zeros((2, 2, 3, 3)))
    with pytest.raises(ShapeMismatchError, match="a 3-D array must be a stack of square RDMs"):
        compare(np.zeros((2, 3, 4)))


def test_infinite_values_raise(mixed):
    a, b = (x.copy() for x in mixed)
    b[1, 4] = np.inf
    with pytest.raises(InvalidRDMError, match="RDM 1 of b has an infinite dissimilarity at entry 4 .stimuli 0 and 5"):
        compare(a, b, "pearson")


def test_non_triangular_lengths_are_fine_for_vector_comparators_only(rng):
    x, y = rng.normal(size=7), rng.normal(size=7)
    assert compare(x, y, "pearson").shape == (1, 1)
    with pytest.raises(InvalidRDMError):
        compare(x, y, "bures_similarity")


def test_options_are_checked(mixed):
    with pytest.raises(TypeError, match="'pearson' takes no option 'sigma_k'"):
        compare(*mixed, "pearson", sigma_k=np.ones(12))
    assert compare(*mixed, "corr_cov", sigma_k=np.ones(12)).shape == (5, 4)


def test_import_is_light():
    code = ("import sys, neuroalign.compare as c; "
            "print(sorted(m for m in ('numba', 'torch', 'scipy.sparse', 'scipy.linalg') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def test_every_test_named_in_the_docs_exists():
    here = Path(__file__).resolve().parent
    docs = (here.parents[1] / "docs" / "comparators.md").read_text()
    named = set(re.findall(r"(test_compare_\w+\.py)::(test_\w+)", docs))
    assert len(named) >= 10
    for filename, test in sorted(named):
        assert re.search(rf"^def {test}\(", (here / filename).read_text(), re.M), f"{filename}::{test} is missing"


def test_every_name_and_alias_is_documented():
    docs = (Path(__file__).resolve().parents[2] / "docs" / "comparators.md").read_text()
    for name in [*COMPARATORS.names(), *ALIASES, *NOT_ALIASED]:
        assert f"`{name}`" in docs, name
