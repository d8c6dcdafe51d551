"""The formulations behind crossnobis all give rsatoolbox's values: pairwise or totals kernels, views, centring.

For 2 runs the kernel is one product ``X1 X2^T`` of views of the caller's array; from 3 runs on (one map) it is
``S S^T - sum_r X_r X_r^T`` in symmetric products; with a noise precision, pairwise up to 3 runs. Columns are
centred only where an offset dominates (:mod:`neuroalign.rdm.centring`). Each path against rsatoolbox's
``calc_rdm(method="crossnobis")`` (balanced) or ``calc_rdm_unbalanced`` (stimuli missing from some runs).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from neuroalign.rdm import compute_rdms
from neuroalign.rdm.backend import blas_ready, resolve_backend
from neuroalign.rdm.bilinear import cross_run_kernel
from neuroalign.rdm.blocks import ArrayBlocks
from neuroalign.rdm.streaming import choose_chunk

from rdm_helpers import padded_recording, rsa_dataset, rsatoolbox_unbalanced, run_recording

rsatoolbox = pytest.importorskip("rsatoolbox")
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")  # rsatoolbox casts string descriptors noisily

RTOL = 1e-10


def rsa_crossnobis(patterns, noise=None):
    rdms = rsatoolbox.rdm.calc_rdm(rsa_dataset(patterns), method="crossnobis", descriptor="stim",
                                   cv_descriptor="run", noise=noise)
    return rdms.get_vectors()[0]


def ours(patterns, noise=None, **kwargs):
    return compute_rdms(run_recording(patterns), "crossnobis", noise=noise, normalize=True, **kwargs).dissimilarities[0]


@pytest.mark.parametrize("runs", [2, 3, 4])
@pytest.mark.parametrize("noise", ["identity", "diagonal", "full"])
def test_every_kernel_form_equals_rsatoolbox(rng, runs, noise):
    p = 11
    patterns = rng.normal(size=(1, 8, p)) + rng.normal(scale=1.5, size=(runs, 8, p))
    weights = {"identity": None, "diagonal": rng.uniform(0.5, 2.0, size=p),
               "full": np.linalg.inv(np.cov(rng.normal(size=(p, 60))))}[noise]
    matrix = None if weights is None else (np.diag(weights) if weights.ndim == 1 else weights)
    np.testing.assert_allclose(ours(patterns, weights), rsa_crossnobis(patterns, matrix), rtol=RTOL)
    if noise != "full":  # a full precision couples all channels: one block only
        np.testing.assert_allclose(ours(patterns, weights, chunk_units=4), rsa_crossnobis(patterns, matrix), rtol=RTOL)


@pytest.mark.parametrize("runs", [3, 4])
def test_unequal_runs_per_stimulus_equal_rsatoolbox_unbalanced(rng, runs):
    patterns = rng.normal(size=(runs, 7, 9))
    present = np.ones((runs, 7), dtype=bool)
    present[2:, [1, 4]] = False  # stimuli 1 and 4 only in the first two runs
    for weights in (None, rng.uniform(0.5, 2.0, size=9)):
        got = compute_rdms(padded_recording(patterns, present), "crossnobis", normalize=True, noise=weights)
        want = rsatoolbox_unbalanced(patterns, present, "crossnobis",
                                     **({} if weights is None else {"noise": np.diag(weights)}))
        np.testing.assert_allclose(got.dissimilarities[0], want, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("runs", [2, 3, 4])
def test_pairwise_and_totals_kernels_have_the_same_pair_differences(rng, runs):
    backend = resolve_backend(None, torch.float64)
    x = torch.from_numpy(rng.normal(size=(2, runs, 6, 5)))
    kernel = cross_run_kernel(x, x, transposable=True, backend=backend).numpy()
    by_pairs = sum(x[:, r].numpy() @ x[:, s].numpy().swapaxes(-1, -2)
                   for r in range(runs) for s in range(runs) if r != s)

    def pair_differences(k):
        diag = np.diagonal(k, axis1=-2, axis2=-1)
        return diag[..., :, None] + diag[..., None, :] - k - k.swapaxes(-1, -2)

    np.testing.assert_allclose(pair_differences(kernel), pair_differences(by_pairs), rtol=1e-12, atol=1e-12)


def test_a_large_common_offset_is_centred_away(rng):
    """Raw intensities of 1e6 with differences of order 1: without centring the products would lose ~1e-4 of d."""
    signal = rng.normal(size=(2, 9, 30))
    expected = rsa_crossnobis(signal)  # the distances only see differences of rows: the offset changes nothing
    np.testing.assert_allclose(ours(signal + 1e6), expected, rtol=1e-7)
    np.testing.assert_allclose(ours(signal + 1e6, chunk_units=7), expected, rtol=1e-7)
    weights = rng.uniform(0.5, 2.0, size=30)
    np.testing.assert_allclose(ours(signal + 1e6, weights), rsa_crossnobis(signal, np.diag(weights)), rtol=1e-7)


def test_blocks_of_an_in_memory_array_are_views_read_in_place(rng):
    backend = resolve_backend(None, torch.float64)
    array = rng.normal(size=(1, 2, 5, 12))
    block = ArrayBlocks(array).read(3, 9)
    assert np.shares_memory(backend.tensor(block).numpy(), array)
    assert np.shares_memory(blas_ready(block), array)
    # strides BLAS cannot read in place are copied: a step along units, a reversed axis
    assert not np.shares_memory(blas_ready(array[..., ::2]), array)
    assert blas_ready(array[..., ::-1]).flags.c_contiguous
    # views need no copies: the same budget fits wider blocks
    assert ArrayBlocks(array).view_dtype == np.float64 and ArrayBlocks(array, np.arange(3)).view_dtype is None
    shape = (1, 2, 1000, 10_000)
    assert choose_chunk(shape, backend, None, full=False, view_dtype=np.dtype(np.float64)) == 10_000
    assert choose_chunk(shape, backend, None, full=False) < 10_000


@pytest.mark.parametrize("layout", ["fortran", "time_strided", "float32"])
def test_layouts_that_need_a_copy_give_the_same_values(rng, layout):
    patterns = rng.normal(size=(3, 8, 10))
    expected = rsa_crossnobis(patterns)
    if layout == "fortran":
        got = ours(np.asfortranarray(patterns))
    elif layout == "float32":
        got = ours(patterns.astype(np.float32).astype(np.float64), dtype=torch.float32)
        expected = rsa_crossnobis(patterns.astype(np.float32).astype(np.float64))
        np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-5)
        return
    else:  # a time axis makes units strided (time points are batch entries)
        from neuroalign import Recording

        stacked = np.stack([patterns, 2 * patterns], axis=-1)
        rec = Recording(stacked, [f"s{k:03d}" for k in range(8)], dims=("run", "stimulus", "channel", "time"))
        got = compute_rdms(rec, "crossnobis", normalize=True, chunk_units=3).dissimilarities
        np.testing.assert_allclose(got[1], 4 * expected, rtol=RTOL)
        got = got[0]
    np.testing.assert_allclose(got, expected, rtol=RTOL)
