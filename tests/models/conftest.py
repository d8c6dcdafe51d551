"""Fixtures of the model tests (in model_fixtures, shared with tests/cache); the HuggingFace hub is never reached."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # models_helpers, also for subprocess scripts

from model_fixtures import _offline, cache, images  # noqa: E402,F401
