"""Fixtures of the model tests; the HuggingFace hub is never reached (HF_HUB_OFFLINE=1)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # models_helpers, also for subprocess scripts

from models_helpers import image_set  # noqa: E402

from neuroalign.cache import ActivationCache  # noqa: E402


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    # Never write into the user's real cache from a test that forgets to pass one.
    monkeypatch.setenv("NEUROALIGN_CACHE_DIR", str(tmp_path / "default-cache"))


@pytest.fixture
def cache(tmp_path: Path) -> ActivationCache:
    """An empty activation cache in a temporary directory."""
    return ActivationCache(tmp_path / "cache")


@pytest.fixture
def images(tmp_path: Path):
    """Ten drawn images as a stimulus set."""
    return image_set(tmp_path / "images", 10)
