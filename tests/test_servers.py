"""The test servers' fixtures: what a server that cannot run here does to a test."""

from __future__ import annotations

import pytest

from servers.requirement import REQUIRE_SERVERS, skip_or_fail


def test_a_missing_server_skips_with_its_reason_or_fails_where_servers_are_required(monkeypatch):
    monkeypatch.delenv(REQUIRE_SERVERS, raising=False)
    with pytest.raises(pytest.skip.Exception, match="SLURM/munge not installed"):
        skip_or_fail("SLURM/munge not installed")
    monkeypatch.setenv(REQUIRE_SERVERS, "1")
    with pytest.raises(pytest.fail.Exception, match="NEUROALIGN_REQUIRE_SERVERS=1, but SLURM/munge not installed"):
        skip_or_fail("SLURM/munge not installed")

