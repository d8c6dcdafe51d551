"""``plugin new``: names are checked, nothing is overwritten, and every kind's files are complete."""

from __future__ import annotations

import hashlib
import sys

import pytest

from neuroalign.data.manifest import read_manifest_file
from neuroalign.plugins import InvalidPluginNameError, TargetExistsError, UnknownKindError
from neuroalign.plugins.scaffold import TEMPLATES, new_plugin, plugin_files
from neuroalign.plugins.scaffold.names import plugin_names

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


def test_names_derived_from_the_id():
    names = plugin_names("my-vision_net2", "model")
    assert (names.distribution, names.package, names.camel) == ("neuroalign-my-vision-net2",
                                                                "neuroalign_my_vision_net2", "MyVisionNet2")


@pytest.mark.parametrize("name, kind, message", [
    ("My-Net", "model", "lower-case"), ("my..net", "model", "invalid plugin name"), ("2net", "metric", "letter"),
    ("my-data", "dataset", "use 'my_data'"), ("neuroalign-extra", "model", "prefix"),
    ("x" * 51, "benchmark", "at most 50"), ("a-", "model", "invalid plugin name")])
def test_invalid_names_are_refused(name, kind, message):
    with pytest.raises(InvalidPluginNameError, match=message):
        plugin_names(name, kind)


def test_unknown_kind():
    with pytest.raises(UnknownKindError, match="unknown plugin kind 'modell'. Did you mean 'model'"):
        plugin_files("net", "modell")


def test_existing_target_is_never_overwritten(tmp_path):
    target = tmp_path / "neuroalign-net"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    with pytest.raises(TargetExistsError, match="exists already"):
        new_plugin("net", "model", tmp_path)
    assert [p.name for p in target.iterdir()] == ["keep.txt"] and (target / "keep.txt").read_text() == "mine"


@pytest.mark.parametrize("kind", sorted(TEMPLATES))
def test_every_kind_has_pyproject_entry_point_package_readme_and_tests(kind, tmp_path):
    folder = new_plugin("probe_thing", kind, tmp_path)
    with open(folder / "pyproject.toml", "rb") as fh:
        project = tomllib.load(fh)["project"]
    (point, value), = project["entry-points"][f"neuroalign.{kind}s"].items()
    module, _, attribute = value.partition(":")
    assert point == "probe_thing" and module == "neuroalign_probe_thing" and project["name"] == "neuroalign-probe-thing"
    init = (folder / module / "__init__.py").read_text()
    assert f"def {attribute}(" in init or f"class {attribute}(" in init
    assert "\nimport torch" not in init and "\nfrom torch" not in init
    assert (folder / "README.md").read_text().startswith("# neuroalign-probe-thing")
    assert list((folder / "tests").glob("test_*.py"))
    for path in folder.rglob("*.py"):
        compile(path.read_text(), str(path), "exec")


def test_dataset_manifest_lists_the_real_hash_of_the_file_it_ships(tmp_path):
    folder = new_plugin("probe_data", "dataset", tmp_path)
    manifest = read_manifest_file(folder / "neuroalign_probe_data" / "probe_data.toml")
    entry, = manifest.files
    shipped = folder / "neuroalign_probe_data" / "data" / "probe_data" / entry.name
    assert hashlib.sha256(shipped.read_bytes()).hexdigest() == entry.sha256 and shipped.stat().st_size == entry.size
