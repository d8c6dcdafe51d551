"""Seeded resampling of stimuli and subjects, and what a resample of stimuli does to condensed RDM pairs.

A bootstrap sample of stimuli is summarised by the count ``c_i`` of each original stimulus in it. The condensed
RDM of the resampled stimuli holds, for every two positions ``p < q`` whose stimuli are *distinct* originals
``i != j``, the original dissimilarity ``d_ij``; the pair of a stimulus with its own copy is dropped (it is not a
measured dissimilarity, and counting it as 0 would inflate every correlation). Original pair ``(i, j)`` therefore
occurs exactly ``c_i * c_j`` times, which is what :func:`pair_weights` returns; :func:`pair_index` builds the
explicit index of the resampled pairs instead, for comparators that need the expanded vector.
"""

from __future__ import annotations

import numpy as np

from neuroalign.core.condensed import upper_indices

#: The fewest distinct stimuli a resampled RDM comparison is defined for (2 stimuli give a single pair).
MIN_STIMULI = 3


def as_generator(seed: int | np.random.Generator | None) -> np.random.Generator:
    """A ``numpy.random.Generator`` from a seed (an existing generator is used as is)."""
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def draw_indices(rng: np.random.Generator, n_samples: int, n: int) -> np.ndarray:
    """``(n_samples, n)`` indices drawn with replacement from ``range(n)``."""
    return rng.integers(0, n, size=(n_samples, n))


def counts_from_indices(indices: np.ndarray, n: int) -> np.ndarray:
    """``(n_samples, n)`` float64 counts of each original item in each resample."""
    rows = np.repeat(np.arange(indices.shape[0]), indices.shape[1])
    counts = np.zeros((indices.shape[0], n))
    np.add.at(counts, (rows, indices.ravel()), 1.0)
    return counts


def pair_weights(counts: np.ndarray) -> np.ndarray:
    """``(n_samples, n_pairs)`` multiplicity ``c_i * c_j`` of each original pair in each stimulus resample."""
    rows, cols = upper_indices(counts.shape[1])
    return counts[:, rows] * counts[:, cols]


def condensed_index(i: np.ndarray, j: np.ndarray, n: int) -> np.ndarray:
    """Condensed position of the pairs ``(i, j)``, ``i != j``, of ``n`` stimuli (either order)."""
    lo, hi = np.minimum(i, j), np.maximum(i, j)
    return lo * n - lo * (lo + 1) // 2 + (hi - lo - 1)


def pair_index(indices: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The original condensed pair behind every pair of positions of each stimulus resample.

    Parameters
    ----------
    indices : ndarray, shape (n_samples, k)
        Resampled stimulus indices into ``range(n)``.
    n : int
        Number of original stimuli.

    Returns
    -------
    index : ndarray of int, shape (n_samples, k * (k - 1) / 2)
        Original condensed position of positions ``(p, q)``, ``p < q`` (0 where the pair is dropped).
    keep : ndarray of bool, same shape
        False for the pair of a stimulus with its own copy, which is dropped.
    """
    p, q = upper_indices(indices.shape[1])
    a, b = indices[:, p], indices[:, q]
    keep = a != b
    return np.where(keep, condensed_index(a, b, n), 0), keep


def permuted_pair_index(permutations: np.ndarray) -> np.ndarray:
    """``(n_perm, n_pairs)`` condensed index that relabels an RDM's rows and columns by each permutation.

    ``d[..., index[k]]`` is the condensed RDM whose entry ``(i, j)`` is the original ``(perm_k[i], perm_k[j])``.
    """
    n = permutations.shape[1]
    rows, cols = upper_indices(n)
    return condensed_index(permutations[:, rows], permutations[:, cols], n)


def draw_permutations(rng: np.random.Generator, n_perm: int, n: int) -> np.ndarray:
    """``(n_perm, n)`` independent uniform permutations of ``range(n)``."""
    return rng.permuted(np.tile(np.arange(n), (n_perm, 1)), axis=1)
