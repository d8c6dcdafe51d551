"""The :class:`RDMs` container: a stack of condensed dissimilarity vectors over the same stimulus ids."""

from __future__ import annotations

from typing import Any, Iterator, Mapping, Sequence

import numpy as np
import pandas as pd

from neuroalign.core.condensed import condensed_to_square, n_stimuli_from_pairs, square_to_condensed, upper_indices
from neuroalign.core.descriptors import descriptor_table
from neuroalign.core.ids import normalize_ids, positions, require_same_ids
from neuroalign.core.rdm_arrays import ATOL, RTOL, check_square, condensed_rows, float_array
from neuroalign.core.rdms_rsatoolbox import from_rsatoolbox, to_rsatoolbox
from neuroalign.errors import InvalidRDMError, ShapeMismatchError
from neuroalign.utils.renamed import renamed_keywords, warn_renamed


def _frozen(array: np.ndarray) -> np.ndarray:
    array = np.array(array, dtype=np.float64, copy=True)
    array.setflags(write=False)
    return array


class RDMs:
    """A stack of representational dissimilarity matrices over the same stimuli.

    Dissimilarities are stored condensed (the strict upper triangle in scipy's order), one row per RDM. NaN marks
    a missing pair; Inf is rejected. The container is immutable: every method returns a new object.

    Parameters
    ----------
    dissimilarities : array_like, shape (n_rdms, n_pairs), (n_pairs,), (n, n) or (n_rdms, n, n)
        Condensed dissimilarity vectors (a 1-D vector is one RDM), or square matrices, which must be symmetric with
        a zero diagonal. The number of ids says which layout a 2-D array has; for 3 stimuli a 3x3 array that looks
        square (symmetric, or a zero diagonal) reads both ways and raises
        :class:`~neuroalign.errors.AmbiguousLayoutError`: use :meth:`from_square` or :meth:`from_condensed`.
    stimulus_ids : sequence
        The ids of the ``n`` stimuli, in the order the matrices use; ``n_pairs == n * (n - 1) / 2``. ``None``,
        NaN and empty ids are refused.
    descriptors : DataFrame or mapping, optional
        One row per RDM (for example ``subject``, ``roi``, ``layer``, ``time``); scalars apply to every RDM.
    distance : str, optional
        The RDM distance that computed them, by its neuroalign name (``"correlation"``, ``"crossnobis"``, ...;
        see :data:`neuroalign.rdm.DISTANCES`). ``measure=`` is its deprecated spelling.

    Examples
    --------
    >>> rdms = RDMs.from_square(np.array([[0, 1.0], [1.0, 0]]), ["a", "b"], distance="euclidean")
    >>> rdms.n_rdms, rdms.n_stimuli
    (1, 2)
    """

    @renamed_keywords(measure="distance")
    def __init__(
        self,
        dissimilarities: Any,
        stimulus_ids: Sequence[object],
        *,
        descriptors: pd.DataFrame | Mapping[str, Any] | None = None,
        distance: str | None = None,
    ) -> None:
        ids = normalize_ids(stimulus_ids)
        values = condensed_rows(dissimilarities, n_stimuli=len(ids), name="dissimilarities", ids=ids)
        self._set(values, ids, descriptors, distance)

    def _set(self, values: np.ndarray, ids: tuple[str, ...], descriptors: Any, distance: str | None) -> None:
        if values.ndim != 2:
            raise ShapeMismatchError(f"condensed dissimilarities must be 1-D or 2-D (n_rdms, n_pairs); got shape "
                                     f"{values.shape}")
        if values.shape[0] == 0:
            raise ShapeMismatchError("RDMs need at least one RDM; got an empty stack")
        n = n_stimuli_from_pairs(values.shape[1])
        if n != len(ids):
            raise ShapeMismatchError(
                f"{values.shape[1]} pairs describe {n} stimuli, but {len(ids)} stimulus ids were given"
            )
        if np.isinf(values).any():
            rdm, pair = np.argwhere(np.isinf(values))[0]
            i, j = (k[pair] for k in upper_indices(n))
            raise InvalidRDMError(f"RDM {rdm} has an infinite dissimilarity between {ids[i]!r} and {ids[j]!r}")
        self._values = _frozen(values)
        self._ids = ids
        self._descriptors = descriptor_table(descriptors, values.shape[0], what="RDM")
        self._distance = distance

    # --- construction --------------------------------------------------------------------------------------------
    @classmethod
    @renamed_keywords(measure="distance")
    def from_square(
        cls,
        matrices: Any,
        stimulus_ids: Sequence[object],
        *,
        descriptors: pd.DataFrame | Mapping[str, Any] | None = None,
        distance: str | None = None,
        atol: float = ATOL,
        rtol: float = RTOL,
    ) -> "RDMs":
        """Build from square matrices, checking symmetry and a zero diagonal.

        Parameters
        ----------
        matrices : array_like, shape (n, n) or (n_rdms, n, n)
        atol, rtol : float
            An entry passes the symmetry and zero-diagonal checks within ``atol + rtol * m``, ``m`` the largest
            absolute entry (by default relative only, so that the checks do not depend on the data's units).

        Raises
        ------
        InvalidRDMError
            If a matrix is not square, not symmetric, or has a non-zero diagonal (the message names the stimuli).
        """
        mats = float_array(matrices, "matrices")
        if mats.ndim == 2:
            mats = mats[None]
        if mats.ndim != 3 or mats.shape[1] != mats.shape[2]:
            raise InvalidRDMError(f"square RDMs must have shape (n, n) or (n_rdms, n, n); got {np.shape(matrices)}")
        ids = normalize_ids(stimulus_ids)
        if mats.shape[1] != len(ids):
            raise ShapeMismatchError(f"matrices are {mats.shape[1]}x{mats.shape[1]} but {len(ids)} stimulus ids were given")
        check_square(mats, ids, atol=atol, rtol=rtol)
        return cls.from_condensed(square_to_condensed(mats), ids, descriptors=descriptors, distance=distance)

    @classmethod
    @renamed_keywords(measure="distance")
    def from_condensed(
        cls,
        vectors: Any,
        stimulus_ids: Sequence[object],
        *,
        descriptors: pd.DataFrame | Mapping[str, Any] | None = None,
        distance: str | None = None,
    ) -> "RDMs":
        """Build from condensed vectors only: every row is one RDM, whatever the array's shape.

        Use it where the constructor refuses an array as ambiguous (3 RDMs over 3 stimuli that look like one
        symmetric 3x3 matrix).

        Parameters
        ----------
        vectors : array_like, shape (n_pairs,) or (n_rdms, n_pairs)
        """
        values = float_array(vectors, "condensed dissimilarities")
        rdms = cls.__new__(cls)
        rdms._set(values[None, :] if values.ndim == 1 else values, normalize_ids(stimulus_ids), descriptors, distance)
        return rdms

    @classmethod
    def from_rsatoolbox(cls, rdms: Any, *, id_descriptor: str | None = None) -> "RDMs":
        """Convert an ``rsatoolbox.rdm.RDMs``.

        Parameters
        ----------
        rdms : rsatoolbox.rdm.RDMs
        id_descriptor : str, optional
            The pattern descriptor holding the stimulus ids. By default ``"stimulus_id"`` (what
            :meth:`to_rsatoolbox` writes); without it, rsatoolbox's positional ``"index"`` (or positions, for RDMs
            with no pattern descriptor) -- unless another pattern descriptor has a distinct value per pattern, which
            raises :class:`~neuroalign.errors.InvalidOptionError` asking which one holds the ids.

        Per-RDM descriptors are carried over (lists and arrays as tuples). The distance comes back from a round trip
        through :meth:`to_rsatoolbox`; any other rsatoolbox label is kept verbatim in the ``rsatoolbox_measure``
        descriptor and the distance is ``None``, because rsatoolbox's names mean other values than neuroalign's
        (see ``docs/distances.md``).
        """
        return from_rsatoolbox(cls, rdms, id_descriptor=id_descriptor)

    # --- basic properties ----------------------------------------------------------------------------------------
    @property
    def dissimilarities(self) -> np.ndarray:
        """Read-only ``(n_rdms, n_pairs)`` float64 array of condensed dissimilarities."""
        return self._values

    @property
    def stimulus_ids(self) -> tuple[str, ...]:
        """The stimulus ids, in matrix order."""
        return self._ids

    @property
    def descriptors(self) -> pd.DataFrame:
        """A copy of the per-RDM descriptor table (one row per RDM)."""
        return self._descriptors.copy()

    @property
    def distance(self) -> str | None:
        """The name of the RDM distance that computed them, if known (see :data:`neuroalign.rdm.DISTANCES`)."""
        return self._distance

    @property
    def measure(self) -> str | None:
        """Deprecated spelling of :attr:`distance`."""
        warn_renamed("RDMs.measure", "RDMs.distance", "RDMs", stacklevel=3)
        return self._distance

    @property
    def n_rdms(self) -> int:
        """Number of RDMs in the stack."""
        return self._values.shape[0]

    @property
    def n_stimuli(self) -> int:
        """Number of stimuli (conditions)."""
        return len(self._ids)

    @property
    def n_pairs(self) -> int:
        """Number of stimulus pairs, ``n * (n - 1) / 2``."""
        return self._values.shape[1]

    @property
    def has_missing(self) -> bool:
        """Whether any RDM has a missing (NaN) pair."""
        return bool(np.isnan(self._values).any())

    def __len__(self) -> int:
        return self.n_rdms

    def __iter__(self) -> Iterator["RDMs"]:
        for k in range(self.n_rdms):
            yield self[k]

    def __getitem__(self, index: int | slice | Sequence[int] | np.ndarray) -> "RDMs":
        """Select RDMs by position; always returns an :class:`RDMs`."""
        rows = np.arange(self.n_rdms)[index]
        rows = np.atleast_1d(rows)
        return self._replace(values=self._values[rows], descriptors=self._descriptors.iloc[rows])

    def __repr__(self) -> str:
        cols = ", ".join(self._descriptors.columns) or "none"
        return f"<RDMs: {self.n_rdms} x {self.n_stimuli} stimuli, distance={self._distance!r}, descriptors: {cols}>"

    def _replace(self, *, values: np.ndarray | None = None, ids: Sequence[str] | None = None,
                 descriptors: pd.DataFrame | None = None) -> "RDMs":
        return RDMs.from_condensed(
            self._values if values is None else values,
            self._ids if ids is None else ids,
            descriptors=self._descriptors if descriptors is None else descriptors,
            distance=self._distance,
        )

    # --- conversions ---------------------------------------------------------------------------------------------
    def to_condensed(self) -> np.ndarray:
        """A writable copy of the ``(n_rdms, n_pairs)`` condensed vectors."""
        return self._values.copy()

    def to_square(self) -> np.ndarray:
        """Square ``(n_rdms, n, n)`` matrices with a zero diagonal."""
        return condensed_to_square(self._values)

    def to_rsatoolbox(self) -> Any:
        """Convert to an ``rsatoolbox.rdm.RDMs`` (stimulus ids in the ``stimulus_id`` pattern descriptor).

        The values are exported unchanged. Their ``dissimilarity_measure`` is rsatoolbox's label only where
        rsatoolbox means exactly these values by it (``correlation``, and for RDMs divided by the channel count,
        ``normalize=True``: ``crossnobis``, ``squared euclidean``, ``squared mahalanobis``, ``euclidean``,
        ``mahalanobis``); any other distance is labelled ``"neuroalign:<distance>"`` (``"neuroalign:crossnobis"`` is
        rsatoolbox's ``crossnobis`` times the number of channels). See :mod:`neuroalign.core.distance_names`.
        """
        return to_rsatoolbox(self)

    def to_dataframe(self) -> pd.DataFrame:
        """Long table: one row per RDM and stimulus pair, with the RDM descriptors as columns."""
        rows, cols = upper_indices(self.n_stimuli)
        ids = np.asarray(self._ids, dtype=object)
        which = np.repeat(np.arange(self.n_rdms), self.n_pairs)
        frame = pd.DataFrame({"rdm": which, "stimulus_a": np.tile(ids[rows], self.n_rdms),
                              "stimulus_b": np.tile(ids[cols], self.n_rdms),
                              "dissimilarity": self._values.ravel()})
        # Row selection, not broadcasting: a descriptor value may itself be a tuple (a volume shape).
        repeated = self._descriptors.iloc[which].reset_index(drop=True)
        return pd.concat([frame, repeated.drop(columns=[c for c in repeated.columns if c in frame.columns])], axis=1)

    def to_hdf5(self, path: Any) -> None:
        """Write to an HDF5 file (atomically: a failed write leaves no file behind). See :mod:`neuroalign.core.rdms_io`."""
        from neuroalign.core.rdms_io import write_rdms_hdf5

        write_rdms_hdf5(self, path)

    @classmethod
    def from_hdf5(cls, path: Any) -> "RDMs":
        """Read RDMs written by :meth:`to_hdf5`."""
        from neuroalign.core.rdms_io import read_rdms_hdf5

        return read_rdms_hdf5(path)

    # --- selection and combination -------------------------------------------------------------------------------
    def reorder(self, stimulus_ids: Sequence[object]) -> "RDMs":
        """Select and reorder stimuli by id (a subset is allowed); the pairs follow."""
        target = normalize_ids(stimulus_ids)
        pos = positions(self._ids, target, source_name="RDMs")
        square = self.to_square()[:, pos][:, :, pos]
        return self._replace(values=square_to_condensed(square), ids=target)

    def aligned_to(self, other: "RDMs | Sequence[object]") -> "RDMs":
        """Reorder to the stimulus order of ``other`` (RDMs or ids), requiring exactly the same set of ids."""
        target = other.stimulus_ids if isinstance(other, RDMs) else normalize_ids(other)
        require_same_ids(self._ids, target, a_name="these RDMs", b_name="the target")
        return self if tuple(target) == self._ids else self.reorder(target)

    def select(self, **criteria: Any) -> "RDMs":
        """RDMs whose descriptors match every criterion; a list value matches any of its entries.

        Raises ``KeyError`` for an unknown descriptor and ``LookupError`` when nothing matches.
        """
        mask = np.ones(self.n_rdms, dtype=bool)
        for key, wanted in criteria.items():
            if key not in self._descriptors.columns:
                raise KeyError(f"no RDM descriptor {key!r}; available: {list(self._descriptors.columns)}")
            values = wanted if isinstance(wanted, (list, tuple, set)) else [wanted]
            mask &= self._descriptors[key].isin(values).to_numpy()
        if not mask.any():
            raise LookupError(f"no RDM matches {criteria}")
        return self[np.flatnonzero(mask)]

    def mean(self, weights: Sequence[float] | None = None) -> "RDMs":
        """The (weighted) mean RDM; a pair missing in some RDMs is averaged over the RDMs that have it."""
        w = np.ones(self.n_rdms) if weights is None else np.asarray(weights, dtype=np.float64)
        if w.shape != (self.n_rdms,):
            raise ShapeMismatchError(f"weights must have {self.n_rdms} entries; got shape {w.shape}")
        present = ~np.isnan(self._values)
        total = (np.where(present, self._values, 0.0) * w[:, None]).sum(axis=0)
        norm = (present * w[:, None]).sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(norm > 0, total / norm, np.nan)
        shared = [c for c in self._descriptors.columns if self._descriptors[c].nunique(dropna=False) == 1]
        # A one-row table, not a mapping: a shared value may itself be a tuple (a volume shape).
        return RDMs.from_condensed(mean, self._ids, descriptors=self._descriptors.iloc[:1][shared] if shared else None,
                                   distance=self._distance)

    def mean_by(self, descriptor: str) -> "RDMs":
        """One mean RDM per value of ``descriptor`` (in order of first appearance), e.g. sessions to subjects.

        Raises ``KeyError`` for an unknown descriptor.
        """
        if descriptor not in self._descriptors.columns:
            raise KeyError(f"no RDM descriptor {descriptor!r}; available: {list(self._descriptors.columns)}")
        values = list(dict.fromkeys(self._descriptors[descriptor]))
        return RDMs.concat(*[self.select(**{descriptor: v}).mean() for v in values])

    @classmethod
    def concat(cls, *stacks: "RDMs") -> "RDMs":
        """Stack several :class:`RDMs` over the same stimuli (reordered by id to the first); inputs are untouched."""
        if len(stacks) == 1 and not isinstance(stacks[0], RDMs):
            stacks = tuple(stacks[0])  # type: ignore[arg-type]
        if not stacks:
            raise ValueError("concat needs at least one RDMs object")
        first = stacks[0]
        aligned = [s.aligned_to(first) for s in stacks]
        distances = {s.distance for s in stacks}
        values = np.concatenate([s.dissimilarities for s in aligned], axis=0)
        descriptors = pd.concat([s._descriptors for s in aligned], ignore_index=True)
        out = RDMs.from_condensed(values, first.stimulus_ids, descriptors=descriptors,
                   distance=distances.pop() if len(distances) == 1 else None)
        return out

    def with_descriptors(self, **columns: Any) -> "RDMs":
        """A copy with descriptor columns added or replaced (scalars apply to every RDM)."""
        table = self._descriptors.copy()
        for key, value in descriptor_table(columns, self.n_rdms, what="RDM").items():
            table[key] = value.to_numpy()
        return self._replace(descriptors=table)
