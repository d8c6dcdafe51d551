"""The extraction loop shared by every adapter: batches in, pooled activations out, streamed to the cache.

Order of work, each step failing before anything is written: layers and pooling are resolved, payloads are
hashed (a missing or unreadable file is named here), the cache is asked for a complete entry, then batches run;
the first batch's sizes feed the memory preflight before anything is stored.
"""

from __future__ import annotations

import contextlib
import os
from typing import TYPE_CHECKING, Any, Mapping

from neuroalign import __version__
from neuroalign.backend import resolve_device
from neuroalign.cache import ActivationCache, cache_key, digest_sequence
from neuroalign.cache.hdf5_layout import FORMAT_VERSION, open_activations
from neuroalign.core.activations import Activations
from neuroalign.core.stimuli import StimulusSet
from neuroalign.models import preflight
from neuroalign.errors.adapters import EmptyStimulusSetError
from neuroalign.models.inputs.payloads import PAYLOAD_READERS, payload_values
from neuroalign.models.layers import resolve_layers
from neuroalign.models.memory_sink import MemorySink
from neuroalign.models.pooling import pooling_for_layers
from neuroalign.utils.progress import progress_bar

if TYPE_CHECKING:
    from neuroalign.models.adapter import Adapter

#: ``cache=DEFAULT_CACHE`` means the user cache directory (see :func:`neuroalign.cache.default_cache_dir`).
DEFAULT_CACHE = "default"


def _resolve_cache(cache: Any) -> ActivationCache | None:
    if cache is None or cache is False:
        return None
    if isinstance(cache, ActivationCache):
        return cache
    if cache is True or cache == DEFAULT_CACHE:
        return ActivationCache()
    if isinstance(cache, (str, os.PathLike)):
        return ActivationCache(cache)
    raise TypeError(f"cache must be an ActivationCache, a directory, True/'default' or None; got {cache!r}")


def key_document(adapter: "Adapter", ids: tuple[str, ...], digests: list[str], layers: tuple[str, ...],
                 poolings: Mapping[str, str]) -> dict[str, Any]:
    """Everything that changes the numbers of an extraction (the cache key is its hash)."""
    return {
        **adapter.fingerprint(),
        "model_id": adapter.model_id,
        "modality": adapter.modality,
        "layers": list(layers),
        "pooling": dict(poolings),
        "n_stimuli": len(ids),
        # ids and payload digests interleaved, so renaming a stimulus and editing one both change the key
        "stimuli_sha256": digest_sequence(x for pair in zip(ids, digests) for x in pair),
        "dtype": "float32",
        "neuroalign_version": __version__,
        "cache_format": FORMAT_VERSION,  # entries of an older layout (no checksums) are never served
    }


def run_extraction(adapter: "Adapter", stimuli: StimulusSet, layers: Any, *, pooling: Any = None,
                   batch_size: int | None = None, device: Any = "auto", cache: Any = DEFAULT_CACHE,
                   memory_limit: int | None = None, progress: bool | None = None) -> Activations:
    """Extract pooled activations of ``layers`` for every stimulus (see :meth:`Adapter.extract`)."""
    names = resolve_layers(layers, adapter.layers)
    poolings = pooling_for_layers(adapter.default_pooling if pooling is None else pooling, names)
    ids = stimuli.stimulus_ids
    if not ids:
        raise EmptyStimulusSetError("the stimulus set is empty; there is nothing to extract")
    reader = PAYLOAD_READERS.get(adapter.modality)
    values = payload_values(stimuli, adapter.modality, adapter.model_id)
    store = _resolve_cache(cache)
    size = int(batch_size or adapter.batch_size)
    if size < 1:
        raise ValueError(f"batch_size must be >= 1; got {size}")
    dev = resolve_device(device)
    if store is None:
        descriptors = {**adapter.fingerprint(), "pooling": dict(poolings)}
        sink = MemorySink(ids, names, size)
        _run_batches(adapter, sink, ids, values, reader, poolings, dev, memory_limit, None, progress)
        return sink.result(adapter.model_id, descriptors)
    digests = [reader.digest(sid, value) for sid, value in zip(ids, values)]
    doc = key_document(adapter, ids, digests, names, poolings)
    key = cache_key(doc)
    hit = store.get(key, adapter.model_id)
    if hit is not None:
        return hit
    with store.writing(key, adapter.model_id, doc, ids, names, size) as entry:
        if isinstance(entry, Activations):  # another process finished it while we waited for the lock
            return entry
        _run_batches(adapter, entry, ids, values, reader, poolings, dev, memory_limit, store, progress)
        final = entry.finalize(store.path_for(key, adapter.model_id))
    return open_activations(final)


def _run_batches(adapter: "Adapter", sink: Any, ids: tuple[str, ...], values: list[Any], reader: Any,
                 poolings: Mapping[str, str], device: Any, memory_limit: int | None,
                 store: ActivationCache | None, progress: bool | None) -> None:
    n, size, start = len(ids), sink.batch_size, sink.n_done
    checked = False
    with contextlib.ExitStack() as stack:
        run = stack.enter_context(adapter.session(poolings, device))
        advance = stack.enter_context(progress_bar(n - start, f"{adapter.model_id}: stimuli extracted",
                                                   enabled=progress, lines=True))
        for lo in range(start, n, size):
            hi = min(lo + size, n)
            arrays = run([reader.read(ids[k], values[k]) for k in range(lo, hi)])
            if not checked:
                units = {name: block.shape[1] for name, block in arrays.items()}
                preflight.check(preflight.estimate(units, n), in_memory=store is None, memory_limit=memory_limit,
                                cache_dir=None if store is None else store.root)
                checked = True
            sink.append(lo, arrays)
            advance(hi - lo)
