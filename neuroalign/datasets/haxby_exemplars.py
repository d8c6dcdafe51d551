"""The Haxby 2001 category exemplar images, from PyMVPA's stimuli archive (``stimuli-2010.01.14.tar.gz``).

The archive holds one folder of photographs per category; the original presentation order is not available, so
the images are exemplars of their category, not the trials' stimuli. A folder belongs to a category when its name
is the category's ``trial_type`` or that name with an ``s`` (``faces`` for ``face``); other folders (the scrambled
controls) belong to none, and a category with no folder has no exemplar (:attr:`ExemplarImages.without`).
"""

from __future__ import annotations

import os
import shutil
import tarfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Sequence

from neuroalign.core.stimuli import StimulusSet
from neuroalign.errors import DataFormatError

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")


@dataclass(frozen=True)
class ExemplarImages:
    """The exemplar images (ids ``<category>/<file>``, a ``category`` metadata column) and the categories that
    have none."""

    stimuli: StimulusSet
    without: tuple[str, ...]


def _category(folder: str, categories: Sequence[str]) -> str | None:
    name = folder.lower()
    return next((c for c in categories if name in (c.lower(), f"{c.lower()}s")), None)


def exemplar_images(archive: str | os.PathLike[str], target: str | os.PathLike[str],
                    categories: Sequence[str], *, name: str = "haxby2001_exemplars") -> ExemplarImages:
    """Extract the archive's images of ``categories`` into ``target/<category>/`` (once) and list them.

    Parameters
    ----------
    archive : path-like
        The stimuli ``.tar.gz``.
    target : path-like
        Folder the images are extracted into; reused when complete. Extraction goes to a staging folder that is
        renamed when done, so a failed extraction leaves nothing behind.
    categories : sequence of str
        The conditions (``trial_type`` values), in order.

    Raises
    ------
    DataFormatError
        If the archive cannot be read, or fewer than two categories have an image (the folders seen are named).
    """
    archive, target = Path(archive), Path(target)
    if not target.is_dir():
        staging = target.with_name(f".{target.name}.partial")
        shutil.rmtree(staging, ignore_errors=True)
        folders: set[str] = set()
        try:
            with tarfile.open(archive) as tar:
                for member in tar.getmembers():
                    path = PurePosixPath(member.name)
                    if not member.isfile() or path.suffix.lower() not in IMAGE_SUFFIXES or len(path.parts) < 2:
                        continue
                    folders.add(path.parent.name)
                    category = _category(path.parent.name, categories)
                    if category is None:
                        continue
                    out = staging / category / path.name  # the file name only: no path from the archive is trusted
                    out.parent.mkdir(parents=True, exist_ok=True)
                    with tar.extractfile(member) as src, open(out, "wb") as dst:
                        shutil.copyfileobj(src, dst)
        except (tarfile.TarError, OSError) as error:
            shutil.rmtree(staging, ignore_errors=True)
            raise DataFormatError(archive, "archive", f"cannot be read as a tar archive: {error}") from None
        found = [c for c in categories if (staging / c).is_dir()]
        if len(found) < 2:
            shutil.rmtree(staging, ignore_errors=True)
            raise DataFormatError(archive, "folders", f"images of {found} only; a folder named after a category "
                                                      f"({list(categories)}, or with an 's') is needed for at least "
                                                      f"two; the archive's image folders are {sorted(folders)}")
        staging.rename(target)
    ids, paths, labels = [], [], []
    for category in categories:
        folder = target / category
        for image in sorted(folder.iterdir()) if folder.is_dir() else []:
            ids.append(f"{category}/{image.name}")
            paths.append(str(image))
            labels.append(category)
    without = tuple(c for c in categories if c not in labels)
    return ExemplarImages(StimulusSet(ids, payloads={"image": paths}, metadata={"category": labels}, name=name),
                          without)
