"""The centred Gram matrix of a fold's training rows, and the new rows' products with them, a block of features at
a time.

:func:`neuroalign.metrics.ridge_solver.decompose` needs ``K = Xc Xc^T + 1 1^T`` (``Xc``: the training rows
centred by their own mean) and ``Knew = (Xnew - mean) Xc^T``. Gathering and centring the training rows whole
would copy them twice (two 1600 x 2048 float32 copies, 25 MiB, more than the eigenbasis the fit is about); here
only :data:`FEATURE_BLOCK` columns at a time are gathered and centred (centring before the product keeps float32
accurate when features sit on a large offset), and each block's product is added to the total: at most two
``n x n`` arrays, less than the decomposition that follows needs. ``Knew`` is a second pass over the blocks, made
after the decomposition, so that it never sits beside LAPACK's workspace.

The products go through the backend's own ``matmul`` (NumPy's BLAS on the CPU). Calling scipy's BLAS here instead
(``syrk`` into the total in place) saved one ``n x n`` array but woke a second OpenBLAS thread pool (scipy ships
its own), whose spinning threads then slowed every later NumPy product of the fit by a third on 2 cores.
"""

from __future__ import annotations

from typing import Any, Iterator

import numpy as np

__all__ = ["FEATURE_BLOCK", "cross_gram", "training_gram"]

#: Feature columns gathered at a time: a 1600-row block is 1.6 MiB in float32, and BLAS runs at full speed on it.
FEATURE_BLOCK = 256


def _centred_blocks(hb: Any, x: Any, train: np.ndarray, new: np.ndarray | None) -> Iterator[tuple[Any, Any]]:
    """Each block of feature columns: the training rows centred, the new rows centred by the training mean."""
    for start in range(0, x.shape[1], FEATURE_BLOCK):
        columns = slice(start, start + FEATURE_BLOCK)
        block = x[train, columns]  # a copy (index array): centred in place
        mean = hb.sum(block, 0) / len(train)
        block -= mean
        yield block, None if new is None else x[new, columns] - mean


def _accumulate(total: Any, product: Any) -> Any:
    if total is None:
        return product
    total += product
    return total


def training_gram(hb: Any, x: Any, train: np.ndarray) -> Any:
    """``K`` of the rows ``train`` of ``x`` (see the module): symmetric, shape ``(len(train), len(train))``."""
    gram = None
    for block, _ in _centred_blocks(hb, x, train, None):
        gram = _accumulate(gram, hb.matmul(block, block.T))
    gram += 1.0  # the unpenalised intercept
    return gram


def cross_gram(hb: Any, x: Any, train: np.ndarray, new: np.ndarray) -> Any:
    """``Knew``, shape ``(len(new), len(train))``, of the rows ``new`` of ``x`` against the rows ``train``."""
    cross = None
    for block, new_block in _centred_blocks(hb, x, train, new):
        cross = _accumulate(cross, hb.matmul(new_block, block.T))
    return cross
