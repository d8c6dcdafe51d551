"""The contract every RDM distance follows: additive statistics over blocks of units, then a finalisation.

A distance sees the patterns one block of units (channels) at a time, as a ``(B, R, n, c)`` tensor: ``B`` batch
entries (subjects, ROIs, time points, layers), ``R`` runs, ``n`` stimuli, ``c`` units. It turns each block into
Gram-type sums (:meth:`Distance.statistics`); sums of those over all blocks are exactly the sums over all units, so
:meth:`Distance.finalize` gives the same ``(B, n, n)`` matrices whether the units came in one block (in memory) or
in many (streamed from disk). The engine in :mod:`neuroalign.rdm.streaming` drives this; a distance never reads
data itself.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

import torch

from neuroalign.errors import InvalidOptionError, NotEnoughRunsError
from neuroalign.rdm.backend import Backend
from neuroalign.rdm.measurements import Measurements
from neuroalign.rdm.precision import Precision
from neuroalign.rdm.validate import Labels

Stats = dict[str, torch.Tensor]


class Distance(ABC):
    """Base class of RDM distances: the registry entry that owns everything about a distance's name.

    Attributes describe the distance to every consumer (no code dispatches on names): the engine, the RDM
    embedding of :mod:`neuroalign.alignment`, classical MDS in reports, RSA as a metric.

    - ``cross_validated``: uses runs as independent measurements (needs at least two); otherwise runs are
      averaged before the distance is computed.
    - ``additive``: the distance is a sum over channels, so ``normalize=True`` (divide by the number of channels,
      rsatoolbox's convention) is meaningful.
    - ``uses_noise``: accepts a noise precision.
    - ``unbalanced``: a cross-validated distance that has an estimator for stimuli missing from some runs
      (:meth:`unbalanced_statistics`, :meth:`unbalanced_finalize`); without one such input is refused.
    - ``squared``: ``True`` when the values are squared Euclidean distances between (possibly standardised or
      whitened) patterns, so that ``-1/2 H D H`` is the Gram matrix of the centred patterns (correlation, cosine,
      sqeuclidean, sqmahalanobis, crossnobis); ``False`` for plain Euclidean distances, squared before
      double centring (euclidean, mahalanobis); ``None`` where no Euclidean geometry exists (a divergence such as
      poisson): such RDMs cannot be embedded.
    - ``invariances``: transforms of the features that leave the RDM unchanged (names from
      :data:`neuroalign.metrics.INVARIANCES`), computed from one feature matrix without a noise precision.
    - ``homogeneous``: multiplying every feature by ``c`` multiplies the RDM by a positive factor (``|c|`` or
      ``c**2``), so a scale-free comparator ignores isotropic scaling.
    - ``nonnegative_input``: the distance needs rates or counts (values >= 0).
    """

    #: The registered name; :class:`~neuroalign.core.rdms.RDMs` record it as their ``distance``.
    name: str = ""
    cross_validated: bool = False
    additive: bool = False
    uses_noise: bool = False
    unbalanced: bool = False
    squared: bool | None = None
    invariances: frozenset[str] = frozenset()
    homogeneous: bool = False
    nonnegative_input: bool = False

    @property
    def embeddable(self) -> bool:
        """Whether its RDMs double-centre into a Gram matrix of patterns (``squared`` is not ``None``)."""
        return self.squared is not None

    @property
    def from_features(self) -> bool:
        """Whether it is defined on one matrix of real-valued features (no runs, no counts): RSA as a metric."""
        return not self.cross_validated and not self.nonnegative_input

    # --- options -------------------------------------------------------------------------------------------------
    def check_options(self, *, noise_given: bool, normalize: bool) -> None:
        """Reject options that do not apply to this distance instead of ignoring them.

        Raises
        ------
        InvalidOptionError
            If a noise precision is given to a distance that has none, or ``normalize`` to a bounded distance.
        """
        if noise_given and not self.uses_noise:
            raise InvalidOptionError(f"distance {self.name!r} takes no noise precision; use 'mahalanobis', "
                                     "'sqmahalanobis' or 'crossnobis'")
        if normalize and not self.additive:
            raise InvalidOptionError(f"normalize=True divides a sum over channels by their number; distance "
                                     f"{self.name!r} is not such a sum")

    def working_squares(self, unbalanced: bool = False) -> float:
        """How many ``(B, n, n)`` tensors of the compute dtype are alive at once while this distance accumulates,
        finalises and is condensed (``unbalanced``: stimuli missing from some runs); read by the memory
        preflight. The default is generous; the built-in distances state theirs."""
        return 4.0

    def check_runs(self, n_runs: int, where: str) -> None:
        """Raise :class:`NotEnoughRunsError` if a cross-validated distance gets fewer than two runs."""
        if self.cross_validated and n_runs < 2:
            raise NotEnoughRunsError(f"distance {self.name!r} is cross-validated over runs and needs at least 2 "
                                     f"independent runs; {where} has {n_runs}. Give a Recording with a 'run' axis")

    # --- per block -----------------------------------------------------------------------------------------------
    def prepare(self, block: torch.Tensor) -> torch.Tensor:
        """Runs of a raw ``(B, R, n, c)`` block as the distance uses them: averaged unless cross-validated."""
        if self.cross_validated or block.shape[1] == 1:
            return block
        return block.mean(dim=1, keepdim=True)

    def check_values(self, block: torch.Tensor, labels: Labels, offset: int) -> None:
        """Raise if a raw block holds values outside the distance's domain (e.g. negative rates); default: none."""

    def begin(self, block: torch.Tensor) -> Any:
        """State fixed from the first prepared block (e.g. a per-row shift); default: none."""
        return None

    @abstractmethod
    def statistics(self, block: torch.Tensor, state: Any, precision: Precision, span: tuple[int, int],
                   backend: Backend) -> Stats:
        """Additive sufficient statistics of one prepared ``(B, R, n, c)`` block holding units ``span``."""

    @abstractmethod
    def finalize(self, stats: Stats, state: Any, n_units: int, backend: Backend, labels: Labels) -> torch.Tensor:
        """``(B, n, n)`` dissimilarities from statistics summed over all units (before any normalisation)."""

    def unbalanced_statistics(self, block: torch.Tensor, measurements: Measurements, precision: Precision,
                              span: tuple[int, int], backend: Backend) -> Stats:
        """Like :meth:`statistics` when some stimuli are missing from some runs (see ``measurements``)."""
        raise NotImplementedError(f"distance {self.name!r} has no estimator for unequal measurements per stimulus")

    def unbalanced_finalize(self, stats: Stats, measurements: Measurements, n_units: int, backend: Backend,
                            labels: Labels) -> torch.Tensor:
        """Like :meth:`finalize` for statistics from :meth:`unbalanced_statistics`."""
        raise NotImplementedError(f"distance {self.name!r} has no estimator for unequal measurements per stimulus")

    def output(self, values: torch.Tensor) -> torch.Tensor:
        """The last step after the optional normalisation (a square root for plain distances); default: none."""
        return values

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"
