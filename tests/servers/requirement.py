"""Skip a test whose server cannot run here, or fail it where the servers are required (CI)."""

from __future__ import annotations

import os

import pytest

#: Set to 1 where the servers must be there (CI, after ``scripts/install.sh test``): a skip becomes a failure.
REQUIRE_SERVERS = "NEUROALIGN_REQUIRE_SERVERS"


def skip_or_fail(reason: str) -> None:
    """Skip the test with ``reason``, or fail it where ``$NEUROALIGN_REQUIRE_SERVERS`` is 1."""
    if os.environ.get(REQUIRE_SERVERS) == "1":
        pytest.fail(f"{REQUIRE_SERVERS}=1, but {reason}", pytrace=False)
    pytest.skip(reason)
