"""Dataset adapters registered by name, resolved lazily so that listing them imports no heavy code.

Built-in adapters are listed here as ``"module:Class"`` references; third-party ones come from the
``neuroalign.datasets`` entry-point group in exactly the same form. A manifest's ``[adapter] name`` picks one.
"""

from __future__ import annotations

import importlib
import inspect
from typing import TYPE_CHECKING, Any

from neuroalign.errors.adapters import ManifestError
from neuroalign.data.manifest import Manifest, load_manifest
from neuroalign.entry_points import conflicts, discover
from neuroalign.errors import PluginConflictError
from neuroalign.registry import Registry

if TYPE_CHECKING:
    from neuroalign.data.settings import MirrorSpec, PathLike
    from neuroalign.datasets.adapter import DatasetAdapter

#: Entry-point group through which installed packages register dataset adapters (see neuroalign.plugins).
ENTRY_POINT_GROUP = "neuroalign.datasets"

#: Adapter name -> ``"module:Class"``; nothing is imported until an adapter is used.
DATASET_ADAPTERS: Registry[str] = Registry("dataset adapter")

_BUILTIN = {
    "kriegeskorte2008": "neuroalign.datasets.kriegeskorte92:Kriegeskorte2008Adapter",
    "fmri_volume_labels": "neuroalign.datasets.fmri_adapter:FmriVolumeLabelsAdapter",
    "mne_epochs": "neuroalign.datasets.epochs_adapter:MneEpochsAdapter",
    "rdm_files": "neuroalign.datasets.file_adapters:RdmFilesAdapter",
    "pattern_files": "neuroalign.datasets.file_adapters:PatternFilesAdapter",
    "bids_fmri": "neuroalign.datasets.bids_adapter:BidsFmriAdapter",
    "bids_meeg": "neuroalign.datasets.bids_meeg_adapter:BidsMeegAdapter",
    "mne_kiloword": "neuroalign.datasets.mne_library:KilowordAdapter",
    "mne_visual92": "neuroalign.datasets.mne_library:Visual92Adapter",
    "things_meg": "neuroalign.datasets.things_images:ThingsMegAdapter",
}


#: Adapter names that several distributions register (name -> the distributions); used by none until resolved.
_CONFLICTS: dict[str, list[str]] = {}


def register_adapter(name: str, reference: str) -> None:
    """Register an adapter class under ``name`` by its ``"module:Class"`` reference."""
    DATASET_ADAPTERS.register(name, reference)


def register_plugin_adapters() -> None:
    """Register the adapters of the ``neuroalign.datasets`` entry points not registered yet.

    Runs when this module is imported and again when an unknown adapter name is asked for, so that a plugin
    installed while Python runs is found. An id that several distributions (or a distribution and neuroalign)
    register is recorded as a conflict instead.
    """
    entries = discover("dataset")
    clashing = conflicts(entries)
    for entry in entries:
        if ("dataset", entry.id) in clashing:
            _CONFLICTS[entry.id] = clashing[("dataset", entry.id)]
        elif entry.id in DATASET_ADAPTERS:
            # neuroalign registering its own adapter again is no clash; another package taking the name is.
            if DATASET_ADAPTERS.get(entry.id) != entry.value:
                _CONFLICTS.setdefault(entry.id, ["neuroalign", entry.distribution])
        else:
            register_adapter(entry.id, entry.value)


for _name, _reference in _BUILTIN.items():
    register_adapter(_name, _reference)
register_plugin_adapters()


def adapter_class(name: str) -> type:
    """Import and return the adapter class registered under ``name``.

    Raises
    ------
    UnknownNameError
        For a name no adapter is registered under.
    PluginConflictError
        For a name that several distributions register.
    """
    if name not in DATASET_ADAPTERS and name not in _CONFLICTS:
        register_plugin_adapters()
    if name in _CONFLICTS:
        raise PluginConflictError(f"dataset adapter {name!r} is registered by several distributions "
                                  f"({', '.join(_CONFLICTS[name])}); uninstall all but one")
    module, _, attribute = DATASET_ADAPTERS.get(name).partition(":")
    return getattr(importlib.import_module(module), attribute)


def _check_params(manifest: "Manifest", cls: type, params: dict[str, Any]) -> None:
    signature = inspect.signature(cls.__init__)
    accepted = {k for k, p in signature.parameters.items() if p.kind is p.KEYWORD_ONLY}
    takes_any = any(p.kind is p.VAR_KEYWORD for p in signature.parameters.values())
    unknown = sorted(set(params) - accepted)
    if unknown and not takes_any:
        raise ManifestError(manifest.path or manifest.id, f"adapter.params.{unknown[0]}",
                            f"is not a parameter of adapter {manifest.adapter.name!r}; "
                            f"it takes {sorted(accepted - {'mirror', 'cache', 'offline'})}")
    missing = sorted(k for k, p in signature.parameters.items()
                     if p.kind is p.KEYWORD_ONLY and p.default is p.empty and k not in params)
    if missing:
        raise ManifestError(manifest.path or manifest.id, f"adapter.params.{missing[0]}",
                            f"is required by adapter {manifest.adapter.name!r} but missing")


def load_dataset(dataset: "str | Manifest", *, mirror: "MirrorSpec" = None, cache: "PathLike | None" = None,
                 offline: bool | None = None, **overrides: Any) -> "DatasetAdapter":
    """The adapter of a dataset, configured by its manifest.

    Parameters
    ----------
    dataset : str or Manifest
        A dataset id (see ``neuroalign data list``) or a loaded manifest.
    mirror, cache, offline
        Where files are looked for and whether downloads are allowed (see :func:`neuroalign.data.fetch_dataset`).
    **overrides
        Adapter parameters that replace the manifest's (for example ``method="glm"``).

    Raises
    ------
    UnknownNameError
        For an unknown dataset id or adapter name.
    ManifestError
        If the manifest's adapter parameters do not fit the adapter.
    """
    manifest = dataset if isinstance(dataset, Manifest) else load_manifest(dataset)
    cls = adapter_class(manifest.adapter.name)
    params = {**manifest.adapter.params, **overrides}
    _check_params(manifest, cls, params)
    return cls(manifest, mirror=mirror, cache=cache, offline=offline, **params)
