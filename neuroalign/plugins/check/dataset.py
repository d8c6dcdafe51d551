"""Conformance checks of a dataset plugin: its manifest validates and its stimulus ids agree everywhere."""

from __future__ import annotations

from typing import Any, Callable

from neuroalign.data.manifest import read_manifest_file
from neuroalign.datasets import load_dataset
from neuroalign.errors.adapters import NotProvidedError
from neuroalign.datasets.registry import DATASET_ADAPTERS
from neuroalign.plugins.check.results import require
from neuroalign.plugins.contracts import manifest_path
from neuroalign.plugins.resolve import PluginRecord


def check_manifest(record: PluginRecord) -> str:
    """``MANIFEST`` names a file that passes the manifest schema, whose id is the plugin's id and whose adapter is
    registered."""
    manifest = read_manifest_file(manifest_path(record.obj, record.id))
    require(manifest.id == record.id, f"the manifest's id is {manifest.id!r}, the entry point's {record.id!r}")
    require(manifest.adapter.name in DATASET_ADAPTERS,
            f"the manifest's adapter {manifest.adapter.name!r} is not registered")
    return f"{manifest.path.name}: {len(manifest.files)} file(s), adapter {manifest.adapter.name!r}"


def _provided(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except NotProvidedError:
        return None


def check_stimulus_ids(record: PluginRecord) -> str:
    """The manifest's stimulus count, the adapter's ``stimulus_set()`` and its recordings' or RDMs' stimulus ids
    agree (files are fetched and verified by sha256 on the way)."""
    data = load_dataset(record.id)
    ids = tuple(data.stimulus_set().stimulus_ids)
    count = data.manifest.stimuli["count"]
    require(len(ids) == count, f"stimulus_set() has {len(ids)} stimuli; the manifest says {count}")
    recordings = _provided(data.recordings) or []
    rdms = _provided(data.rdms)
    require(bool(recordings) or rdms is not None, "the adapter provides neither recordings nor RDMs")
    for k, recording in enumerate(recordings):
        extra = sorted(set(recording.stimulus_ids) - set(ids))
        missing = sorted(set(ids) - set(recording.stimulus_ids))
        require(not extra and not missing, f"recording {k} has stimulus ids {extra[:5]} not in stimulus_set() and "
                                           f"lacks {missing[:5]}")
    if rdms is not None:
        require(set(rdms.stimulus_ids) == set(ids), "the RDMs' stimulus ids differ from stimulus_set()'s")
    parts = [f"{len(recordings)} recording(s)"] if recordings else []
    parts += [f"{rdms.n_rdms} RDM(s)"] if rdms is not None else []
    return f"{count} stimuli; {', '.join(parts)}"


#: (check name, check) pairs of a dataset plugin.
DATASET_CHECKS: list[tuple[str, Callable[[PluginRecord], str]]] = [
    ("its manifest validates", check_manifest),
    ("stimulus ids agree between manifest, stimulus_set and data", check_stimulus_ids)]
