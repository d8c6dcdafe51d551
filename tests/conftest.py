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


ROOT = Path(__file__).resolve().parents[1]


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
