"""Distances of the form ``d_ij = (a_i - a_j) . (b_i - b_j)``, summed over channels, optionally cross-validated.

With ``K = A B^T`` this is ``K_ii + K_jj - K_ij - K_ji``. The members of the family differ only in the two maps
that turn a block of patterns into ``A`` and ``B``:

==================  ===================  ====================
distance            A                    B
==================  ===================  ====================
sqeuclidean         X                    X
sqmahalanobis       X P                  X
poisson             rates(X)             log rates(X)
==================  ===================  ====================

The cross-validated versions (crossnobis, poisson_cv) take ``a`` from one run and ``b`` from another, and average
``d`` over all ordered pairs of distinct runs, so independent noise in the two runs cancels in expectation (the
estimate is unbiased and may be negative). Because ``d`` depends on ``A`` and ``B`` only through differences of
rows, each run's columns can be centred across stimuli in every block without changing ``d``; that keeps the
Gram entries small (no cancellation from a large common offset) and is exact block by block. It is done where
such an offset exists (:mod:`neuroalign.rdm.centring`). When stimuli are
missing from some runs, the cross-validated versions use the unbalanced estimator of
:mod:`neuroalign.rdm.unbalanced` instead.
"""

from __future__ import annotations

from typing import Any

import torch

from neuroalign.rdm.backend import Backend
from neuroalign.rdm.centring import centred
from neuroalign.rdm.distance import Distance, Stats
from neuroalign.rdm.measurements import Measurements
from neuroalign.rdm.precision import Precision
from neuroalign.rdm.unbalanced import unbalanced_finalize, unbalanced_statistics
from neuroalign.rdm.validate import Labels


def _pair_difference(kernel: torch.Tensor, backend: Backend) -> torch.Tensor:
    """``K_ii + K_jj - K_ij - K_ji`` for a batch of ``(n, n)`` kernels, with one ``n x n`` temporary."""
    diag = torch.diagonal(kernel, dim1=-2, dim2=-1).clone()
    values = torch.add(kernel, kernel.transpose(-1, -2), out=backend.empty(kernel.shape))
    return values.neg_().add_(diag[..., :, None]).add_(diag[..., None, :])


def cross_run_kernel(a: torch.Tensor, b: torch.Tensor, *, transposable: bool, backend: Backend) -> torch.Tensor:
    """A kernel ``K`` with ``pair_difference(K) == sum over runs r != s of pair_difference(A_r B_s^T)``.

    ``a`` and ``b`` are ``(B, R, n, c)``. Two ways to get it:

    - pairwise: ``sum_{r != s} A_r B_s^T``. When ``A_s B_r^T`` is the transpose of ``A_r B_s^T`` (``transposable``:
      ``A = X P`` with ``P`` symmetric and ``B = X``), and since the pair difference is the same for a kernel and
      its transpose, the unordered pairs suffice: ``2 sum_{r<s} A_r B_s^T``, R(R-1)/2 products; else R(R-1).
    - totals: ``(sum_r A_r)(sum_s B_s)^T - sum_r A_r B_r^T``, R + 1 products; when ``A`` is ``B`` (no noise
      precision) each is a symmetric product ``Y Y^T``, which BLAS does in half the multiply-adds (``syrk``).

    We take whichever needs fewer multiply-adds: with ``A`` is ``B``, the pairwise form for 2 runs (one product,
    against three half ones) and the totals from 3 runs on (4 half products against 3 whole ones); with a noise
    precision, the pairwise form up to 3 runs. The two are not equally precise: the totals form subtracts the
    within-run products, which carry each run's noise energy, from the all-pairs product, so when noise dominates
    the signal the result is a small difference of large numbers (relative error about eps * |noise|^2 / |d|, still
    1e-13 for noise 100 times the signal's energy). The pairwise form adds only cross-run products; it wins ties.
    """
    runs = a.shape[1]
    symmetric = a is b
    pairwise = runs * (runs - 1) // (2 if transposable else 1) * 2  # in half products: a general one is two
    totals = (runs + 1) * (1 if symmetric else 2)
    if pairwise <= totals:
        kernel = None
        for r in range(runs):
            for s in range(r + 1 if transposable else 0, runs):
                if r == s:
                    continue
                product = backend.gram(a[:, r], b[:, s])
                kernel = product if kernel is None else kernel.add_(product)
        return kernel.mul_(2) if transposable else kernel
    a_sum = torch.sum(a, dim=1, out=backend.empty(a[:, 0].shape))
    kernel = backend.gram(a_sum, None if symmetric else torch.sum(b, dim=1, out=backend.empty(b[:, 0].shape)))
    del a_sum
    for r in range(runs):
        kernel.sub_(backend.gram(a[:, r], None if symmetric else b[:, r]))
    return kernel


class BilinearDistance(Distance):
    """Base of the ``(a_i - a_j)^T (b_i - b_j)`` family; subclasses supply :meth:`maps`.

    Parameters
    ----------
    name : str
        Registered name.
    cross_validated : bool
        Average over ordered pairs of distinct runs instead of averaging runs first.
    root : bool
        Return the square root (plain euclidean / Mahalanobis); never with cross-validation.
    """

    additive = True
    unbalanced = True
    #: Whether ``A_s B_r^T == (A_r B_s^T)^T`` (see :func:`cross_run_kernel`).
    transposable = True

    def __init__(self, name: str, *, cross_validated: bool = False, root: bool = False) -> None:
        if root and cross_validated:
            raise ValueError("a cross-validated distance may be negative and is never square-rooted")
        self.name = name
        self.cross_validated = cross_validated
        self.root = root
        self.squared = not root

    def begin(self, block: torch.Tensor) -> int:
        return block.shape[1]  # the number of runs, which the cross-validated average divides by

    def maps(self, block: torch.Tensor, precision: Precision, span: tuple[int, int], backend: Backend
             ) -> tuple[torch.Tensor, torch.Tensor]:
        """``(A, B)`` for a prepared ``(B, R, n, c)`` block, not centred; default ``A = B = X``.

        A map may be ``block`` itself (never written to); returning one tensor twice (``A is B``) lets the Gram
        use a symmetric product.
        """
        return block, block

    def _centred_maps(self, block: torch.Tensor, precision: Precision, span: tuple[int, int], backend: Backend
                      ) -> tuple[torch.Tensor, torch.Tensor]:
        a, b = self.maps(block, precision, span, backend)
        centred_a = centred(a, block, backend)
        return centred_a, (centred_a if b is a else centred(b, block, backend))

    def statistics(self, block: torch.Tensor, state: Any, precision: Precision, span: tuple[int, int],
                   backend: Backend) -> Stats:
        a, b = self._centred_maps(block, precision, span, backend)
        if not self.cross_validated:
            return {"kernel": backend.gram(a[:, 0], None if b is a else b[:, 0])}
        return {"kernel": cross_run_kernel(a, b, transposable=self.transposable, backend=backend)}

    def working_squares(self, unbalanced: bool = False) -> float:
        # The kernel and one product (or the pair differences and their scaled copy, or a root), plus the
        # condensed half; the unbalanced finalisation also holds the pair counts and one product with them.
        return 3.5 if unbalanced and self.cross_validated else 2.5

    def finalize(self, stats: Stats, state: Any, n_units: int, backend: Backend, labels: Labels) -> torch.Tensor:
        values = _pair_difference(stats.pop("kernel"), backend)
        if self.cross_validated:
            return values.div_(state * (state - 1))
        # Not cross-validated, the true value is >= 0; rounding can leave -ulp for identical patterns.
        return values.clamp_(min=0.0)

    def unbalanced_statistics(self, block: torch.Tensor, measurements: Measurements, precision: Precision,
                              span: tuple[int, int], backend: Backend) -> Stats:
        a, b = self.maps(block, precision, span, backend)
        return unbalanced_statistics(a, b, measurements, lambda x, y: cross_run_kernel(
            x, y, transposable=self.transposable, backend=backend))

    def unbalanced_finalize(self, stats: Stats, measurements: Measurements, n_units: int, backend: Backend,
                            labels: Labels) -> torch.Tensor:
        return unbalanced_finalize(stats, measurements)

    def output(self, values: torch.Tensor) -> torch.Tensor:
        return torch.sqrt(values) if self.root else values

