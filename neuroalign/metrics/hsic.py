"""HSIC estimators and CKA in Gram form (``n x n`` kernels) and, for linear kernels, in feature form.

Conventions
-----------
* Biased HSIC: ``tr(K H L H) / (n - 1)^2`` with ``H = I - 11^T / n`` (Gretton et al. 2005).
* Unbiased HSIC (Song et al. 2012): with ``K~`` and ``L~`` the Grams with their diagonals set to zero,
  ``[tr(K~ L~) + (1^T K~ 1)(1^T L~ 1) / ((n-1)(n-2)) - 2/(n-2) 1^T K~ L~ 1] / (n (n-3))``; needs ``n >= 4`` and may
  be negative.
* CKA: ``HSIC(K, L) / sqrt(HSIC(K, K) HSIC(L, L))`` with the same estimator in all three places. No epsilon is
  added anywhere: a representation without variance raises :class:`MetricInputError`.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from neuroalign.errors import ShapeMismatchError
from neuroalign.metrics._linalg import require_variance
from neuroalign.metrics.base import MetricInputError

#: rows per chunk in the feature form: bounds the centred copy held at once to about 32 MB at d = 4096
_CHUNK_ELEMENTS = 1 << 22


def centre_gram(k: torch.Tensor) -> torch.Tensor:
    """Double-centred copy ``H K H`` of an ``n x n`` Gram matrix, in O(n^2) (no product with ``H``)."""
    return k - k.mean(dim=0, keepdim=True) - k.mean(dim=1, keepdim=True) + k.mean()


def hsic_biased(k: torch.Tensor, l: torch.Tensor) -> torch.Tensor:
    """Biased HSIC ``tr(K H L H) / (n - 1)^2`` of two symmetric ``n x n`` Grams."""
    n = k.shape[0]
    return (centre_gram(k) * l).sum() / (n - 1) ** 2


def hsic_unbiased(k: torch.Tensor, l: torch.Tensor) -> torch.Tensor:
    """Unbiased HSIC of Song et al. (2012) of two symmetric ``n x n`` Grams (``n >= 4``; may be negative).

    The diagonals are removed before every term (copies; the inputs are untouched), which is what makes the
    estimator unbiased; keeping them is the usual mistake that yields negative self-HSIC and NaN CKA.
    """
    n = k.shape[0]
    if n < 4:
        raise MetricInputError(f"unbiased HSIC needs at least 4 stimuli; got {n}")
    kt = k - torch.diag_embed(torch.diagonal(k))
    lt = l - torch.diag_embed(torch.diagonal(l))
    trace_kl = (kt * lt).sum()
    sums = kt.sum() * lt.sum() / ((n - 1) * (n - 2))
    cross = 2.0 / (n - 2) * (kt.sum(dim=1) @ lt.sum(dim=1))
    return (trace_kl + sums - cross) / (n * (n - 3))


def cka_from_grams(k: torch.Tensor, l: torch.Tensor, *, debiased: bool = False, measure: str = "cka"
                   ) -> torch.Tensor:
    """CKA of two ``n x n`` Gram matrices (any kernel).

    Parameters
    ----------
    k, l : torch.Tensor
        Symmetric Gram matrices of the same stimuli (uncentred; centring is part of the estimator).
    debiased : bool
        Use the unbiased HSIC (Song et al. 2012) in numerator and denominator instead of the biased one.
    measure : str
        Name used in error messages.

    Returns
    -------
    torch.Tensor
        0-d tensor; in ``[0, 1]`` for the biased estimator with positive semi-definite kernels.

    Raises
    ------
    ShapeMismatchError
        When the Grams are not square or differ in size.
    MetricInputError
        When a self-HSIC is not positive (a kernel that centres to zero, or an unbiased estimate <= 0).
    """
    if k.ndim != 2 or k.shape[0] != k.shape[1] or k.shape != l.shape:
        raise ShapeMismatchError(f"{measure}: Gram matrices must be square and of one size; got {tuple(k.shape)} "
                                 f"and {tuple(l.shape)}")
    hsic = hsic_unbiased if debiased else hsic_biased
    kk, ll = hsic(k, k), hsic(l, l)
    for name, value, gram in (("x", kk, k), ("y", ll, l)):
        # A constant kernel centres to rounding noise, not to exact zero: compare with the kernel's own scale.
        scale = (torch.linalg.matrix_norm(gram) * gram.shape[0] * torch.finfo(gram.dtype).eps) ** 2
        if value <= scale:
            raise MetricInputError(f"{measure}: the Gram matrix of {name} has no variance left after centring "
                                   f"(self-HSIC {float(value):.3g}); CKA is undefined")
    return hsic(k, l) / torch.sqrt(kk * ll)


@dataclass(frozen=True)
class LinearTerms:
    """What linear-kernel HSIC needs from centred features ``xc``, ``yc`` (``K = xc xc^T``, ``L = yc yc^T``).

    Attributes
    ----------
    kl, kk, ll : torch.Tensor
        ``tr(KL) = ||yc^T xc||_F^2``, ``tr(KK)``, ``tr(LL)``.
    dk, dl : torch.Tensor
        Diagonals of ``K`` and ``L`` (squared row norms), ``(n,)``.
    n : int
        Number of stimuli.
    """

    kl: torch.Tensor
    kk: torch.Tensor
    ll: torch.Tensor
    dk: torch.Tensor
    dl: torch.Tensor
    n: int


def linear_terms(x: torch.Tensor, y: torch.Tensor, measure: str = "cka") -> LinearTerms:
    """Centre both representations and collect :class:`LinearTerms` without forming ``n x n`` Grams when ``d < n``.

    With ``d_x, d_y <= n`` the traces come from the ``d x d`` cross products, accumulated over chunks of rows so
    that no centred copy of a whole representation is held (peak memory ``O(d^2)``); otherwise from the Grams.
    """
    require_variance(x, measure, "x")
    require_variance(y, measure, "y")
    n, dx = x.shape
    dy = y.shape[1]
    mx, my = x.mean(dim=0), y.mean(dim=0)
    if dx > n or dy > n:
        xc, yc = x - mx, y - my
        k, l = xc @ xc.T, yc @ yc.T
        fro = torch.linalg.matrix_norm
        return LinearTerms((k * l).sum(), fro(k) ** 2, fro(l) ** 2, torch.diagonal(k).clone(),
                           torch.diagonal(l).clone(), n)
    xtx = x.new_zeros(dx, dx)
    yty = x.new_zeros(dy, dy)
    ytx = x.new_zeros(dy, dx)
    dk, dl = x.new_empty(n), x.new_empty(n)
    step = max(1, _CHUNK_ELEMENTS // max(dx, dy))
    for start in range(0, n, step):
        xc, yc = x[start:start + step] - mx, y[start:start + step] - my
        xtx.addmm_(xc.T, xc)
        yty.addmm_(yc.T, yc)
        ytx.addmm_(yc.T, xc)
        dk[start:start + step] = (xc * xc).sum(dim=1)
        dl[start:start + step] = (yc * yc).sum(dim=1)
    norm = torch.linalg.vector_norm
    return LinearTerms(norm(ytx) ** 2, norm(xtx) ** 2, norm(yty) ** 2, dk, dl, n)


def unbiased_from_terms(tr_kl: torch.Tensor, dk: torch.Tensor, dl: torch.Tensor, n: int) -> torch.Tensor:
    """Unbiased HSIC from centred-feature quantities; with ``K 1 = 0``: ``1^T K~ 1 = -tr K`` and ``K~ 1 = -diag K``."""
    diag = dk @ dl
    return (tr_kl - diag + dk.sum() * dl.sum() / ((n - 1) * (n - 2)) - 2.0 / (n - 2) * diag) / (n * (n - 3))
