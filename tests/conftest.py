"""Shared fixtures: the real recordings in ../shared/data, skipped with a reason when absent."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(scope="session")
def data_mirror() -> Path:
    """The development data mirror (``../shared/data``); tests needing real data skip without it."""
    if not (SHARED_DATA / "kriegeskorte2008_92images").is_dir():
        pytest.skip(f"real data mirror not found at {SHARED_DATA}")
    return SHARED_DATA
