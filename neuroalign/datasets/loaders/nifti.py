"""NIfTI images and an events table as a user has them: ``recording_from_nifti(imgs, events, mask, tr=...)``.

The images are one 4-D series (one run, or several runs concatenated with ``volume_runs`` naming each volume's
run), a list of 3-D volumes (one run), or a list of 4-D series (one per run, with one events table each: nilearn's
``FirstLevelModel`` convention). Events are nilearn's / BIDS' table (``onset``, ``duration``, ``trial_type``,
seconds from the start of each run), as a DataFrame or a ``.tsv`` / ``.csv`` file. Everything is checked before
any voxel is read: the grids of images and mask, the events' columns and values, onsets that fall outside their
run (seconds versus milliseconds), and conditions that no event names.
"""

from __future__ import annotations

import os
import warnings
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from neuroalign.core.recording import Recording
from neuroalign.errors import ConditionMismatchError, DataFormatError
from neuroalign.datasets.loaders.fmri_masking import _load, check_same_grid
from neuroalign.datasets.loaders.fmri_patterns import condition_patterns

_COLUMNS = ("onset", "duration", "trial_type")


def _image_list(imgs: Any) -> list[Any]:
    if isinstance(imgs, (str, os.PathLike)) or hasattr(imgs, "affine"):
        return [imgs]
    items = list(imgs)
    if not items:
        raise DataFormatError("<images>", "images", "no image was given")
    return items


def _series(imgs: Any, tr: float) -> tuple[list[Any], list[str]]:
    """The run images (each 4-D) and their names; a list of 3-D volumes becomes one run."""
    loaded = [_load(img) for img in _image_list(imgs)]
    dims = {image.ndim for image, _ in loaded}
    if dims == {3} and len(loaded) > 1:
        from nilearn.image import concat_imgs

        for image, name in loaded[1:]:
            check_same_grid(image, loaded[0][0], what="first volume")
        return [concat_imgs([image for image, _ in loaded])], [f"{loaded[0][1]} and {len(loaded) - 1} more volumes"]
    if dims != {4}:
        bad = next((name, image.shape) for image, name in loaded if image.ndim != 4)
        raise DataFormatError(bad[0], "shape", f"expected a 4-D series (x, y, z, volume), or a list of 3-D volumes or "
                                               f"of 4-D runs; got shape {bad[1]}")
    for image, name in loaded:
        _check_tr(image, name, tr)
    return [image for image, _ in loaded], [name for _, name in loaded]


def _check_tr(image: Any, name: str, tr: float) -> None:
    """Warn when the header's repetition time disagrees with ``tr`` (seconds versus milliseconds, a typo)."""
    zooms = image.header.get_zooms()
    unit = image.header.get_xyzt_units()[1] if hasattr(image.header, "get_xyzt_units") else "unknown"
    scale = {"sec": 1.0, "msec": 1e-3, "usec": 1e-6}.get(unit)
    if len(zooms) > 3 and scale and zooms[3] > 0 and not np.isclose(zooms[3] * scale, tr, rtol=0.01):
        warnings.warn(f"{name}: tr={tr} s but the header's repetition time is {zooms[3] * scale:g} s; check which "
                      "is right", UserWarning, stacklevel=4)


def _table(events: Any) -> tuple[pd.DataFrame, str]:
    if isinstance(events, pd.DataFrame):
        return events.copy(), "<events>"
    if isinstance(events, (str, os.PathLike)):
        path = os.fspath(events)
        try:
            table = pd.read_csv(path, sep="\t" if path.endswith(".tsv") else None, engine="python")
        except (OSError, ValueError, pd.errors.ParserError) as error:
            raise DataFormatError(path, "file", f"cannot be read as an events table: {error}") from None
        return table, path
    raise DataFormatError("<events>", "type", f"events must be a DataFrame or a .tsv/.csv path; got "
                                              f"{type(events).__name__}")


def _check_events(table: pd.DataFrame, name: str, run_seconds: float, run: Any) -> None:
    missing = [c for c in _COLUMNS if c not in table.columns]
    if missing:
        raise DataFormatError(name, "columns", f"events need {list(_COLUMNS)} (nilearn's / BIDS' names); missing "
                                               f"{missing}; the table has {list(table.columns)}")
    for column in ("onset", "duration"):
        values = pd.to_numeric(table[column], errors="coerce")
        bad = np.flatnonzero(~np.isfinite(values.to_numpy(dtype=float)) | (values.to_numpy(dtype=float) < 0))
        if bad.size:
            raise DataFormatError(name, column, f"rows {bad[:5].tolist()} have {column} "
                                                f"{table[column].iloc[bad[:5]].tolist()}: need a number >= 0 (seconds)")
    absent = np.flatnonzero(table["trial_type"].isna().to_numpy())
    if absent.size:
        raise DataFormatError(name, "trial_type", f"rows {absent[:5].tolist()} have no trial_type")
    late = np.flatnonzero(table["onset"].to_numpy(dtype=float) >= run_seconds)
    if late.size:
        raise DataFormatError(name, "onset", f"rows {late[:5].tolist()} start at "
                                             f"{table['onset'].iloc[late[:5]].tolist()} s, after the end of run "
                                             f"{run!r} ({run_seconds:g} s of volumes); onsets are seconds from the "
                                             "start of each run")


def _design(images: list[Any], names: list[str], events: Any, volume_runs: Sequence[Any] | None, tr: float
            ) -> tuple[pd.DataFrame, np.ndarray]:
    """One events table with a ``run`` column and the run of every volume, checked against each run's length."""
    sizes = [image.shape[3] for image in images]
    if len(images) > 1:
        tables = events if isinstance(events, (list, tuple)) else None
        if tables is None or len(tables) != len(images):
            raise DataFormatError(names[0], "events", f"{len(images)} run images need a list of as many events tables "
                                                      "(one per run, as nilearn's FirstLevelModel takes them)")
        if volume_runs is not None:
            raise DataFormatError(names[0], "volume_runs", "is for one 4-D series holding several runs; a list of "
                                                           "run images already says which volume is in which run")
        runs = [str(k + 1) for k in range(len(images))]
        parts = []
        for run, table, size in zip(runs, tables, sizes):
            frame, name = _table(table)
            _check_events(frame, name, size * tr, run)
            parts.append(frame.assign(run=run))
        return pd.concat(parts, ignore_index=True), np.repeat(runs, sizes)
    frame, name = _table(events)
    if volume_runs is None:
        labels = pd.unique(frame["run"]).tolist() if "run" in frame.columns else ["1"]
        if len(labels) > 1:
            raise DataFormatError(name, "run", f"the events name runs {list(labels)} but the series has no "
                                               "volume_runs: pass volume_runs= (the run of every volume), or a list "
                                               "of one image per run")
        volume_runs = np.repeat(labels[0], sizes[0])
        frame = frame.assign(run=labels[0])
    volume_runs = np.asarray(volume_runs)
    if volume_runs.shape != (sizes[0],):
        raise DataFormatError(names[0], "volume_runs", f"{volume_runs.shape[0] if volume_runs.ndim else 0} run "
                                                       f"labels for {sizes[0]} volumes")
    if "run" not in frame.columns:
        raise DataFormatError(name, "run", "with volume_runs the events need a run column (which run each event "
                                           "is in, onsets from the start of that run)")
    for run in pd.unique(frame["run"]).tolist():
        count = int((volume_runs == run).sum())
        if count == 0:
            raise DataFormatError(name, "run", f"events of run {run!r}, but no volume belongs to it; the volumes' "
                                               f"runs are {pd.unique(volume_runs).tolist()}")
        _check_events(frame[frame["run"] == run], name, count * tr, run)
    return frame, volume_runs


def recording_from_nifti(imgs: Any, events: Any, mask: Any, *, tr: float, volume_runs: Sequence[Any] | None = None,
                         conditions: Sequence[str] | None = None, method: str = "average",
                         options: Mapping[str, Any] | None = None,
                         descriptors: Mapping[str, Any] | None = None) -> Recording:
    """Condition patterns per run (``run x stimulus x voxel``) from NIfTI images, an events table and a mask.

    Parameters
    ----------
    imgs : image, path, or list of them
        One 4-D series; a list of 3-D volumes (one run); or a list of 4-D series, one per run.
    events : DataFrame, path, or list of them
        ``onset``, ``duration`` (seconds from the start of the run), ``trial_type``; with several runs in one
        series also ``run``; with a list of run images, a list of one table per run.
    mask : image or path
        A binary mask on the images' grid (shape and affine).
    tr : float
        Repetition time in seconds (a header that says otherwise gives a warning).
    volume_runs : sequence, optional
        The run of every volume of a 4-D series that holds several runs (values of the events' ``run`` column).
    conditions : sequence of str, optional
        The conditions (stimulus ids) in order; default every ``trial_type``, sorted. Other trial types are not
        conditions (the GLM still models them).
    method : str
        ``"average"`` (detrended, z-scored volumes averaged within each block, shifted by ``options={"lag": s}``;
        for block designs) or ``"glm"`` (nilearn's ``FirstLevelModel`` per run; for event-related designs).
    options : mapping, optional
        Options of the method (see :func:`~neuroalign.datasets.loaders.fmri_patterns.condition_patterns`).
    descriptors : mapping, optional
        Recording descriptors (subject, roi, ...).

    Returns
    -------
    Recording
        Channels are the mask's voxels (flat indices into its grid); runs are the run labels; a condition without
        an event in a run is NaN there (not measured).

    Raises
    ------
    DataFormatError
        Images that are not a series, events without the needed columns or with bad values, onsets after the end
        of their run, run labels that do not match.
    GridMismatchError
        Images and mask (or the volumes of a list) on different grids.
    ConditionMismatchError
        A condition that no event names.

    Examples
    --------
    >>> events = pd.read_csv("sub-01_task-objects_run-1_events.tsv", sep="\\t")      # doctest: +SKIP
    >>> recording = recording_from_nifti("bold.nii.gz", events, "mask.nii.gz", tr=2.0)  # doctest: +SKIP
    """
    images, names = _series(imgs, tr)
    for image, name in zip(images, names):
        check_same_grid(image, mask)
    table, runs = _design(images, names, events, volume_runs, tr)
    types = sorted({str(t) for t in table["trial_type"]})
    table["trial_type"] = table["trial_type"].astype(str)
    wanted = types if conditions is None else [str(c) for c in conditions]
    unknown = [c for c in wanted if c not in types]
    if unknown:
        raise ConditionMismatchError("<events>", "trial_type", f"conditions {unknown} name no event; the events' "
                                                               f"trial types are {types}")
    if len(images) > 1:
        from nilearn.image import concat_imgs

        series = concat_imgs(images)
    else:
        series = images[0]
    return condition_patterns(series, mask, table, runs, tr, conditions=wanted, method=method, options=options,
                              descriptors=descriptors)
