"""THINGS-MEG (OpenNeuro ds004212) and the THINGS images, which users obtain by hand.

The THINGS images may not be redistributed, so no manifest can download them. The user downloads
``images_THINGS.zip`` from the THINGS OSF project (https://osf.io/jum2f/), accepts its terms, unzips it with the
password published there, and points ``$NEUROALIGN_THINGS_IMAGES`` (or ``images=``) at the folder that holds the
images. :func:`check_things_images` then says which of the images a dataset needs are missing from that copy.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from neuroalign.core.recording import Recording
from neuroalign.core.stimuli import StimulusSet
from neuroalign.errors.adapters import MissingDataError
from neuroalign.data.fetch import fetch_dataset
from neuroalign.data.settings import MirrorSpec, PathLike
from neuroalign.datasets.adapter import ManifestAdapter
from neuroalign.errors import DataFormatError
from neuroalign.datasets.selection import select_items

if TYPE_CHECKING:
    import pandas as pd

#: The folder holding the user's copy of the THINGS images.
THINGS_ENV = "NEUROALIGN_THINGS_IMAGES"

HOW_TO_OBTAIN = ("The THINGS images cannot be redistributed: download images_THINGS.zip from the THINGS OSF "
                 "project (https://osf.io/jum2f/), accept its terms (non-commercial research only, no "
                 "redistribution), unzip it with the password published there, and set "
                 f"${THINGS_ENV} to the unzipped folder (or pass images=)")


@dataclass(frozen=True)
class ThingsImageCheck:
    """The outcome of checking a copy of the THINGS images: which needed images it has and which it lacks."""

    root: Path
    found: tuple[Path, ...]
    missing: tuple[str, ...]

    @property
    def complete(self) -> bool:
        """Whether every needed image is present."""
        return not self.missing


def things_root(images: PathLike | None = None) -> Path:
    """The user's THINGS image folder: ``images`` if given, else ``$NEUROALIGN_THINGS_IMAGES``.

    Raises
    ------
    MissingDataError
        If neither names an existing folder (the message says how to obtain the images).
    """
    chosen = images if images is not None else os.environ.get(THINGS_ENV)
    if not chosen:
        raise MissingDataError(f"no copy of the THINGS images is configured. {HOW_TO_OBTAIN}.")
    root = Path(chosen)
    if not root.is_dir():
        raise MissingDataError(f"the THINGS image folder {root} does not exist. {HOW_TO_OBTAIN}.")
    return root


def check_things_images(required: Sequence[str], images: PathLike | None = None) -> ThingsImageCheck:
    """Check the user's copy of the THINGS images for the ``required`` relative paths.

    A path is looked up as given and, failing that, under ``object_images/`` (the zip's top folder), and a
    leading ``images_meg/``-style folder of the trial table is tolerated by matching on ``<concept>/<file>``.

    Raises
    ------
    MissingDataError
        If no image folder is configured or it does not exist.
    """
    root = things_root(images)
    found, missing = [], []
    for rel in required:
        tail = "/".join(Path(rel).parts[-2:])
        candidates = [root / rel, root / "object_images" / rel, root / tail, root / "object_images" / tail]
        hit = next((c for c in candidates if c.is_file()), None)
        (found.append(hit) if hit is not None else missing.append(rel))
    return ThingsImageCheck(root, tuple(found), tuple(missing))


class ThingsMegAdapter(ManifestAdapter):
    """THINGS-MEG: the images of the trial table (from the user's copy) and the preprocessed epochs, read with MNE.

    Parameters
    ----------
    epochs : str
        Manifest file name of the preprocessed epochs (the first of its split files).
    attributes : str
        Manifest file name of the trial table (``sample_attributes_P<n>.csv``).
    subject : str
        The ``subject`` descriptor.
    image_column : str
        The trial table's column of image paths.
    trial_types : sequence of str, optional
        Keep only the rows (epochs) whose ``type_column`` is one of these (``["test"]``: the 200 images shown
        12 times); default every row with an image path.
    type_column : str
        The trial table's column of trial types (``exp``, ``test``, ``catch``).
    level, picks, tmin, tmax, decim, lowpass
        As for :func:`~neuroalign.datasets.loaders.meeg.recording_from_epochs` (``picks="mag"``: CTF's axial
        gradiometers, which MNE types as magnetometers).
    images : path-like, optional
        The user's THINGS image folder (default ``$NEUROALIGN_THINGS_IMAGES``).
    """

    def __init__(self, manifest, *, epochs: str, attributes: str, subject: str = "", image_column: str = "image_path",
                 trial_types: Sequence[str] | None = None, type_column: str = "trial_type", level: str = "condition",
                 picks: Any = "mag", tmin: float | None = None, tmax: float | None = None, decim: int = 1,
                 lowpass: float | None = None, images: PathLike | None = None, mirror: MirrorSpec = None,
                 cache: PathLike | None = None, offline: bool | None = None) -> None:
        super().__init__(manifest, mirror=mirror, cache=cache, offline=offline)
        self.files = {"epochs": epochs, "attributes": attributes}
        self.subject, self.image_column, self.images = subject, image_column, images
        self.trial_types = None if trial_types is None else tuple(trial_types)
        self.type_column = type_column
        self.options = {"level": level, "picks": picks, "tmin": tmin, "tmax": tmax, "decim": decim,
                        "lowpass": lowpass}

    def trial_table(self) -> "pd.DataFrame":
        """The trial table, one row per epoch, with an ``image`` column (``<concept>/<file name>``) added.

        Raises
        ------
        DataFormatError
            If the table lacks the image column, or (with ``trial_types``) the trial-type column.
        """
        import pandas as pd

        path = self.path(self.files["attributes"])
        table = pd.read_csv(path)
        for column in (self.image_column, *([self.type_column] if self.trial_types is not None else [])):
            if column not in table.columns:
                raise DataFormatError(path, column, f"no such column; the table has {list(table.columns)}")
        return table.assign(image=["/".join(Path(str(p)).parts[-2:]) for p in table[self.image_column]])

    def _kept(self, table: "pd.DataFrame") -> "pd.Series":
        if self.trial_types is None:
            return table[self.image_column].notna()
        return table[self.type_column].astype(str).isin(self.trial_types)

    def image_paths(self) -> list[str]:
        """The distinct image paths of the trial table's kept rows (``trial_types``), in first-shown order."""
        table = self.trial_table()
        return list(dict.fromkeys(str(p) for p in table.loc[self._kept(table), self.image_column]))

    def stimulus_set(self) -> StimulusSet:
        """The images of the trial table, read from the user's copy (ids: ``<concept>/<file name>``).

        Raises
        ------
        MissingDataError
            If the copy is not configured, or lacks images (the message names up to five of them and the count).
        """
        needed = self.image_paths()
        check = check_things_images(needed, self.images)
        if not check.complete:
            shown = ", ".join(check.missing[:5])
            raise MissingDataError(f"{self.id}: {len(check.missing)} of {len(needed)} THINGS images are missing "
                                   f"from {check.root} (e.g. {shown}). {HOW_TO_OBTAIN}.")
        ids = ["/".join(Path(p).parts[-2:]) for p in needed]
        return StimulusSet(ids, payloads={"image": [str(p) for p in check.found]}, name=self.id)

    def _descriptor_rows(self) -> list[dict[str, Any]]:
        return [{"subject": self.subject}]

    def epoch_files(self) -> list[str]:
        """The manifest names of the epochs file and its split parts (MNE's ``-epo-1.fif``, ``-epo-2.fif``...)."""
        first = self.files["epochs"]
        stem = first[: -len(".fif")]
        parts = [f.name for f in self.manifest.files if re.fullmatch(re.escape(stem) + r"-\d+\.fif", f.name)]
        return [first, *sorted(parts, key=lambda n: int(n[len(stem) + 1: -len(".fif")]))]

    def recordings(self, **selection: Any) -> list[Recording]:
        """The preprocessed epochs as one time-resolved recording, one stimulus per image (selector ``subject``).

        The epochs file and its split parts are fetched (about 8 GB for a participant), read lazily with
        ``mne.read_epochs``, and row ``k`` of the trial table names the image of epoch ``k``: the two must have
        as many rows as epochs. Only the kept rows (``trial_types``) are loaded. The adapter's options
        (``level``, ``picks``, ``tmin``, ``tmax``, ``decim``, ``lowpass``) can be overridden per call; with
        ``level="condition"`` each image's repetitions lie on the run axis.

        Raises
        ------
        DataFormatError
            If the trial table and the epochs differ in length (both counts and files named), or no row is kept.
        """
        import mne

        from neuroalign.datasets.loaders.meeg import recording_from_epochs

        options = {**self.options, **{k: selection.pop(k) for k in list(selection) if k in self.options}}
        select_items(self._descriptor_rows(), dict, selection, what=f"dataset {self.id!r}")
        names = self.epoch_files()
        paths = fetch_dataset(self.manifest, names, **self._where)
        epochs = mne.read_epochs(paths[names[0]], preload=False, verbose="error")
        table = self.trial_table()
        if len(table) != len(epochs):
            raise DataFormatError(paths[names[0]], "epochs", f"{len(epochs)} epochs, but the trial table "
                                  f"{self.path(self.files['attributes'])} has {len(table)} rows; row k must describe "
                                  "epoch k")
        kept = self._kept(table).to_numpy()
        if not kept.any():
            raise DataFormatError(self.path(self.files["attributes"]), self.type_column,
                                  f"no row has a trial type in {list(self.trial_types or [])}")
        epochs = epochs[kept]
        epochs.metadata = table[kept].reset_index(drop=True)
        ids = list(dict.fromkeys(epochs.metadata["image"]))
        return [recording_from_epochs(epochs, ids, by="image", descriptors={"subject": self.subject}, **options)]
