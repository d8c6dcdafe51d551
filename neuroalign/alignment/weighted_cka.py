"""Linear CKA (biased and debiased) of stimuli carrying integer weights, in batches: permutation nulls and bootstraps.

A bootstrap resample of stimuli is a count ``c_i`` per stimulus. Repeating a stimulus's row ``c_i`` times would put
the stimulus next to its own copies: their Gram entries are self-similarities posing as pairs, which inflates CKA
(the debiased estimator most: its whole point is to leave self-pairs out). So, as for resampled RDMs (see
:mod:`neuroalign.stats.resample`), the pair of a stimulus with its own copy is left out:

* biased: ``HSIC = sum_i c_i Kc_ii Lc_ii + sum_{i != j} c_i c_j Kc_ij Lc_ij`` with ``Kc`` the Gram centred with the
  weights (the usual ``tr(Kc Lc)`` when every ``c_i = 1``);
* debiased: the U-statistic of Song et al. (2012) over tuples of *distinct* stimuli, each tuple weighted by the
  product of its counts: ``S1 / N2 + S2 / N4 - 2 S3 / N3`` with ``S1 = sum_{i!=j} c_i c_j K_ij L_ij``,
  ``S3 = sum_{i,j,q distinct} c_i c_j c_q K_ij L_iq``, ``S2 = sum_{i,j,q,r distinct} c_i c_j c_q c_r K_ij L_qr`` and
  ``N_k`` the total weight of the ``k``-tuples; with every ``c_i = 1`` this is exactly the unbiased HSIC of
  :func:`neuroalign.metrics.hsic.hsic_unbiased`.

CKA is ``HSIC(K, L) / sqrt(HSIC(K, K) HSIC(L, L))``; a non-positive self-term gives NaN.
"""

from __future__ import annotations

import numpy as np


def _bdot(c1: np.ndarray, m: np.ndarray, c2: np.ndarray) -> np.ndarray:
    """``c1[b] @ m[b] @ c2[b]`` for every batch entry (``m`` may have a batch axis of 1)."""
    return np.einsum("bi,bij,bj->b", c1, np.broadcast_to(m, (c1.shape[0], *m.shape[1:])), c2)


def hsic_biased_weighted(k: np.ndarray, l: np.ndarray, c: np.ndarray) -> np.ndarray:
    """``(B,)`` biased HSIC numerators (unnormalised traces) of Grams ``(1|B, n, n)`` under counts ``c`` ``(B, n)``."""
    total = c.sum(axis=1)

    def centred(g: np.ndarray) -> np.ndarray:
        rows = np.einsum("bij,bj->bi", np.broadcast_to(g, (c.shape[0], *g.shape[1:])), c) / total[:, None]
        grand = (rows * c).sum(axis=1) / total
        return g - rows[:, :, None] - rows[:, None, :] + grand[:, None, None]

    kc, lc = centred(k), centred(l)
    product = kc * lc
    diagonal = np.einsum("bii->bi", product)
    off = product - np.einsum("bi,ij->bij", diagonal, np.eye(product.shape[1]))
    return (c * diagonal).sum(axis=1) + _bdot(c, off, c)


def hsic_unbiased_weighted(k: np.ndarray, l: np.ndarray, c: np.ndarray) -> np.ndarray:
    """``(B,)`` weighted unbiased HSIC (see the module docstring) of Grams ``(1|B, n, n)`` under counts ``(B, n)``."""
    eye = np.eye(k.shape[1], dtype=bool)
    kt, lt = np.where(eye, 0.0, k), np.where(eye, 0.0, l)
    kl = kt * lt
    c2 = c * c
    a = np.einsum("bij,bj->bi", np.broadcast_to(kt, (c.shape[0], *kt.shape[1:])), c)
    b = np.einsum("bij,bj->bi", np.broadcast_to(lt, (c.shape[0], *lt.shape[1:])), c)
    s1 = _bdot(c, kl, c)
    u2 = _bdot(c2, kl, c2)
    s3 = (c * a * b).sum(axis=1) - _bdot(c, kl, c2)
    u1 = (c2 * a * b).sum(axis=1) - u2
    s2 = (c * a).sum(axis=1) * (c * b).sum(axis=1) - 4 * u1 - 2 * u2
    p1, p2, p3, p4 = (np.sum(c ** k_, axis=1) for k_ in (1, 2, 3, 4))
    n2 = p1 ** 2 - p2
    n3 = p1 ** 3 - 3 * p1 * p2 + 2 * p3
    n4 = p1 ** 4 - 6 * p1 ** 2 * p2 + 3 * p2 ** 2 + 8 * p1 * p3 - 6 * p4
    with np.errstate(invalid="ignore", divide="ignore"):
        return s1 / n2 + s2 / n4 - 2 * s3 / n3


def cka_weighted(k: np.ndarray, l: np.ndarray, c: np.ndarray, *, debiased: bool) -> np.ndarray:
    """``(B,)`` linear CKA of Grams ``k`` ``(1|B, n, n)`` and ``l`` ``(1|B, n, n)`` under counts ``c`` ``(B, n)``.

    NaN where a self-term is not positive (too few distinct stimuli, no variance).
    """
    hsic = hsic_unbiased_weighted if debiased else hsic_biased_weighted
    kl, kk, ll = hsic(k, l, c), hsic(k, k, c), hsic(l, l, c)
    enough = (c > 0).sum(axis=1) >= (4 if debiased else 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(enough & (kk > 0) & (ll > 0), kl / np.sqrt(np.abs(kk * ll)), np.nan)
