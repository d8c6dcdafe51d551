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
    try:
        with path.open("rb") as fh:
            title = tomllib.load(fh).get("title", "")
    except (OSError, tomllib.TOMLDecodeError) as error:
        return f"(unreadable manifest: {type(error).__name__})"
    return title if isinstance(title, str) else ""


def builtin_datasets() -> list[PluginRecord]:
    """One record per manifest file in the manifest directories (the first of a duplicated id wins, as in lookup).

    The distribution is ``neuroalign`` for the package's own manifests and the directory for those found through
    ``$NEUROALIGN_MANIFESTS``.
    """
    own = builtin_manifest_dir()
    records: dict[str, PluginRecord] = {}
    for directory in manifest_dirs():
        if not directory.is_dir():
            continue
        where = BUILTIN if directory == own else str(directory)
        for path in sorted(directory.glob("*.toml")):
            records.setdefault(path.stem, PluginRecord("dataset", path.stem, _title(path), where,
                                                       __version__ if where == BUILTIN else "", value=None))
    return list(records.values())


def builtin_metrics() -> list[PluginRecord]:
    """One record per registered metric family (its id prefix), with the description its entry carries."""
    version = __version__
    return [PluginRecord("metric", family.prefix, family.description, BUILTIN, version)
            for family in metric_families()]


def builtin_records(kind: str) -> list[PluginRecord]:
    """The built-in records of ``kind`` (none for models and benchmarks)."""
    if kind == "dataset":
        return builtin_datasets()
    if kind == "metric":
        return builtin_metrics()
    return []
