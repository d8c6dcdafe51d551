"""The model-adapter contract and the base class that gives every adapter the same ``extract``."""

from __future__ import annotations

import contextlib
from typing import Any, Callable, Iterator, Mapping, Protocol, Sequence, runtime_checkable

import numpy as np

from neuroalign.core.activations import Activations
from neuroalign.core.stimuli import StimulusSet
from neuroalign.models.extraction import DEFAULT_CACHE, run_extraction

#: Runs one batch of loaded payloads through the model: ``run(payloads) -> {layer: (batch, units) float32}``.
BatchRunner = Callable[[Sequence[Any]], Mapping[str, np.ndarray]]


@runtime_checkable
class ModelAdapter(Protocol):
    """What neuroalign needs from a model: an id, a modality, its layers, and ``extract``."""

    model_id: str
    modality: str

    @property
    def layers(self) -> tuple[str, ...]:
        """Names of the layers ``extract`` can record, in model order."""

    def extract(self, stimuli: StimulusSet, layers: str | Sequence[str], **options: Any) -> Activations:
        """Activations of ``layers`` for every stimulus."""


class Adapter:
    """Base class of adapters that run a model batch by batch.

    A subclass sets ``model_id``, ``modality``, ``default_pooling`` and ``batch_size``, and implements
    :attr:`layers`, :meth:`fingerprint` and :meth:`session`; it inherits :meth:`extract` (layer selection,
    batching, the cache, resuming, the memory preflight).
    """

    model_id: str
    modality: str
    default_pooling: str | Mapping[str, str] = "flatten"
    batch_size: int = 32
    #: The layers worth scoring by default (a benchmark sweeps these when no layers are given); every name in
    #: :attr:`layers` is still available. ``None`` means all of :attr:`layers`.
    main_layers: tuple[str, ...] | None = None

    @property
    def layers(self) -> tuple[str, ...]:
        """Names of the layers this adapter can record, in model order."""
        raise NotImplementedError

    def fingerprint(self) -> dict[str, Any]:
        """Everything about the model and its preprocessing that changes the numbers (weights hash included)."""
        raise NotImplementedError

    @contextlib.contextmanager
    def session(self, poolings: Mapping[str, str], device: Any) -> Iterator[BatchRunner]:
        """Prepare the model for a run over batches and yield the :data:`BatchRunner` (restore it afterwards)."""
        raise NotImplementedError
        yield  # pragma: no cover

    def extract(
        self,
        stimuli: StimulusSet,
        layers: str | Sequence[str],
        *,
        pooling: str | Mapping[str, str] | None = None,
        batch_size: int | None = None,
        device: Any = "auto",
        cache: Any = DEFAULT_CACHE,
        memory_limit: int | None = None,
        progress: bool | None = None,
    ) -> Activations:
        """Extract activations of ``layers`` for every stimulus of ``stimuli``.

        Parameters
        ----------
        stimuli : StimulusSet
            Stimuli with payloads of this adapter's modality.
        layers : str or sequence of str
            Exact layer names or glob patterns (see :attr:`layers`).
        pooling : str or mapping, optional
            ``"flatten"``, ``"spatial_mean"``, ``"token_mean"``, ``"first_token"``, ``"last_token"``, or a mapping
            ``{layer or glob: pooling}``; the adapter's ``default_pooling`` when omitted.
        batch_size : int, optional
            Stimuli per forward pass; the adapter's default when omitted. A resumed cache entry keeps the batch
            size it was started with (so that its results are bit-identical to an uninterrupted run).
        device : str, torch.device or None
            ``"auto"`` (CUDA when available, else CPU), ``"cpu"``, ``"cuda"``, ``"cuda:1"``...; ``None`` is the
            CPU, as everywhere (``docs/conventions.md``, "Devices").
        cache : ActivationCache, path, True, "default" or None
            Where activations are streamed and looked up (the user cache by default); ``None`` keeps them in
            memory and caches nothing.
        memory_limit : int, optional
            Bytes the in-memory result may use (the available memory by default), for the preflight check.
        progress : bool, optional
            Show a progress bar; by default only when stderr is a terminal.

        Returns
        -------
        Activations
            One ``(n_stimuli, units)`` float32 matrix per layer, read lazily from the cache file when cached.

        Raises
        ------
        UnknownNameError
            For a layer that does not exist (with close matches and the available names).
        PayloadError
            For a stimulus whose payload is missing or unreadable (names the stimulus and the file).
        EmptyStimulusSetError, InconsistentShapeError, InsufficientMemoryError
            For an empty set, a layer whose size changes across batches, or a result that will not fit.
        """
        return run_extraction(self, stimuli, layers, pooling=pooling, batch_size=batch_size, device=device,
                              cache=cache, memory_limit=memory_limit, progress=progress)
