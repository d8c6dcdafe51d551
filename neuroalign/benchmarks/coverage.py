"""Which of a benchmark's stimuli a model's activations cover: all of them, or a refusal that names the rest.

A score on 91 of 92 stimuli is another number than a score on all 92 (another ceiling, another split), so it must
never sit unmarked beside full scores. Activations must hold exactly the benchmark's stimuli; a benchmark that
declares ``allow_missing_stimuli = True`` accepts a subset instead, and the score then records how many stimuli
it was computed on (``provenance["stimuli"]``, the store's ``n_scored`` / ``n_stimuli`` columns, the leaderboard).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from neuroalign.errors.benchmarks import StimulusCoverageError

#: How many missing or extra ids a message (and the provenance) lists.
SHOWN = 10


@dataclass(frozen=True)
class StimulusCoverage:
    """The benchmark's stimuli a model's activations cover.

    Attributes
    ----------
    scored : tuple of str
        The covered ids, in the benchmark's order (the order splits and resamples are drawn in).
    missing : tuple of str
        The benchmark's ids the activations lack (empty unless the benchmark allows missing stimuli).
    """

    scored: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def total(self) -> int:
        """The number of the benchmark's stimuli."""
        return len(self.scored) + len(self.missing)

    def as_dict(self) -> dict[str, Any]:
        """``{"scored": n, "total": N, "missing": [first ids]}``, kept in a score's provenance."""
        return {"scored": len(self.scored), "total": self.total, "missing": list(self.missing[:SHOWN])}


def _listing(ids: Sequence[str]) -> str:
    more = f" and {len(ids) - SHOWN} more" if len(ids) > SHOWN else ""
    return ", ".join(repr(i) for i in ids[:SHOWN]) + more


def stimulus_coverage(model_id: str, benchmark: Any, expected: Sequence[str], returned: Sequence[str]) -> StimulusCoverage:
    """Check the ids a model returned against the benchmark's stimuli.

    Parameters
    ----------
    model_id : str
        Named in the error.
    benchmark : Benchmark
        Its ``id`` and ``allow_missing_stimuli`` are read.
    expected : sequence of str
        The benchmark's stimulus ids, in its order.
    returned : sequence of str
        The ids of the model's activations (any order).

    Returns
    -------
    StimulusCoverage

    Raises
    ------
    StimulusCoverageError
        For ids the benchmark does not have; for missing ids unless the benchmark allows them; for fewer than 3
        covered stimuli.
    """
    present = set(returned)
    known = set(expected)
    missing = tuple(i for i in expected if i not in present)
    extra = [i for i in returned if i not in known]
    allowed = bool(getattr(benchmark, "allow_missing_stimuli", False))
    if extra or (missing and not allowed):
        parts = []
        if missing:
            parts.append(f"missing {len(missing)} of its {len(expected)} stimuli ({_listing(missing)})")
        if extra:
            parts.append(f"{len(extra)} ids the benchmark does not have ({_listing(extra)})")
        raise StimulusCoverageError(
            f"model {model_id!r} returned activations for {len(present & known)} of the {len(expected)} stimuli of "
            f"benchmark {benchmark.id!r}: {'; '.join(parts)}. A score on other stimuli is not comparable with the "
            f"benchmark's scores: make the model (or its features file) cover exactly the benchmark's stimuli.")
    scored = tuple(i for i in expected if i in present)
    if len(scored) < 3:
        raise StimulusCoverageError(f"model {model_id!r} covers {len(scored)} of the {len(expected)} stimuli of "
                                    f"benchmark {benchmark.id!r}; a score needs at least 3")
    return StimulusCoverage(scored, missing)
