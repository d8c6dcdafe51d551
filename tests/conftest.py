"""Shared fixtures: the real recordings in ../shared/data, real servers (a one-node SLURM cluster, a PostgreSQL
server) started by the tests, each skipped with a reason when it cannot run here, and tiny random-weight
transformers models built from configs (never downloaded)."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest

from neuroalign.data.settings import CACHE_ENV, MIRROR_ENV, OFFLINE_ENV
from servers.postgres_server import PostgresServer, postgres_unavailable_reason
from servers.requirement import skip_or_fail
from servers.slurm_cluster import SlurmCluster, slurm_unavailable_reason

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


#: Fixtures that start a real server for the session.
SERVER_FIXTURES = {"slurm_cluster", "postgres_server"}


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook, which reads the group marks into the node ids
def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist with ``--dist loadgroup`` (the README's test command), the tests of the real servers go to
    one worker: the session then starts one SLURM cluster and one PostgreSQL server, not one of each per worker."""
    for item in items:
        if SERVER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.xdist_group("servers"))


@pytest.fixture(scope="session")
def data_mirror() -> Path:
    """The development data mirror (``../shared/data``); tests needing real data skip without it."""
    if not (SHARED_DATA / "kriegeskorte2008_92images").is_dir():
        pytest.skip(f"real data mirror not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture
def isolated_data_env(tmp_path, monkeypatch):
    """An empty per-test data cache, offline, no mirror and no extra manifest directory (the data and dataset
    tests use it for every test: nothing touches the user cache or the network unless it serves the files)."""
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv(OFFLINE_ENV, "1")
    monkeypatch.delenv(MIRROR_ENV, raising=False)
    monkeypatch.delenv("NEUROALIGN_MANIFESTS", raising=False)


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



def repo_script(name: str):
    """The module ``scripts/<name>.py`` of the repository (scripts are not part of the installed package)."""
    import importlib.util
    import sys

    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory) -> dict[str, Path]:
    """The tiny random-weight transformers models of ``scripts/make_tiny_models.py`` (BERT, GPT-2, BART, ViT,
    ConvNeXt, ResNet, CLIP, SigLIP, Wav2Vec2), built once per session from configs: never downloaded."""
    pytest.importorskip("transformers")
    return repo_script("make_tiny_models").make_all(tmp_path_factory.mktemp("tiny-models"), quiet=True)


@pytest.fixture(scope="session")
def tiny_hub(tiny_models, tmp_path_factory) -> Path:
    """A Hugging Face home whose hub cache holds every tiny model as ``tiny-org/<name>`` at ``main``, laid out as
    the hub client lays it out (``scripts/fake_hub_cache.py``)."""
    home = tmp_path_factory.mktemp("hf-home")
    add = repo_script("fake_hub_cache").add_to_hub_cache
    for name, folder in tiny_models.items():
        add(folder, f"tiny-org/{name}", home / "hub")
    return home


@pytest.fixture
def hf_home(tiny_hub, monkeypatch) -> Path:
    """:func:`tiny_hub` as this test's ``HF_HOME``, with the hub unreachable (``HF_HUB_OFFLINE=1``)."""
    monkeypatch.setenv("HF_HOME", str(tiny_hub))
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    return tiny_hub


@pytest.fixture(scope="session")
def add_to_hub_cache():
    """``scripts/fake_hub_cache.add_to_hub_cache(folder, "ORG/NAME", hub_dir, commit=None, refs=("main",))``."""
    return repo_script("fake_hub_cache").add_to_hub_cache
