"""A distance is one class plus one registration: the engine, ``compare``, the alignment embedding, classical MDS and
RSA as a metric all read its entry. Each test registers test-only distances inside itself and removes them after."""

from __future__ import annotations

import contextlib
from typing import Any, Iterator

import numpy as np
import pytest
import torch
from scipy.spatial.distance import pdist, squareform

from neuroalign.alignment import BrainSource, embed_rdm
from neuroalign.compare import compare
from neuroalign.core.stimuli import StimulusSet
from neuroalign.errors import InvalidOptionError, InvalidRDMError
from neuroalign.metrics import get_metric
from neuroalign.rdm import DISTANCES, Distance, compute_rdms, register_distance


class CityBlock(Distance):
    """``sum_k |x_ik - x_jk|``: additive over channels, but no Euclidean geometry to double-centre."""

    additive = True
    homogeneous = True
    invariances = frozenset({"translation", "permutation"})

    def __init__(self, name: str, *, nonnegative_input: bool = False) -> None:
        self.name, self.nonnegative_input = name, nonnegative_input

    def statistics(self, block: torch.Tensor, state: Any, precision: Any, span: Any, backend: Any) -> dict:
        x = block[:, 0]  # runs are averaged by prepare(): (B, n, units)
        return {"sums": torch.cdist(x, x, p=1)}

    def finalize(self, stats: dict, state: Any, n_units: int, backend: Any, labels: Any) -> torch.Tensor:
        return stats["sums"]


class TwiceSquaredEuclidean(CityBlock):
    """``2 sum_k (x_ik - x_jk)^2``, declared squared (or its square root, declared plain)."""

    invariances = frozenset({"orthogonal", "translation", "permutation"})

    def __init__(self, name: str, *, squared: bool) -> None:
        self.name, self.squared = name, squared

    def statistics(self, block: torch.Tensor, state: Any, precision: Any, span: Any, backend: Any) -> dict:
        x = block[:, 0]
        return {"sums": 2.0 * torch.cdist(x, x) ** 2}

    def output(self, values: torch.Tensor) -> torch.Tensor:
        return values if self.squared else torch.sqrt(values)


@contextlib.contextmanager
def registered(*distances: Distance) -> Iterator[None]:
    for distance in distances:
        register_distance(distance)
    try:
        yield
    finally:
        for distance in distances:
            DISTANCES.unregister(distance.name)


def _points(n: int = 9, d: int = 2, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=(n, d))


IDS = [f"s{k}" for k in range(9)]


def test_a_registered_distance_runs_through_the_engine_compare_and_rsa():
    x, y = _points(), _points(seed=1)
    with registered(CityBlock("test_cityblock")):
        rdms = compute_rdms(x, "test_cityblock", stimulus_ids=IDS)
        np.testing.assert_allclose(rdms.dissimilarities[0], pdist(x, "cityblock"), rtol=1e-12)
        assert rdms.distance == "test_cityblock"
        other = compute_rdms(y, "test_cityblock", stimulus_ids=IDS)
        np.testing.assert_allclose(compare(rdms, other, "pearson"),
                                   [[np.corrcoef(pdist(x, "cityblock"), pdist(y, "cityblock"))[0, 1]]], rtol=1e-12)
        rsa = get_metric("rsa.test_cityblock.spearman")
        assert rsa(x, y) == pytest.approx(compare(rdms, other, "spearman")[0, 0], abs=1e-12)
        # the entry's invariances, plus isotropic scaling (homogeneous distance, scale-free comparator)
        assert rsa.info.invariances == {"translation", "permutation", "isotropic_scaling"}
        assert get_metric("rsa.test_cityblock.sqbures").info.invariances == {"translation", "permutation"}
    assert "test_cityblock" not in DISTANCES


def test_the_embedding_squares_exactly_the_distances_declared_plain():
    x = _points(d=3)
    xc = x - x.mean(axis=0)
    with registered(TwiceSquaredEuclidean("test_sq2", squared=True),
                    TwiceSquaredEuclidean("test_plain2", squared=False), CityBlock("test_cityblock")):
        for name in ("test_sq2", "test_plain2"):
            rdms = compute_rdms(x, name, stimulus_ids=IDS)
            gram = embed_rdm(rdms.to_square()[0], rdms.distance).gram
            np.testing.assert_allclose(gram, 2 * xc @ xc.T, atol=1e-10)  # -1/2 H (2 D) H with D squared distances
        # the same values under the other declaration are double-centred as they are: the field decides
        plain_values = compute_rdms(x, "test_plain2", stimulus_ids=IDS).to_square()[0]
        assert not np.allclose(embed_rdm(plain_values, "test_sq2").gram, 2 * xc @ xc.T, atol=1e-3)
        cityblock = compute_rdms(x, "test_cityblock", stimulus_ids=IDS)
        with pytest.raises(InvalidRDMError, match="'test_cityblock'.*no Euclidean geometry"):
            embed_rdm(cityblock.to_square()[0], cityblock.distance)
        source = BrainSource("brain", compute_rdms(x, "test_plain2", stimulus_ids=IDS))
        rep = source.representations(StimulusSet(IDS), IDS)["region"]
        np.testing.assert_allclose(rep.features @ rep.features.T, 2 * xc @ xc.T, atol=1e-10)


def test_classical_mds_of_a_plot_reads_the_entry():
    import matplotlib

    matplotlib.use("Agg")
    from neuroalign.report import plot_mds

    x = _points()
    with registered(TwiceSquaredEuclidean("test_sq2", squared=True),
                    TwiceSquaredEuclidean("test_plain2", squared=False)):
        for name in ("test_sq2", "test_plain2"):
            fig = plot_mds(compute_rdms(x, name, stimulus_ids=IDS))
            coords = fig.axes[0].collections[0].get_offsets()
            # points in 2-D: the plot reproduces their distances (times sqrt 2) exactly, either declaration
            np.testing.assert_allclose(pdist(coords), np.sqrt(2) * pdist(x), rtol=1e-8)


def test_rsa_offers_only_distances_defined_on_real_features():
    with registered(CityBlock("test_counts", nonnegative_input=True)):
        with pytest.raises(InvalidOptionError, match="'test_counts' cannot be computed from one feature matrix"):
            get_metric("rsa.test_counts.pearson")


def test_a_plot_of_a_built_in_squared_distance_is_not_squared_again():
    """Classical MDS of sqeuclidean RDMs of 2-D points gives the points back (main squared every RDM)."""
    import matplotlib

    matplotlib.use("Agg")
    from neuroalign.report import plot_mds

    x = _points()
    coords = plot_mds(compute_rdms(x, "sqeuclidean", stimulus_ids=IDS)).axes[0].collections[0].get_offsets()
    np.testing.assert_allclose(squareform(pdist(coords)), squareform(pdist(x)), atol=1e-8)
