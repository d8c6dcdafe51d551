"""Write the manifest of a lab's own BIDS folder (fMRI, MEG or EEG): every file with the sha256 computed from it."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Sequence

from neuroalign.data.manifest import read_manifest_file
from neuroalign.data.mirror import sha256_of
from neuroalign.datasets.loaders.bids_layout import files_under


#: How the description names each modality.
_KIND = {"fmri": "fMRI", "meg": "MEG", "eeg": "EEG", "ieeg": "iEEG"}


def _toml(value) -> str:
    return json.dumps(value)  # a JSON string or list of strings is valid TOML


def write_bids_manifest(root: str | os.PathLike[str], dataset_id: str, directory: str | os.PathLike[str], *,
                        task: str, tr: float | None, conditions: Sequence[str], citation: str, title: str | None = None,
                        licence: str = "all rights reserved (the lab's own data)", adapter: str = "bids_fmri",
                        params: dict | None = None, modality: str = "fmri") -> Path:
    """Write ``<directory>/<dataset_id>.toml`` describing the BIDS folder ``root`` and return its path.

    Every file under ``root`` (hidden files excepted) is listed with its relative path, its size and the sha256
    computed from it, as obtained by hand from the lab (``origin``). The folder then serves as a data mirror:
    put it, or a link to it, at ``<mirror>/<dataset_id>``. For an M/EEG folder pass ``modality="meg"`` (or
    ``"eeg"``), ``adapter="bids_meeg"`` and ``tr=None``.

    Raises
    ------
    ManifestError
        If the written manifest does not validate (an invalid id, no files); nothing is left behind.
    """
    root, directory = Path(root), Path(directory)
    rows = []
    for name in files_under(root):
        path = root / name
        rows.append(f"[[files]]\nname = {_toml(name)}\nsha256 = \"{sha256_of(path)}\"\nsize = {path.stat().st_size}\n"
                    f"origin = {_toml(f'the lab BIDS folder {root}')}\n")
    extra = "".join(f"{k} = {_toml(v)}\n" for k, v in (params or {}).items())
    description = f"BIDS {_KIND.get(modality, modality)} dataset, task {task}"
    text = (f"id = \"{dataset_id}\"\nversion = \"1.0.0\"\ntitle = {_toml(title or dataset_id)}\n"
            f"description = {_toml(description)}\ncitation = '''\n{citation.strip()}\n'''\n"
            f"licence = {_toml(licence)}\nmodality = {_toml(modality)}\n\n"
            f"[source]\ndescription = {_toml(str(root))}\n\n"
            + "\n".join(rows) + f"\n[stimuli]\ncount = {len(conditions)}\nids = \"the trial_type values\"\n"
            f"source = \"the conditions of the events files\"\n\n[adapter]\nname = {_toml(adapter)}\n\n"
            f"[adapter.params]\ntask = {_toml(task)}\n" + ("" if tr is None else f"tr = {float(tr)}\n")
            + f"conditions = {_toml(list(conditions))}\n"
            + extra)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{dataset_id}.toml"
    staging = directory / f".{dataset_id}.toml.partial"
    staging.write_text(text, encoding="utf-8")
    try:
        read_manifest_file(staging.rename(target))
    except Exception:
        target.unlink(missing_ok=True)
        raise
    return target
