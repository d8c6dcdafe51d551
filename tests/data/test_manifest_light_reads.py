"""What `neuroalign list` and `neuroalign info BENCHMARK` read of a manifest without the schema check: a dataset's
title (the text above the first table) and its citation (issue 20, item 1)."""

from __future__ import annotations

import pytest

from neuroalign.data.manifest import builtin_manifest_dir, list_manifests, load_manifest, manifest_citation
from neuroalign.errors.adapters import ManifestError
from neuroalign.plugins.builtin import _title

SHIPPED = sorted(p.stem for p in builtin_manifest_dir().glob("*.toml"))


@pytest.mark.parametrize("dataset_id", SHIPPED)
def test_the_light_reads_are_the_checked_manifests_fields(dataset_id):
    manifest = load_manifest(dataset_id)  # the schema-checked reading
    assert manifest_citation(dataset_id) == manifest.citation
    assert _title(manifest.path) == manifest.title


@pytest.fixture
def own_manifests(tmp_path, monkeypatch):
    folder = tmp_path / "manifests"
    folder.mkdir()
    monkeypatch.setenv("NEUROALIGN_MANIFESTS", str(folder))
    return folder


def test_a_citation_that_is_not_text_gets_the_schemas_error(own_manifests):
    text = (builtin_manifest_dir() / "kriegeskorte2008_92images.toml").read_text(encoding="utf-8")
    start = text.index('citation = """')
    end = text.index('"""', start + len('citation = """')) + 3
    text = (text[:start] + "citation = 5" + text[end:]).replace('id = "kriegeskorte2008_92images"', 'id = "toy_ids"')
    (own_manifests / "toy_ids.toml").write_text(text, encoding="utf-8")
    assert "toy_ids" in list_manifests()
    with pytest.raises(ManifestError, match="citation"):
        manifest_citation("toy_ids")


def test_a_title_below_a_bracketed_line_of_a_long_string_is_still_found(tmp_path):
    """A line starting with "[" inside a multi-line string is not a table: the text above it does not parse alone,
    and the whole file is read."""
    path = tmp_path / "toy.toml"
    path.write_text('description = """\n[not a table]\n"""\ntitle = "Toy data"\n\n[source]\nurl = "x"\n',
                    encoding="utf-8")
    assert _title(path) == "Toy data"
    path.write_text('id = "toy"\n\n[source]\ntitle = "a table\'s key, not the title"\n', encoding="utf-8")
    assert _title(path) == ""
