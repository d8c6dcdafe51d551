"""Fixtures of the results-store tests: a store in a temporary directory and a record factory."""

from __future__ import annotations

from typing import Any, Callable

import pytest

from neuroalign.core import Score
from neuroalign.store import ResultRecord, ResultsStore


@pytest.fixture
def store(tmp_path) -> ResultsStore:
    """A new store file under ``tmp_path``, closed after the test."""
    with ResultsStore(tmp_path / "results.sqlite") as opened:
        yield opened


@pytest.fixture
def make_record() -> Callable[..., ResultRecord]:
    """``make_record(model, benchmark, value=..., ceiling=..., interval=..., **context)``."""

    def make(model: str = "model-a", benchmark: str = "bench-1", *, value: float = 0.5, ceiling: float | None = None,
             interval: tuple[float, float] | None = None, version: str = "1", **context: Any) -> ResultRecord:
        score = Score(value=value, metric="spearman", ceiling=ceiling, interval=interval)
        return ResultRecord(score, model, benchmark, version, **context)

    return make
