"""Dataset-adapter fixtures: an empty per-test cache, offline, no mirror unless a test passes one."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated(isolated_data_env):
    """Nothing in tests/datasets touches the user cache or the network."""
