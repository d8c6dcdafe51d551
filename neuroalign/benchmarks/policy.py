"""How a benchmark turns a comparison into a number that means something: intervals, seeds, commitment."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from neuroalign.errors import InvalidOptionError

COMMITMENTS = ("split", "crossval", "last", "none")


@dataclass(frozen=True)
class StatsPolicy:
    """The statistics a benchmark reports with every score.

    Attributes
    ----------
    n_bootstrap : int
        Resamples of the stimuli for the interval (0: no interval).
    level : float
        Coverage of the interval.
    interval : {"percentile"}
        Interval of the bootstrap samples (BCa needs a jackknife of the whole commitment, which is not run).
    seed : int
        Seeds the stimulus split of the layer commitment and the bootstrap: the same seed gives the same score.
    commitment : {"split", "crossval", "last", "none"}
        How a layer is committed to when a model offers several: ``"split"`` chooses it on one half of the stimuli
        and scores it on the other; ``"crossval"`` does that both ways round and averages the held-out scores;
        ``"last"`` commits to the last candidate layer (the model's last main layer, or the last layer given)
        before any data is seen, and scores every stimulus: for benchmarks with too few stimuli to hold any out;
        ``"none"`` scores every stimulus and is only allowed when a single layer is given.
    selection_fraction : float
        Share of the stimuli used to choose the layer under ``"split"``.
    """

    n_bootstrap: int = 1000
    level: float = 0.95
    interval: str = "percentile"
    seed: int = 0
    commitment: str = "split"
    selection_fraction: float = 0.5

    def __post_init__(self) -> None:
        if self.commitment not in COMMITMENTS:
            raise InvalidOptionError(f"commitment must be one of {COMMITMENTS}; got {self.commitment!r}")
        if self.interval != "percentile":
            raise InvalidOptionError(f"benchmark intervals are percentile bootstrap intervals; got {self.interval!r}")
        if self.n_bootstrap < 0:
            raise InvalidOptionError(f"n_bootstrap must be >= 0; got {self.n_bootstrap}")
        if not 0 < self.level < 1:
            raise InvalidOptionError(f"level must lie in (0, 1); got {self.level}")
        if not 0 < self.selection_fraction < 1:
            raise InvalidOptionError(f"selection_fraction must lie in (0, 1); got {self.selection_fraction}")

    def as_dict(self) -> dict[str, Any]:
        """The policy as plain values (stored with every score)."""
        return asdict(self)
