"""The activation cache is filled by model extraction: its tests use the model tests' tiny nets and fixtures."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "models"))  # models_helpers, model_fixtures

from model_fixtures import _offline, cache, images  # noqa: E402,F401
