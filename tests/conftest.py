"""Shared fixtures: the real recordings in ../shared/data, and real servers (a one-node SLURM cluster, a
PostgreSQL server) started by the tests, each skipped with a reason when it cannot run here."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest

from servers.postgres_server import PostgresServer, postgres_unavailable_reason
from servers.requirement import skip_or_fail
from servers.slurm_cluster import SlurmCluster, slurm_unavailable_reason

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(scope="session")
def data_mirror() -> Path:
    """The development data mirror (``../shared/data``); tests needing real data skip without it."""
    if not (SHARED_DATA / "kriegeskorte2008_92images").is_dir():
        pytest.skip(f"real data mirror not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def slurm_cluster():
    """A single-node SLURM cluster (munged, slurmctld, slurmd from Debian's packages) with two CPU slots in the
    partition ``debug``, started in a temporary directory for the session (about 1 s) and torn down after it."""
    reason = slurm_unavailable_reason()
    if reason:
        skip_or_fail(reason)
    with SlurmCluster(cpus=2) as cluster:
        yield cluster


@pytest.fixture
def slurm(slurm_cluster, monkeypatch):
    """The session's SLURM cluster, with ``SLURM_CONF`` in this process's environment (dask-jobqueue runs sbatch
    with it); jobs a test leaves behind are cancelled, so the next test has both CPU slots."""
    monkeypatch.setenv("SLURM_CONF", str(slurm_cluster.conf))
    monkeypatch.setenv("PATH", slurm_cluster.env["PATH"])
    yield slurm_cluster
    ids = slurm_cluster.queued()
    if ids:
        slurm_cluster.run("scancel", *ids, check=False)
        slurm_cluster.wait_queue_empty()


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL server (Debian's package) on 127.0.0.1 with its data in a temporary directory, for the
    session (about 2 s); the psycopg driver must be importable too, since every test of it goes through it."""
    reason = postgres_unavailable_reason()
    try:
        import psycopg  # noqa: F401
    except ImportError:
        reason = reason or "psycopg is not installed (pip install 'neuroalign[postgres]')"
    if reason:
        skip_or_fail(reason)
    with PostgresServer() as server:
        yield server


_databases = itertools.count()


@pytest.fixture
def postgres_url(postgres_server) -> str:
    """``postgresql://neuroalign:...@127.0.0.1:PORT/test_N``: a new, empty database for this test, dropped after."""
    name = f"test_{os.getpid()}_{next(_databases)}"
    url = postgres_server.create_database(name)
    yield url
    postgres_server.drop_database(name)
