"""Transformations of a representation, one per invariance a measure can declare, on well-conditioned random data.

The names are those of :data:`neuroalign.metrics.base.INVARIANCES`.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from neuroalign.registry import Registry


def _rotation(rng: np.random.Generator, d: int) -> np.ndarray:
    q, r = np.linalg.qr(rng.normal(size=(d, d)))
    return q * np.sign(np.diag(r))


def _orthogonal(z: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return z @ _rotation(rng, z.shape[1])


def _isotropic_scaling(z: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return z * float(np.exp(rng.uniform(-1.5, 1.5)))


def _invertible_linear(z: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    # Singular values in [0.5, 2]: the check is about the measure, not about rounding in an ill-conditioned map.
    d = z.shape[1]
    return z @ (_rotation(rng, d) * rng.uniform(0.5, 2.0, d) @ _rotation(rng, d))


def _permutation(z: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return z[:, rng.permutation(z.shape[1])]


def _translation(z: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return z + rng.normal(scale=3.0, size=z.shape[1])


#: invariance -> transform(z, rng) applied to one representation.
TRANSFORMS: Registry[Callable[[np.ndarray, np.random.Generator], np.ndarray]] = Registry("invariance")
for _name, _transform in (("orthogonal", _orthogonal), ("isotropic_scaling", _isotropic_scaling),
                          ("invertible_linear", _invertible_linear), ("permutation", _permutation),
                          ("translation", _translation)):
    TRANSFORMS.register(_name, _transform)


def related_pair(seed: int, n: int = 20, dx: int = 6, dy: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """Two representations of ``n`` stimuli sharing three latent dimensions, with unequal feature variances."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, dx)) * rng.uniform(0.5, 2.0, size=dx)
    y = x[:, :3] @ rng.normal(size=(3, dy)) + 0.5 * rng.normal(size=(n, dy))
    return x, y
