"""THINGS-MEG (OpenNeuro ds004212) and the THINGS images, which users obtain by hand.

The THINGS images may not be redistributed, so no manifest can download them. The user downloads
``images_THINGS.zip`` from the THINGS OSF project (https://osf.io/jum2f/), accepts its terms, unzips it with the
password published there, and points ``$NEUROALIGN_THINGS_IMAGES`` (or ``images=``) at the folder that holds the
images. :func:`check_things_images` then says which of the images a dataset needs are missing from that copy.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from neuroalign.core.stimuli import StimulusSet
from neuroalign.data.errors import MissingDataError
from neuroalign.data.settings import MirrorSpec, PathLike
from neuroalign.datasets.adapter import ManifestAdapter
from neuroalign.datasets.errors import DataFormatError, NotProvidedError

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
    """THINGS-MEG: the images of the trial table (from the user's copy) and the preprocessed epochs' file.

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
    images : path-like, optional
        The user's THINGS image folder (default ``$NEUROALIGN_THINGS_IMAGES``).
    """

    def __init__(self, manifest, *, epochs: str, attributes: str, subject: str = "", image_column: str = "image_path",
                 images: PathLike | None = None, mirror: MirrorSpec = None, cache: PathLike | None = None,
                 offline: bool | None = None) -> None:
        super().__init__(manifest, mirror=mirror, cache=cache, offline=offline)
        self.files = {"epochs": epochs, "attributes": attributes}
        self.subject, self.image_column, self.images = subject, image_column, images

    def image_paths(self) -> list[str]:
        """The distinct image paths of the trial table, in first-shown order."""
        import pandas as pd

        path = self.path(self.files["attributes"])
        table = pd.read_csv(path)
        if self.image_column not in table.columns:
            raise DataFormatError(path, self.image_column, f"no such column; the table has {list(table.columns)}")
        return list(dict.fromkeys(str(p) for p in table[self.image_column]))

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

    def recordings(self, **selection: Any):
        """Not assembled by neuroalign yet: fetch the dataset, then read the epochs with ``mne.read_epochs``."""
        raise NotProvidedError(f"dataset {self.id!r}: neuroalign does not yet turn the THINGS-MEG epochs into a "
                               f"Recording; run `neuroalign data fetch {self.id}` (it fetches the four split files) "
                               f"and read {self.files['epochs']} with mne.read_epochs")
