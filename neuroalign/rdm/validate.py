"""Error messages of the RDM engine that point at the offending stimuli, runs, entries and channels.

Checks are cheap first (a sum, a minimum) and precise only when they fail: locating the bad values costs a full
scan, which is only paid on the way to raising.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import torch

from neuroalign.errors import DegeneratePatternError, InvalidPatternsError, NeuroAlignError

_SHOWN = 5  # how many offending places an error lists before summarising


@dataclass(frozen=True)
class Labels:
    """Names for the axes of a batch of blocks, used only to write error messages.

    Attributes
    ----------
    stimulus_ids : sequence of str
        Row ids.
    entries : sequence of str
        One label per batch entry (``"layer 'fc1'"``, ``"recording 0, time 0.1"``); empty strings when there is a
        single entry that needs no name.
    runs : sequence of str
        One label per run (``["0"]`` when there are no runs).
    """

    stimulus_ids: Sequence[str]
    entries: Sequence[str]
    runs: Sequence[str]

    def place(self, entry: int, run: int | None, row: int) -> str:
        """``stimulus 'x' (run 'r', layer 'l')`` for one batch entry, run and row."""
        where = [f"run {self.runs[run]!r}"] if run is not None and len(self.runs) > 1 else []
        if self.entries[entry]:
            where.append(self.entries[entry])
        suffix = f" ({', '.join(where)})" if where else ""
        return f"stimulus {self.stimulus_ids[row]!r}{suffix}"


def _listing(places: list[str]) -> str:
    shown = "; ".join(places[:_SHOWN])
    return shown + (f"; and {len(places) - _SHOWN} more" if len(places) > _SHOWN else "")


def raise_at(mask: torch.Tensor, labels: Labels, offset: int, problem: str, advice: str,
             error: type[NeuroAlignError] = InvalidPatternsError) -> None:
    """Raise ``error`` naming every place where the ``(B, R, n, c)`` ``mask`` is true.

    ``offset`` is the index of the block's first channel, so that channel numbers refer to the whole layer.
    """
    hits = torch.nonzero(mask).tolist()
    by_place: dict[str, list[int]] = {}
    for entry, run, row, col in hits:
        by_place.setdefault(labels.place(entry, run, row), []).append(offset + col)
    places = [f"{place} at channel{'s' if len(cols) > 1 else ''} {', '.join(map(str, cols[:3]))}"
              f"{f' and {len(cols) - 3} more' if len(cols) > 3 else ''}" for place, cols in by_place.items()]
    raise error(f"{problem} in the patterns of {_listing(places)}. {advice}")


def check_finite(block: torch.Tensor, labels: Labels, offset: int) -> None:
    """Raise :class:`InvalidPatternsError` if the ``(B, R, n, c)`` block holds NaN or Inf (naming where)."""
    if bool(torch.isfinite(block.sum())):
        return  # a finite total proves every entry finite; an overflowing total is re-checked exactly below
    bad = ~torch.isfinite(block)
    if bool(bad.any()):
        raise_at(bad, labels, offset, "NaN or Inf values",
                 "Remove or impute them (a stimulus missing from a run cannot enter an RDM computed here).")


def raise_degenerate(rows: torch.Tensor, labels: Labels, problem: str, advice: str) -> None:
    """Raise :class:`DegeneratePatternError` if any entry of the ``(B, n)`` boolean ``rows`` is true."""
    if not bool(rows.any()):
        return
    places = [labels.place(entry, None, row) for entry, row in torch.nonzero(rows).tolist()]
    raise DegeneratePatternError(f"{problem}: {_listing(places)}. {advice}")
