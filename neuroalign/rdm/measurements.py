"""Which (entry, run, stimulus) slots of a recording hold a measurement: unequal numbers of trials per stimulus.

A :class:`~neuroalign.core.recording.Recording` marks a stimulus missing from a run by NaN in *every* channel of
that run (the M/EEG loader pads conditions with fewer trials this way; the fMRI loaders mark a condition absent
from a run). The engine reads that mark once, over all channels, before any block is computed: a slot that is NaN
in every channel is missing; a NaN in only some channels is bad data and stays an error.

Missing slots never enter a distance as numbers:

- distances that average runs use, per stimulus, the mean of its measured runs (the mean of its trials);
- cross-validated distances use the unbalanced estimator of :mod:`neuroalign.rdm.unbalanced`.

Inside a block a missing slot is first set to zero (so that the NaN check sees only real data), then to the mean
of the stimulus' measured runs, which lies in every distance's domain (rates stay non-negative) and makes the
plain mean over runs equal the mean over the measured runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import torch

from neuroalign.errors import InvalidPatternsError
from neuroalign.rdm.backend import Backend
from neuroalign.rdm.validate import Labels

# Elements of the boolean temporary per step when scanning for missing slots (64 MB).
_SCAN_ELEMENTS = 64 * 2**20


def missing_slots(patterns: np.ndarray) -> tuple[np.ndarray | None, bool]:
    """``(b, R, n)`` mask of the slots of a ``(b, R, n, c)`` array that are NaN in every channel (or ``None``), and
    whether every value is finite.

    Scanned in steps over the batch axis, so that the boolean temporary stays small for a large recording. The
    scan sums every value, and a finite sum proves them all finite, so the engine need not check them again (a
    second pass over the patterns; :func:`~neuroalign.rdm.validate.check_finite`).
    """
    b, runs, n, c = patterns.shape
    out = np.zeros((b, runs, n), dtype=bool)
    finite = True
    step = max(1, _SCAN_ELEMENTS // max(1, runs * n * c))
    for start in range(0, b, step):
        # Any NaN first (a sum is cheap); the full per-slot test only where one exists.
        part = patterns[start:start + step]
        total = part.sum()
        finite = finite and bool(np.isfinite(total))
        if np.isnan(total):
            out[start:start + step] = np.isnan(part).all(axis=-1)
    return (out if out.any() else None), finite


@dataclass(frozen=True)
class Measurements:
    """The measured slots of a batch: ``present`` is a ``(B, R, n)`` float tensor of ones and zeros.

    Attributes
    ----------
    present : torch.Tensor
        1 where the stimulus was measured in that run (for that batch entry), 0 where it is missing.
    counts : torch.Tensor
        ``(B, n)``: the number of measured runs of each stimulus.
    """

    present: torch.Tensor
    counts: torch.Tensor

    @classmethod
    def from_masks(cls, missing: Sequence[np.ndarray | None], shapes: Sequence[tuple[int, int, int]],
                   labels: Labels, backend: Backend) -> "Measurements | None":
        """Stack one ``(b, R, n)`` missing mask (or None: all measured) per source; None when nothing is missing.

        Raises
        ------
        InvalidPatternsError
            If a stimulus has no measurement in any run (for some batch entry).
        """
        if all(m is None for m in missing):
            return None
        stacked = np.concatenate([np.zeros(shape, dtype=bool) if m is None else m
                                  for m, shape in zip(missing, shapes)], axis=0)
        present = ~stacked
        counts = present.sum(axis=1)
        if (counts == 0).any():
            places = [labels.place(entry, None, row) for entry, row in np.argwhere(counts == 0)[:5].tolist()]
            raise InvalidPatternsError(
                f"{len(np.argwhere(counts == 0))} stimulus slot(s) have no measurement in any run (NaN in every "
                f"channel of every run): {'; '.join(places)}. Drop these stimuli (select_stimuli) or supply their "
                "data.")
        weights = backend.tensor(present.astype(np.float64))
        return cls(weights, backend.tensor(counts.astype(np.float64)))

    def zero_missing(self, block: torch.Tensor) -> torch.Tensor:
        """A copy of a raw ``(B, R, n, c)`` block with the missing slots set to 0 (their NaN are not data)."""
        return torch.where(self.present[..., None] > 0, block, torch.zeros((), dtype=block.dtype,
                                                                            device=block.device))

    def impute_missing(self, zeroed: torch.Tensor) -> torch.Tensor:
        """The zeroed block, in place, with each missing slot set to the mean of its stimulus' measured runs."""
        means = zeroed.sum(dim=1, keepdim=True).div_(self.counts[:, None, :, None])
        missing = (1.0 - self.present)[..., None]
        return zeroed.addcmul_(missing, means)
