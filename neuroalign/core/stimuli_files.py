"""Stimulus sets from the files people have: a folder of images or sounds, a table of sentences (or of files).

Every reader returns a :class:`~neuroalign.core.stimuli.StimulusSet` whose payloads are the files themselves (or
the text), so the activation cache keys them by content exactly as it keys the shipped datasets: editing a file
changes its key, renaming the folder does not. Every file is opened here (its header) so that an unreadable one
is named now, not halfway through an extraction.

- :func:`image_folder`: ids are the file names without extension; images in one-level subfolders (when the
  folder itself holds none) get the subfolder's name as their ``category``.
- :func:`audio_folder`: WAV files, likewise; resampled to each model's rate when it reads them.
- :func:`from_table`: a TSV/CSV (or a ``.txt`` of one sentence per line) with a ``text`` (``sentence``,
  ``caption``) column and/or ``image`` / ``audio`` columns of file paths (relative to the table), and optionally a
  ``stimulus_id`` column; other columns become metadata.
- A folder may hold ``stimuli.tsv`` (or pass ``descriptors=``): one row per file (a ``stimulus_id`` column of file
  stems, or a ``file`` column of file names), in the order the set should have; its columns become metadata, and a
  ``text`` / ``caption`` column makes the set paired (an image and its caption per id).
- :func:`paired` joins sets of the same ids (images from a folder, captions from a table) into one.
- :func:`load_stimuli` picks the reader from the path (used by ``neuroalign extract``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Sequence

import pandas as pd

from neuroalign.core.stimuli import StimulusSet
from neuroalign.errors import (DuplicateStimulusError, MixedImageSizesError, NoStimuliError, StimulusFileError,
                               StimulusMismatchError)

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp", ".ppm", ".pgm"})
AUDIO_SUFFIXES = frozenset({".wav"})
TABLE_SUFFIXES = {".tsv": "\t", ".csv": ",", ".txt": None}
#: Descriptor tables a folder may hold (the first found is used).
DESCRIPTOR_NAMES = ("stimuli.tsv", "stimuli.csv")
TEXT_COLUMNS = ("text", "sentence", "caption")
ID_COLUMNS = ("stimulus_id", "id")
_SHOWN = 8


def _folder(path: str | os.PathLike[str]) -> Path:
    folder = Path(path).absolute()  # payload paths must not depend on the working directory at read time
    if not folder.exists():
        raise StimulusFileError(folder, "no such folder")
    if not folder.is_dir():
        raise StimulusFileError(folder, "is a file, not a folder of stimuli")
    return folder


def _visible(paths: Any) -> list[Path]:
    return sorted(p for p in paths if not p.name.startswith("."))


def media_files(folder: Path, suffixes: frozenset[str], what: str) -> list[tuple[Path, str | None]]:
    """``(file, category)`` of the files with ``suffixes`` in ``folder``, else in its one-level subfolders.

    Raises
    ------
    NoStimuliError
        If there is none (the message says what the folder holds).
    """
    top = [p for p in _visible(folder.iterdir()) if p.is_file() and p.suffix.lower() in suffixes]
    if top:
        return [(p, None) for p in top]
    found = [(p, sub.name) for sub in _visible(folder.iterdir()) if sub.is_dir()
             for p in _visible(sub.iterdir()) if p.is_file() and p.suffix.lower() in suffixes]
    if not found:
        held = sorted({p.suffix.lower() or p.name for p in folder.iterdir() if not p.name.startswith(".")})
        raise NoStimuliError(folder, f"no {what} files ({', '.join(sorted(suffixes))}) here or in its subfolders; "
                                     f"it holds {held[:_SHOWN] or 'nothing'}")
    return found


def _unique_ids(files: Sequence[Path]) -> list[str]:
    seen: dict[str, Path] = {}
    for path in files:
        if path.stem in seen:
            raise DuplicateStimulusError(f"stimulus id {path.stem!r} (the file name without extension) is given by "
                                         f"two files: {seen[path.stem]} and {path}; rename one")
        seen[path.stem] = path
    return list(seen)


def read_table(path: str | os.PathLike[str]) -> pd.DataFrame:
    """A TSV, CSV or ``.txt`` table with every cell as text (``"NA"`` stays the text ``NA``).

    A ``.txt`` file is one sentence per line (blank lines skipped) with a ``text`` column.

    Raises
    ------
    StimulusFileError
        For a missing or unreadable file, or another suffix.
    """
    path = Path(path)
    if path.suffix.lower() not in TABLE_SUFFIXES:
        raise StimulusFileError(path, f"a stimulus table must be {', '.join(TABLE_SUFFIXES)}")
    if not path.is_file():
        raise StimulusFileError(path, "no such file")
    try:
        if TABLE_SUFFIXES[path.suffix.lower()] is None:
            lines = [line.rstrip("\r\n") for line in path.read_text(encoding="utf-8").splitlines()]
            return pd.DataFrame({"text": [line for line in lines if line.strip()]})
        return pd.read_csv(path, sep=TABLE_SUFFIXES[path.suffix.lower()], dtype=str, keep_default_na=False,
                           na_filter=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise StimulusFileError(path, f"not a readable UTF-8 table ({type(error).__name__}: {error})") from None


def _column(table: pd.DataFrame, names: Sequence[str]) -> str | None:
    lowered = {str(c).strip().lower(): c for c in table.columns}
    return next((lowered[n] for n in names if n in lowered), None)


def _ordered_by_table(table: pd.DataFrame, ids: list[str], files: list[Path], path: Path
                      ) -> tuple[list[int], pd.DataFrame]:
    """Positions of ``ids`` in the table's row order, and the table's other columns (one row per stimulus)."""
    id_col = _column(table, ID_COLUMNS)
    if id_col is not None:
        keys, by = table[id_col].astype(str).tolist(), {sid: k for k, sid in enumerate(ids)}
    elif "file" in table.columns:
        id_col = "file"
        keys, by = table["file"].astype(str).tolist(), {f.name: k for k, f in enumerate(files)}
    else:
        raise StimulusFileError(path, f"a descriptor table needs a 'stimulus_id' column (file names without "
                                      f"extension) or a 'file' column; it has {list(table.columns)}")
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        raise DuplicateStimulusError(f"{path}: {id_col!r} lists {repeated[:_SHOWN]} more than once")
    missing, extra = [k for k in by if k not in set(keys)], [k for k in keys if k not in by]
    if missing or extra:
        raise StimulusMismatchError(f"{path} does not describe the folder's files one to one: rows without a file "
                                    f"{extra[:_SHOWN]}, files without a row {missing[:_SHOWN]}")
    return [by[k] for k in keys], table.drop(columns=[id_col]).reset_index(drop=True)


def _descriptors(folder: Path, descriptors: str | os.PathLike[str] | None) -> tuple[Path, pd.DataFrame] | None:
    if descriptors is not None:
        return Path(descriptors), read_table(descriptors)
    for name in DESCRIPTOR_NAMES:
        if (folder / name).is_file():
            return folder / name, read_table(folder / name)
    return None


def _media_set(folder: Path, files: list[tuple[Path, str | None]], modality: str, extra: pd.DataFrame,
               descriptors: str | os.PathLike[str] | None, name: str | None) -> StimulusSet:
    paths = [p for p, _ in files]
    ids = _unique_ids(paths)
    meta = extra.copy()
    if any(c is not None for _, c in files):
        meta.insert(0, "category", [c for _, c in files])
    payloads: dict[str, list[Any]] = {modality: paths}
    found = _descriptors(folder, descriptors)
    if found is not None:
        order, table = _ordered_by_table(found[1], ids, paths, found[0])
        ids, paths = [ids[k] for k in order], [paths[k] for k in order]
        meta = pd.concat([meta.iloc[order].reset_index(drop=True), table], axis=1)
        payloads = {modality: paths}
        text_col = _column(table, TEXT_COLUMNS)
        if text_col is not None:
            payloads["text"] = _texts(table[text_col].tolist(), ids, found[0])
    return StimulusSet(ids, metadata=meta, payloads=payloads, name=name or folder.name)


def image_size(path: Path) -> tuple[int, int]:
    """``(width, height)`` from the image file's header.

    Raises
    ------
    StimulusFileError
        If Pillow cannot identify the file as an image.
    """
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            return image.size
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise StimulusFileError(path, f"not a readable image ({type(error).__name__}: {error})") from None


def image_folder(folder: str | os.PathLike[str], *, descriptors: str | os.PathLike[str] | None = None,
                 same_size: bool = False, name: str | None = None) -> StimulusSet:
    """The images of a folder as a stimulus set (see the module docstring for ids, categories, descriptors).

    Parameters
    ----------
    folder : path-like
        Images (``.png``, ``.jpg``...) at its top level, or in one-level subfolders (one per category).
    descriptors : path-like, optional
        A TSV/CSV with one row per image (``stimuli.tsv`` in the folder is used when present).
    same_size : bool
        Refuse images of different sizes (for a model whose preprocessing does not resize).
    name : str, optional
        The set's name (the folder's name by default).

    Returns
    -------
    StimulusSet
        Metadata ``width``, ``height``, ``category`` (from subfolders) and the descriptor columns; payloads
        ``image`` (the files), and ``text`` when the descriptors have a ``text`` / ``caption`` column.

    Raises
    ------
    StimulusFileError
        For a missing folder or an unreadable image (names the file).
    NoStimuliError
        If the folder holds no images.
    DuplicateStimulusError, StimulusMismatchError
        For two files with one name, or descriptors that do not match the files one to one.
    MixedImageSizesError
        With ``same_size=True``, for images of several sizes (names the sizes and a file of each).
    """
    folder = _folder(folder)
    files = media_files(folder, IMAGE_SUFFIXES, "image")
    sizes = [image_size(p) for p, _ in files]
    if same_size and len(set(sizes)) > 1:
        example: dict[tuple[int, int], Path] = {}
        for (path, _), size in zip(files, sizes):
            example.setdefault(size, path)
        listed = ", ".join(f"{w}x{h} ({example[(w, h)].name})" for w, h in sorted(example)[:_SHOWN])
        raise MixedImageSizesError(f"{folder}: images of {len(example)} sizes where one is required: {listed}")
    extra = pd.DataFrame({"width": [w for w, _ in sizes], "height": [h for _, h in sizes]})
    return _media_set(folder, files, "image", extra, descriptors, name)


def wav_header(path: Path) -> tuple[int, float]:
    """``(sampling rate, duration in seconds)`` of a WAV file, without reading its samples.

    Raises
    ------
    StimulusFileError
        If the file is not a readable WAV file.
    """
    import warnings

    from scipy.io import wavfile

    try:
        with warnings.catch_warnings():  # metadata chunks scipy skips (LIST, bext...) are no problem
            warnings.simplefilter("ignore", wavfile.WavFileWarning)
            rate, data = wavfile.read(path, mmap=True)
    except (ValueError, OSError, EOFError) as error:
        raise StimulusFileError(path, f"not a readable WAV file ({type(error).__name__}: {error})") from None
    return int(rate), len(data) / float(rate)


def audio_folder(folder: str | os.PathLike[str], *, descriptors: str | os.PathLike[str] | None = None,
                 name: str | None = None) -> StimulusSet:
    """The WAV files of a folder as a stimulus set (ids, categories and descriptors as :func:`image_folder`).

    Each model resamples the sounds to its own rate when it reads them. Metadata: ``sampling_rate``,
    ``duration_s``, and as :func:`image_folder`.

    Raises
    ------
    StimulusFileError, NoStimuliError, DuplicateStimulusError, StimulusMismatchError
        As :func:`image_folder` (an unreadable WAV file is named).
    """
    folder = _folder(folder)
    files = media_files(folder, AUDIO_SUFFIXES, "audio (WAV)")
    headers = [wav_header(p) for p, _ in files]
    extra = pd.DataFrame({"sampling_rate": [r for r, _ in headers], "duration_s": [d for _, d in headers]})
    return _media_set(folder, files, "audio", extra, descriptors, name)


def _texts(values: Sequence[Any], ids: Sequence[str], path: Path) -> list[str]:
    empty = [sid for sid, text in zip(ids, values) if not str(text).strip()]
    if empty:
        raise StimulusFileError(path, f"empty text for stimulus ids {empty[:_SHOWN]}; every stimulus needs one")
    return [str(v) for v in values]


def _file_column(table: pd.DataFrame, column: str, base: Path, path: Path, check: Any) -> list[Path]:
    files = [base / str(value) for value in table[column]]
    missing = [str(v) for v, f in zip(table[column], files) if not f.is_file()]
    if missing:
        raise StimulusFileError(path, f"column {column!r} names files that do not exist (relative to {base}): "
                                      f"{missing[:_SHOWN]}")
    for f in files:
        check(f)
    return files


def from_table(path: str | os.PathLike[str], *, name: str | None = None) -> StimulusSet:
    """Stimuli listed in a table: sentences, and/or image and audio files (paths relative to the table).

    Parameters
    ----------
    path : path-like
        ``.tsv``, ``.csv``, or ``.txt`` (one sentence per line). Columns: ``text`` (or ``sentence``,
        ``caption``), ``image``, ``audio`` (at least one); ``stimulus_id`` (or ``id``, else ``s001``, ``s002``...
        by row); any other column is metadata.
    name : str, optional
        The set's name (the table's stem by default).

    Raises
    ------
    StimulusFileError
        For an unreadable table, empty text, missing or unreadable files, or no stimulus column.
    DuplicateStimulusError
        For a repeated id.
    """
    path = Path(path).absolute()
    table = read_table(path)
    if table.empty:
        raise NoStimuliError(path, "the table has no rows")
    id_col = _column(table, ID_COLUMNS)
    width = len(str(len(table)))
    ids = table[id_col].tolist() if id_col else [f"s{k + 1:0{max(3, width)}d}" for k in range(len(table))]
    payloads: dict[str, list[Any]] = {}
    text_col = _column(table, TEXT_COLUMNS)
    if text_col is not None:
        payloads["text"] = _texts(table[text_col].tolist(), ids, path)
    checks = {"image": image_size, "audio": wav_header}
    for modality, check in checks.items():
        column = _column(table, (modality,))
        if column is not None:
            payloads[modality] = _file_column(table, column, path.parent, path, check)
    if not payloads:
        raise StimulusFileError(path, f"no stimulus column: give 'text' (or 'sentence', 'caption'), 'image' or "
                                      f"'audio'; the table has {list(table.columns)}")
    used = {c for c in (id_col, text_col, _column(table, ("image",)), _column(table, ("audio",))) if c}
    meta = table.drop(columns=sorted(used)).reset_index(drop=True)
    return StimulusSet(ids, metadata=meta, payloads=payloads, name=name or path.stem)


def paired(*sets: StimulusSet, name: str | None = None) -> StimulusSet:
    """One stimulus set with every payload of ``sets``, joined by id (the first set's order).

    Raises
    ------
    StimulusMismatchError
        If the sets do not hold the same ids (names those missing from each), or two carry one modality.
    """
    if not sets:
        raise ValueError("paired() needs at least one stimulus set")
    first = sets[0]
    payloads: dict[str, list[Any]] = {}
    tables = []
    for k, stimuli in enumerate(sets):
        ids = set(stimuli.stimulus_ids)
        missing, extra = [i for i in first.stimulus_ids if i not in ids], sorted(ids - set(first.stimulus_ids))
        if missing or extra:
            raise StimulusMismatchError(f"set {k} ({stimuli.name}) lacks ids {missing[:_SHOWN]} and has extra ids "
                                        f"{extra[:_SHOWN]} compared with set 0 ({first.name})")
        ordered = stimuli.subset(first.stimulus_ids)
        for modality in ordered.modalities:
            if modality in payloads:
                raise StimulusMismatchError(f"two sets carry {modality!r} payloads; pair sets of different modalities")
            payloads[modality] = [ordered.payload(i, modality) for i in first.stimulus_ids]
        meta = ordered.metadata.reset_index(drop=True)
        tables.append(meta[[c for c in meta.columns if all(c not in t.columns for t in tables)]])
    return StimulusSet(first.stimulus_ids, metadata=pd.concat(tables, axis=1), payloads=payloads,
                       name=name or first.name)


def load_stimuli(path: str | os.PathLike[str], **options: Any) -> StimulusSet:
    """The stimulus set stored at ``path``: a folder of images (else of WAV files), a table, or an image array.

    Options go to the reader (:func:`image_folder`, :func:`audio_folder`, :func:`from_table`,
    :func:`~neuroalign.core.stimuli_arrays.image_array`).

    Raises
    ------
    StimulusFileError
        For a path that does not exist or that no reader takes (the message lists what is accepted).
    """
    path = Path(path)
    if path.is_dir():
        try:
            return image_folder(path, **options)
        except NoStimuliError:
            pass
        try:
            return audio_folder(path, **options)
        except NoStimuliError:
            raise NoStimuliError(path, f"no image ({', '.join(sorted(IMAGE_SUFFIXES))}) or WAV files here or in "
                                       "its subfolders") from None
    suffix = path.suffix.lower()
    if suffix in TABLE_SUFFIXES:
        return from_table(path, **options)
    if suffix in (".h5", ".hdf5", ".npz"):
        from neuroalign.core.stimuli_arrays import image_array

        return image_array(path, **options)
    if not path.exists():
        raise StimulusFileError(path, "no such file or folder")
    raise StimulusFileError(path, "cannot read stimuli from this file; give a folder of images or WAV files, a "
                                  f"table ({', '.join(TABLE_SUFFIXES)}), or an HDF5/NPZ array of images")
