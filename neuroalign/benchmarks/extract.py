"""``neuroalign.extract(model, stimuli, output)``: activations of any model over any stimuli, into a file.

The entry point beside :func:`neuroalign.score`: it resolves a model id (a plugin, ``hf:ORG/NAME[@REV]``,
``hf:/path``, a features file) and a stimulus source (a :class:`~neuroalign.core.stimuli.StimulusSet`, a folder of
images or WAV files, a table, an image array, or a dataset id), then runs
:func:`neuroalign.models.extract_file.extract_to_file`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Sequence

from neuroalign.benchmarks.scoring import resolve_model
from neuroalign.core.activations import Activations
from neuroalign.core.stimuli import StimulusSet
from neuroalign.core.stimuli_files import load_stimuli
from neuroalign.datasets.registry import load_dataset
from neuroalign.errors import StimulusFileError, UnknownNameError


def dataset_stimuli(dataset_id: str, modalities: set[str] | Sequence[str] = (), mirror: Any = None) -> StimulusSet:
    """The stimulus set of a dataset, with captions when a model reads text and the dataset ships them."""
    import inspect

    adapter = load_dataset(dataset_id, mirror=mirror)
    accepted = inspect.signature(adapter.stimulus_set).parameters
    options = {"captions": True} if "text" in modalities and "captions" in accepted else {}
    return adapter.stimulus_set(**options)


def resolve_stimuli(stimuli: Any, modalities: Sequence[str] = (), mirror: Any = None) -> StimulusSet:
    """A stimulus set from a set, a path (see :func:`neuroalign.core.stimuli_files.load_stimuli`), or a dataset id
    (its stimuli, with captions when a model reads text and the dataset ships them).

    Raises
    ------
    StimulusFileError
        For a path no reader takes, or a name that is neither a path nor a dataset id.
    """
    if isinstance(stimuli, StimulusSet):
        return stimuli
    path = Path(stimuli)
    if path.exists():
        return load_stimuli(path)

    try:
        return dataset_stimuli(str(stimuli), set(modalities), mirror)
    except UnknownNameError as error:
        raise StimulusFileError(path, f"no such file or folder, and not a dataset id ({error})") from None


def extract(model: Any, stimuli: Any, output: str | os.PathLike[str] | None = None, *,
            layers: str | Sequence[str] | None = None, pooling: Any = None, batch_size: int | None = None,
            device: Any = "auto", dtype: str | None = None, cache: Any = "default", progress: bool | None = None,
            format: str | None = None) -> Activations:
    """Extract a model's activations over stimuli through the activation cache, and write them to ``output``.

    Parameters
    ----------
    model : str or ModelAdapter
        A model id (``efficientnet-lite0``, ``hf:ORG/NAME[@REV]``, ``hf:/path/to/folder``; see
        ``neuroalign list models``) or an adapter.
    stimuli : StimulusSet, path or str
        A stimulus set, a folder of images (or WAV files), a table of sentences / files (``.tsv``, ``.csv``,
        ``.txt``), an HDF5/NPZ array of images, or a dataset id.
    output : path-like, optional
        The HDF5 file to write (or a folder for ``format="npz"`` / ``"rsatoolbox"``).
    layers : str or sequence of str, optional
        Layer names or globs; the model's main layers by default.
    pooling : str or mapping, optional
        The model's default per layer when omitted (see docs/models.md).
    batch_size : int, optional
        Stimuli per forward pass.
    device : str
        ``"auto"`` (CUDA when available, else CPU), ``"cpu"``, ``"cuda"``, ``"cuda:1"``.
    dtype : str, optional
        For ``hf:`` models: ``"float32"`` (default), ``"float16"``, ``"bfloat16"``, ``"auto"``.
    cache : ActivationCache, path, "default" or None
        Where batches are streamed (resumable); None keeps them in memory.
    progress : bool, optional
        A progress bar (by default when stderr is a terminal).
    format : str, optional
        ``"hdf5"`` (default), ``"npz"`` (one file per layer) or ``"rsatoolbox"`` (one Dataset file per layer).

    Returns
    -------
    Activations
        The written file's activations (lazy), or the extraction's result when no HDF5 output is written.

    Examples
    --------
    >>> acts = neuroalign.extract("hf:google/vit-base-patch16-224", "images/", "vit.h5")   # doctest: +SKIP
    """
    from neuroalign.models.extract_file import extract_to_file

    adapter = resolve_model(model, **({"dtype": dtype} if dtype else {}))
    reads = getattr(adapter, "reads", None) if getattr(adapter, "paired", False) else None
    stimulus_set = resolve_stimuli(stimuli, tuple(reads or (adapter.modality,)))
    return extract_to_file(adapter, stimulus_set, output, layers=layers, pooling=pooling, batch_size=batch_size,
                           device=device, cache=cache, progress=progress, format=format)
