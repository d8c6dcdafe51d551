"""A dataset plugin's manifest is found by ``load_manifest`` / ``list_manifests`` and its adapter by
``load_dataset``, although neither lives in a manifest directory; the files are those the scaffold generates."""

from __future__ import annotations

import pytest

from fake_dists import write_distribution
from neuroalign.data import list_manifests, load_manifest
from neuroalign.data.settings import CACHE_ENV, OFFLINE_ENV
from neuroalign.datasets import load_dataset, validate_manifests
from neuroalign.plugins import get_plugin, list_plugins
from neuroalign.plugins.scaffold import plugin_files
from neuroalign.plugins.scaffold.names import plugin_names


@pytest.fixture
def dataset_plugin(site, tmp_path, monkeypatch):
    """The scaffolded ``tiny_patterns`` dataset plugin, installed by hand into ``site``."""
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv(OFFLINE_ENV, "1")
    names = plugin_names("tiny_patterns", "dataset")
    for relative, content in plugin_files("tiny_patterns", "dataset").items():
        if relative.startswith(names.package):
            path = site / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content) if isinstance(content, bytes) else path.write_text(content)
    write_distribution(site, names.distribution,
                       {"neuroalign.datasets": {"tiny_patterns": f"{names.package}:{names.camel}Dataset"}})
    return names


def test_manifest_found_through_the_plugin(dataset_plugin):
    assert "tiny_patterns" in list_manifests()
    manifest = load_manifest("tiny_patterns")
    assert manifest.adapter.name == "tiny_patterns" and manifest.path.parent.name == dataset_plugin.package
    assert not [p for p in validate_manifests() if "tiny_patterns" in str(p.path)]


def test_load_dataset_reads_the_shipped_file_offline(dataset_plugin):
    data = load_dataset("tiny_patterns")
    recordings = data.recordings(subject="sub02")
    assert len(recordings) == 1 and recordings[0].stimulus_ids == data.stimulus_set().stimulus_ids
    assert data.selectors() == {"subject": ("sub01", "sub02", "sub03")}


def test_listed_as_a_dataset_with_its_docstring(dataset_plugin):
    record = {r.id: r for r in list_plugins("datasets")}["tiny_patterns"]
    assert record.distribution == "neuroalign-tiny-patterns" and record.description.startswith("tiny_patterns:")
    assert get_plugin("dataset", "tiny_patterns").obj.MANIFEST == "tiny_patterns.toml"


def test_broken_dataset_plugin_does_not_hide_the_builtin_manifests(site):
    write_distribution(site, "bad-data", {"neuroalign.datasets": {"bad_data": "bad_data_mod:Adapter"}},
                       {"bad_data_mod.py": "import not_installed_anywhere\n"})
    assert "kriegeskorte2008_92images" in list_manifests()
    record = get_plugin("dataset", "bad_data")
    assert record.error == "ModuleNotFoundError: No module named 'not_installed_anywhere'"
