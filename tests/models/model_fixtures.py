"""Fixtures of the model and activation-cache tests (imported by both folders' conftest); the HuggingFace hub is
never reached (HF_HUB_OFFLINE=1)."""

from __future__ import annotations

from pathlib import Path

import pytest
from models_helpers import image_set

from neuroalign.cache import ActivationCache


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
