"""neuroalign's own datasets and metrics as listing records, described without importing heavy code.

Built-in datasets are the manifests in the manifest directories (the package's ``data_manifests/`` and any in
``$NEUROALIGN_MANIFESTS``); built-in metrics are the registered families, each described by its registry entry
(:class:`~neuroalign.metrics.MetricFamily`, registered without importing its module).
Built-in models and benchmarks need no such path: neuroalign registers its benchmarks through entry points.
"""

from __future__ import annotations

import sys
from pathlib import Path

from neuroalign import __version__
from neuroalign.data.manifest import builtin_manifest_dir, manifest_dirs
from neuroalign.metrics.registry import metric_families
from neuroalign.plugins.resolve import BUILTIN, PluginRecord

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


def _title(path: Path) -> str:
    # Listing reads the title only; a malformed manifest is still listed (``neuroalign data validate`` says why).
    # The top-level keys come before the first table, so the text above it is parsed first (a manifest's file
    # table is most of it); the whole file only when the title is not up there or that text does not parse alone.
    try:
        text = path.read_bytes().decode("utf-8")
        head = text.split("\n[", 1)[0]
        try:
            document = tomllib.loads(head)
        except tomllib.TOMLDecodeError:
            document = {}
        if "title" not in document:
            document = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return f"(unreadable manifest: {type(error).__name__})"
    title = document.get("title", "")
    return title if isinstance(title, str) else ""


def _manifest_files() -> list[tuple[Path, str]]:
    """Each manifest file of the manifest directories with where it comes from, the first of a duplicated id only."""
    own = builtin_manifest_dir()
    found: dict[str, tuple[Path, str]] = {}
    for directory in manifest_dirs():
        if directory.is_dir():
            for path in sorted(directory.glob("*.toml")):
                found.setdefault(path.stem, (path, BUILTIN if directory == own else str(directory)))
    return list(found.values())


def builtin_datasets() -> list[PluginRecord]:
    """One record per manifest file in the manifest directories (the first of a duplicated id wins, as in lookup).

    The distribution is ``neuroalign`` for the package's own manifests and the directory for those found through
    ``$NEUROALIGN_MANIFESTS``.
    """
    return [PluginRecord("dataset", path.stem, _title(path), where, __version__ if where == BUILTIN else "",
                         value=None) for path, where in _manifest_files()]


def builtin_metrics() -> list[PluginRecord]:
    """One record per registered metric family (its id prefix), with the description its entry carries."""
    version = __version__
    return [PluginRecord("metric", family.prefix, family.description, BUILTIN, version)
            for family in metric_families()]


def builtin_ids(kind: str) -> set[str]:
    """The ids of the built-in items of ``kind``, without reading any manifest."""
    if kind == "dataset":
        return {path.stem for path, _ in _manifest_files()}
    if kind == "metric":
        return {family.prefix for family in metric_families()}
    return set()


def builtin_records(kind: str) -> list[PluginRecord]:
    """The built-in records of ``kind`` (none for models and benchmarks)."""
    if kind == "dataset":
        return builtin_datasets()
    if kind == "metric":
        return builtin_metrics()
    return []
