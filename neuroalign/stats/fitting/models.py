"""RDM models: fixed, selection, weighted and interpolation (rsatoolbox's ``ModelFixed``, ``ModelSelect``,
``ModelWeighted`` and ``ModelInterpolate``).

A model predicts one condensed RDM from its parameters ``theta``:

- :class:`FixedModel`: one RDM, no parameter.
- :class:`SelectionModel`: one of several RDMs; ``theta`` is the index of the chosen one.
- :class:`WeightedModel`: ``sum_k theta_k * rdm_k``, a weighted sum of component RDMs (weights fitted by linear
  or non-negative least squares, see :mod:`neuroalign.stats.fitting.fit`).
- :class:`InterpolationModel`: a path through an ordered series of RDMs (a model's layers, a noise level);
  ``theta`` mixes two neighbours, ``w * rdm_k + (1 - w) * rdm_{k+1}``, negative weights clipped to zero.

Every model carries its component RDMs as an :class:`~neuroalign.core.rdms.RDMs` (the stimulus ids come with them;
data are joined to the model by id, never by position).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from neuroalign.core.rdms import RDMs
from neuroalign.errors import InvalidOptionError, InvalidRDMError

__all__ = ["FixedModel", "InterpolationModel", "RDMModel", "SelectionModel", "WeightedModel"]


@dataclass(frozen=True)
class RDMModel:
    """Base of the RDM models: a name and the component RDMs (see the module).

    Attributes
    ----------
    name : str
    rdms : RDMs
        The component RDMs, one row per component.
    """

    name: str
    rdms: RDMs
    kind: ClassVar[str] = "model"
    min_components: ClassVar[int] = 1

    def __post_init__(self) -> None:
        if not isinstance(self.rdms, RDMs):
            raise InvalidOptionError(f"RDM model {self.name!r}: rdms must be an RDMs container (with stimulus ids); "
                                     f"got {type(self.rdms).__name__}")
        if self.rdms.n_rdms < self.min_components:
            raise InvalidOptionError(f"a {self.kind} RDM model needs >= {self.min_components} component RDMs; "
                                     f"{self.name!r} has {self.rdms.n_rdms}")
        if self.rdms.has_missing:
            raise InvalidRDMError(f"RDM model {self.name!r} has missing (NaN) pairs; a model must predict every pair")

    @property
    def components(self) -> np.ndarray:
        """The component RDMs as condensed rows ``(n_components, n_pairs)``."""
        return self.rdms.dissimilarities

    @property
    def n_params(self) -> int:
        """Number of parameters in ``theta``."""
        return self.rdms.n_rdms

    def predict(self, theta: Any = None) -> np.ndarray:
        """The predicted condensed RDM ``(n_pairs,)`` for parameters ``theta``."""
        raise NotImplementedError


@dataclass(frozen=True)
class FixedModel(RDMModel):
    """One RDM, no parameter (``theta`` is ignored)."""

    kind: ClassVar[str] = "fixed"

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.rdms.n_rdms != 1:
            raise InvalidOptionError(f"a fixed RDM model has exactly one RDM; {self.name!r} has {self.rdms.n_rdms}")

    @property
    def n_params(self) -> int:
        return 0

    def predict(self, theta: Any = None) -> np.ndarray:
        return self.components[0]


@dataclass(frozen=True)
class SelectionModel(RDMModel):
    """One of several RDMs; ``theta`` is the (integer) index of the selected RDM."""

    kind: ClassVar[str] = "selection"

    @property
    def n_params(self) -> int:
        return 1

    def predict(self, theta: Any = 0) -> np.ndarray:
        index = int(np.asarray(theta).ravel()[0]) if theta is not None else 0
        if not 0 <= index < self.rdms.n_rdms:
            raise InvalidOptionError(f"selection model {self.name!r}: theta={index} selects no RDM "
                                     f"(0 to {self.rdms.n_rdms - 1})")
        return self.components[index]


def _weights(model: RDMModel, theta: Any, default: np.ndarray) -> np.ndarray:
    weights = default if theta is None else np.asarray(theta, dtype=np.float64).ravel()
    if weights.shape != (model.rdms.n_rdms,):
        raise InvalidOptionError(f"{model.kind} model {model.name!r}: theta needs {model.rdms.n_rdms} weights; "
                                 f"got {weights.size}")
    return weights


@dataclass(frozen=True)
class WeightedModel(RDMModel):
    """A weighted sum of component RDMs, ``theta @ components`` (``theta=None``: all weights one)."""

    kind: ClassVar[str] = "weighted"

    def predict(self, theta: Any = None) -> np.ndarray:
        return _weights(self, theta, np.ones(self.rdms.n_rdms)) @ self.components


@dataclass(frozen=True)
class InterpolationModel(RDMModel):
    """Linear interpolation between neighbours of an ordered series of RDMs (negative weights count as zero)."""

    kind: ClassVar[str] = "interpolation"
    min_components: ClassVar[int] = 2

    def predict(self, theta: Any = None) -> np.ndarray:
        default = np.zeros(self.rdms.n_rdms)
        default[:2] = 0.5
        return np.maximum(_weights(self, theta, default), 0.0) @ self.components
