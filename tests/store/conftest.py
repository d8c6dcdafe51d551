"""Fixtures of the results-store tests: a store on each backend (an SQLite file in a temporary directory, a new
database on the test PostgreSQL server) and a record factory."""

from __future__ import annotations

from typing import Any, Callable

import pytest

from neuroalign.core import Score
from neuroalign.store import ResultRecord, ResultsStore


@pytest.fixture(params=["sqlite", "postgresql"])
def store_target(request, tmp_path) -> str:
    """Where a new store goes: a file under ``tmp_path``, or the URL of a new PostgreSQL database."""
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_url")
    return str(tmp_path / "results.sqlite")


@pytest.fixture
def store(store_target) -> ResultsStore:
    """A new store on each backend, closed after the test: every test using it runs on SQLite and PostgreSQL."""
    with ResultsStore(store_target) as opened:
        yield opened


@pytest.fixture
def make_record() -> Callable[..., ResultRecord]:
    """``make_record(model, benchmark, value=..., ceiling=..., interval=..., **context)``."""

    def make(model: str = "model-a", benchmark: str = "bench-1", *, value: float = 0.5, ceiling: float | None = None,
             interval: tuple[float, float] | None = None, version: str = "1", **context: Any) -> ResultRecord:
        score = Score(value=value, metric="spearman", ceiling=ceiling, interval=interval)
        return ResultRecord(score, model, benchmark, version, **context)

    return make
