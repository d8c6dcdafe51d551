"""What every alignment measure declares about itself, and the base class of a measure."""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from neuroalign.backend import get_backend
from neuroalign.errors import InvalidPatternsError, NeuroAlignError, ShapeMismatchError

#: Transformations of one representation that a measure may be blind to (applied to ``x`` only, or to both).
INVARIANCES = frozenset({"orthogonal", "isotropic_scaling", "invertible_linear", "permutation", "translation"})


class MetricInputError(NeuroAlignError, ValueError):
    """Representations a measure cannot take: too few samples, k >= n, zero variance (names measure and constraint)."""


@dataclass(frozen=True)
class MetricInfo:
    """The declared properties of a measure; the property tests check every claim.

    Attributes
    ----------
    id : str
        Stable id, for example ``"cka.linear"`` or ``"knn.mutual.10"``.
    kind : {"similarity", "distance"}
        Whether larger means more alike (similarity) or less alike (distance).
    symmetric : bool
        Whether ``m(x, y) == m(y, x)``.
    is_metric : bool
        Whether it is a metric in the mathematical sense (a distance obeying the triangle inequality).
    invariances : frozenset of str
        Subset of :data:`INVARIANCES`: transforms of a representation that leave the value unchanged.
    min_samples : int
        The fewest stimuli the estimator is defined for.
    description : str
        One line for listings.
    """

    id: str
    kind: str
    symmetric: bool
    is_metric: bool
    invariances: frozenset[str] = field(default_factory=frozenset)
    min_samples: int = 2
    description: str = ""

    def __post_init__(self) -> None:
        if self.kind not in ("similarity", "distance"):
            raise ValueError(f"kind must be 'similarity' or 'distance'; got {self.kind!r}")
        unknown = set(self.invariances) - INVARIANCES
        if unknown:
            raise ValueError(f"unknown invariances {sorted(unknown)}; choose from {sorted(INVARIANCES)}")
        if self.is_metric and self.kind != "distance":
            raise ValueError("only a distance can be a metric")


class Metric(abc.ABC):
    """An alignment measure between two representations of the same ``n`` stimuli.

    Subclasses set :attr:`info` and implement :meth:`compute` on two float64 torch tensors ``(n, d_x)`` and
    ``(n, d_y)`` whose rows are already matched (same stimulus in the same row).
    """

    info: MetricInfo

    @abc.abstractmethod
    def compute(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """The value as a 0-d tensor."""

    def prepare(self, x: torch.Tensor) -> Any:
        """Work on one representation that every pair it takes part in can reuse (default: none).

        :func:`neuroalign.metrics.alignment_matrix` calls this once per representation and then
        :meth:`compute_prepared` once per pair; a measure overrides both to share centring, Grams or
        decompositions across pairs.
        """
        return x

    def compute_prepared(self, px: Any, py: Any) -> torch.Tensor:
        """The value from two :meth:`prepare` results (default: :meth:`compute` on the representations)."""
        return self.compute(px, py)

    def __call__(self, x: Any, y: Any, *, device: str | torch.device | None = None) -> float:
        """Validate, convert to float64 tensors on ``device`` and compute; returns a Python float.

        ``device``: ``None``, ``"cpu"`` and ``"auto"`` without a GPU compute in torch on the CPU; ``"cuda"`` (or
        ``"auto"`` with a GPU) on the GPU (``docs/conventions.md``, "Devices").
        """
        tx, ty = as_representation(x, "x", self.info), as_representation(y, "y", self.info)
        if tx.shape[0] != ty.shape[0]:
            raise ShapeMismatchError(f"{self.info.id}: x has {tx.shape[0]} stimuli but y has {ty.shape[0]}")
        dev = get_backend(device).torch_device  # no NumPy path: None and "cpu" are torch on the CPU
        return float(self.compute(tx.to(dev), ty.to(dev)))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.info.id}>"


def as_representation(x: Any, name: str, info: MetricInfo) -> torch.Tensor:
    """A ``(n, d)`` float64 tensor from an array or tensor, checked for finiteness and the sample minimum."""
    # torch cannot wrap numpy views with negative strides (x[:, ::-1]); a contiguous copy is made only then.
    t = torch.as_tensor(np.ascontiguousarray(x) if not isinstance(x, torch.Tensor) else x).to(torch.float64)
    if t.ndim != 2:
        raise ShapeMismatchError(f"{info.id}: {name} must be 2-D (stimulus x feature); got shape {tuple(t.shape)}")
    if not torch.isfinite(t).all():
        rows = torch.nonzero(~torch.isfinite(t).all(dim=1)).flatten().tolist()
        raise InvalidPatternsError(f"{info.id}: {name} has NaN or Inf in rows {rows[:10]}")
    if t.shape[0] < info.min_samples:
        raise MetricInputError(f"{info.id} needs at least {info.min_samples} stimuli; {name} has {t.shape[0]}")
    return t
