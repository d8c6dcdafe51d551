"""Writing extracted activations where users want them: one HDF5 file with provenance, ``.npz`` per layer, or
rsatoolbox ``Dataset`` objects.

The HDF5 file is the layout of :meth:`~neuroalign.core.activations.Activations.to_hdf5` (``stimulus_ids``,
``layers/<name>``), so it reads back with :meth:`Activations.from_hdf5` and as a precomputed model
(:class:`~neuroalign.models.PrecomputedAdapter`; ``neuroalign run -m acts.h5``). Its attributes say what made it:
``model_id``, ``revision`` and ``commit`` (hub models), ``source`` and ``fingerprint`` (JSON), ``pooling`` (JSON, and
per layer), ``layers``, ``n_stimuli``, ``stimulus_set``, ``cache_key``, and the versions of neuroalign, torch,
transformers and Python. No time stamp: extracting the same thing twice writes the same attributes.
"""

from __future__ import annotations

import json
import os
import platform
import re
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from neuroalign import __version__
from neuroalign.core.activations import Activations
from neuroalign.utils.atomic import atomic_path
from neuroalign.utils.readers import open_hdf5

FORMATS = ("hdf5", "npz", "rsatoolbox")


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"neuroalign_version": __version__, "python_version": platform.python_version()}
    for package in ("torch", "transformers"):
        try:
            out[f"{package}_version"] = version(package)
        except PackageNotFoundError:
            out[f"{package}_version"] = "not installed"
    return out


def provenance_attributes(model_id: str, fingerprint: Mapping[str, Any], poolings: Mapping[str, str],
                          activations: Activations, stimulus_set: str | None) -> dict[str, Any]:
    """The attributes written with extracted activations (see the module docstring)."""
    source = dict(fingerprint.get("source") or {})
    return {"model_id": model_id, "revision": source.get("revision") or "", "commit": source.get("commit") or "",
            "source": json.dumps(source, sort_keys=True), "fingerprint": json.dumps(fingerprint, sort_keys=True,
                                                                                 default=str),
            "pooling": json.dumps(dict(poolings), sort_keys=True), "layers": json.dumps(list(activations.layer_names)),
            "n_stimuli": len(activations.stimulus_ids), "stimulus_set": stimulus_set or "",
            "cache_key": json.dumps(activations.descriptors.get("cache_keys", {}), sort_keys=True), **_versions()}


def write_hdf5(activations: Activations, path: str | os.PathLike[str], attributes: Mapping[str, Any],
               poolings: Mapping[str, str]) -> Path:
    """Write ``activations`` to one HDF5 file with ``attributes``, atomically (a killed write leaves no file).

    Layers are copied block by block (:meth:`Activations.to_hdf5`), so memory stays bounded by one block.
    """
    import h5py

    final = Path(path)
    with atomic_path(final) as tmp:
        activations.to_hdf5(tmp)
        with h5py.File(tmp, "a") as f:
            for key, value in attributes.items():
                f.attrs[key] = value
            for name in activations.layer_names:
                f["layers"][name].attrs["pooling"] = poolings.get(name, "")
    return final


def _file_name(layer: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", layer)


def write_npz_layers(activations: Activations, folder: str | os.PathLike[str]) -> list[Path]:
    """One ``<layer>.npz`` per layer in ``folder``, each with ``stimulus_ids`` and an array named as the layer.

    Each file reads back as a precomputed model (:class:`~neuroalign.models.PrecomputedAdapter`).
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    ids = np.array(activations.stimulus_ids, dtype=str)
    written = []
    for name in activations.layer_names:
        target = out / f"{_file_name(name)}.npz"
        with atomic_path(target) as tmp, open(tmp, "wb") as fh:
            np.savez(fh, stimulus_ids=ids, **{name: activations.layer(name)})
        written.append(target)
    return written


def to_rsatoolbox(activations: Activations, layer: str) -> Any:
    """One layer as an ``rsatoolbox.data.Dataset``: ``obs_descriptors`` ``stimulus_id``, ``descriptors`` ``model``
    and ``layer``, ``channel_descriptors`` ``unit``."""
    from rsatoolbox.data import Dataset

    x = np.asarray(activations.layer(layer), dtype=np.float64)
    return Dataset(x, descriptors={"model": activations.model_id or "", "layer": layer},
                   obs_descriptors={"stimulus_id": np.array(activations.stimulus_ids)},
                   channel_descriptors={"unit": np.arange(x.shape[1])})


def write_rsatoolbox(activations: Activations, folder: str | os.PathLike[str]) -> list[Path]:
    """One rsatoolbox ``Dataset`` file (HDF5, ``rsatoolbox.data.load_dataset``) per layer in ``folder``."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in activations.layer_names:
        target = out / f"{_file_name(name)}.hdf5"
        with atomic_path(target) as tmp:
            to_rsatoolbox(activations, name).save(str(tmp), file_type="hdf5", overwrite=True)
        written.append(target)
    return written


def describe_features_file(path: str | os.PathLike[str]) -> list[tuple[str, str]]:
    """``(field, value)`` pairs for ``neuroalign info`` about a features file: what it holds and what made it."""
    from neuroalign.models.precomputed import PrecomputedAdapter

    adapter = PrecomputedAdapter(path)
    fields = [("kind", "model (a features file, served as a precomputed model)"), ("file", str(Path(path))),
              ("stimuli", str(len(adapter.stimulus_ids))), ("layers", "\n".join(adapter.layers))]
    if Path(path).suffix.lower() != ".npz":
        with open_hdf5(path, "a features file") as f:
            attrs = {k: f.attrs[k] for k in ("model_id", "revision", "commit", "source", "pooling") if k in f.attrs}
        texts = {key: str(value.decode() if isinstance(value, bytes) else value) for key, value in attrs.items()}
        if not texts.get("revision") and not texts.get("commit"):  # a local folder has neither: say what stands in
            texts.pop("commit", None)
            texts["revision"] = "none (a local folder: identified by its weights files' sha256, see source)"
        fields += list(texts.items())
    return fields
