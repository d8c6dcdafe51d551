"""The :class:`StimulusSet` container: ordered stimulus ids, their metadata and their payloads."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence

import pandas as pd

from neuroalign.core.ids import normalize_ids, positions
from neuroalign.errors import ShapeMismatchError, StimulusMismatchError


def _metadata_rows(metadata: Any, ids: tuple[str, ...]) -> pd.DataFrame:
    """The metadata table in the order of ``ids``: by id when its index labels the stimuli, else by position."""
    if metadata is None:
        return pd.DataFrame(index=range(len(ids)))
    table = pd.DataFrame(metadata)
    labels = [str(i) for i in table.index]
    # A table indexed by the ids (stimulus_id as its index) is joined by id, like every other container: its row
    # order may differ from the ids'. The default 0..n-1 index names positions, not stimuli.
    if not isinstance(table.index, pd.RangeIndex) and len(labels) == len(ids) and set(labels) == set(ids):
        table = table.iloc[positions(labels, ids, source_name="metadata")]
    table = table.reset_index(drop=True)
    if len(table) != len(ids):
        raise ShapeMismatchError(f"metadata has {len(table)} rows for {len(ids)} stimuli")
    return table


class StimulusSet:
    """The stimuli of an experiment.

    Parameters
    ----------
    stimulus_ids : sequence
        Unique ids, in a fixed order.
    metadata : DataFrame or mapping, optional
        One row per stimulus (category, labels, ...). A DataFrame indexed by the stimulus ids (any order; not the
        default 0..n-1 index) is matched by id; any other table by position.
    payloads : mapping of str to sequence, optional
        Per modality (``"image"``, ``"text"``, ``"audio"``), one payload per stimulus: a file path (relative
        paths resolve against ``root``) or the content itself (a caption). Several modalities may be given for the
        same stimuli (an image and its caption).
    root : path-like, optional
        Directory that relative payload paths are resolved against.
    name : str, optional
        A name for the set (used in cache keys and reports).
    """

    def __init__(
        self,
        stimulus_ids: Sequence[object],
        *,
        metadata: pd.DataFrame | Mapping[str, Sequence[Any]] | None = None,
        payloads: Mapping[str, Sequence[Any]] | None = None,
        root: str | Path | None = None,
        name: str | None = None,
    ) -> None:
        self._ids = normalize_ids(stimulus_ids)
        n = len(self._ids)
        table = _metadata_rows(metadata, self._ids)
        table.index = pd.Index(self._ids, name="stimulus_id")
        self._metadata = table
        self._payloads: dict[str, tuple[Any, ...]] = {}
        for modality, values in (payloads or {}).items():
            values = tuple(values)
            if len(values) != n:
                raise ShapeMismatchError(f"{modality!r} payloads have {len(values)} entries for {n} stimuli")
            missing = [sid for sid, v in zip(self._ids, values) if v is None or (isinstance(v, float) and v != v)]
            if missing:
                raise StimulusMismatchError(f"no {modality!r} payload for stimulus ids {missing[:10]}")
            self._payloads[str(modality)] = values
        self.root = Path(root) if root is not None else None
        self.name = name

    @property
    def stimulus_ids(self) -> tuple[str, ...]:
        """The ids, in order."""
        return self._ids

    @property
    def metadata(self) -> pd.DataFrame:
        """A copy of the metadata table, indexed by stimulus id."""
        return self._metadata.copy()

    @property
    def modalities(self) -> tuple[str, ...]:
        """The payload modalities this set carries."""
        return tuple(self._payloads)

    def __len__(self) -> int:
        return len(self._ids)

    def __repr__(self) -> str:
        return (f"<StimulusSet {self.name or ''} {len(self)} stimuli, modalities={list(self._payloads)}, "
                f"metadata={list(self._metadata.columns)}>")

    def payload(self, stimulus_id: object, modality: str) -> Any:
        """The payload of one stimulus: a resolved :class:`~pathlib.Path` for file payloads, else the value."""
        if modality not in self._payloads:
            raise KeyError(f"no {modality!r} payloads; this set has {list(self._payloads)}")
        return self._resolve(self._payloads[modality][positions(self._ids, [str(stimulus_id)],
                                                                source_name="stimulus set")[0]])

    def payloads(self, modality: str) -> list[Any]:
        """Every stimulus's payload of ``modality``, in stimulus order (as :meth:`payload` gives each)."""
        if modality not in self._payloads:
            raise KeyError(f"no {modality!r} payloads; this set has {list(self._payloads)}")
        return [self._resolve(value) for value in self._payloads[modality]]

    def _resolve(self, value: Any) -> Any:
        if isinstance(value, Path) or (isinstance(value, str) and self.root is not None
                                       and (self.root / value).exists()):
            path = Path(value)
            return path if path.is_absolute() or self.root is None else self.root / path
        return value

    # --- from disk (see neuroalign.core.stimuli_files) -------------------------------------------------------------
    @classmethod
    def from_image_folder(cls, folder: str | Path, **options: Any) -> "StimulusSet":
        """The images of a folder; see :func:`neuroalign.core.stimuli_files.image_folder`."""
        from neuroalign.core.stimuli_files import image_folder

        return image_folder(folder, **options)

    @classmethod
    def from_audio_folder(cls, folder: str | Path, **options: Any) -> "StimulusSet":
        """The WAV files of a folder; see :func:`neuroalign.core.stimuli_files.audio_folder`."""
        from neuroalign.core.stimuli_files import audio_folder

        return audio_folder(folder, **options)

    @classmethod
    def from_table(cls, path: str | Path, **options: Any) -> "StimulusSet":
        """Sentences and/or files listed in a TSV/CSV/TXT; see :func:`neuroalign.core.stimuli_files.from_table`."""
        from neuroalign.core.stimuli_files import from_table

        return from_table(path, **options)

    @classmethod
    def from_image_array(cls, path: str | Path, **options: Any) -> "StimulusSet":
        """Images stored as one HDF5/NPZ array; see :func:`neuroalign.core.stimuli_arrays.image_array`."""
        from neuroalign.core.stimuli_arrays import image_array

        return image_array(path, **options)

    @classmethod
    def load(cls, path: str | Path, **options: Any) -> "StimulusSet":
        """Whatever stimuli ``path`` holds; see :func:`neuroalign.core.stimuli_files.load_stimuli`."""
        from neuroalign.core.stimuli_files import load_stimuli

        return load_stimuli(path, **options)

    def subset(self, stimulus_ids: Sequence[object]) -> "StimulusSet":
        """Select and reorder stimuli by id."""
        target = normalize_ids(stimulus_ids)
        pos = positions(self._ids, target, source_name="stimulus set")
        return StimulusSet(
            target,
            metadata=self._metadata.iloc[pos].reset_index(drop=True),
            payloads={m: [v[k] for k in pos] for m, v in self._payloads.items()},
            root=self.root,
            name=self.name,
        )
