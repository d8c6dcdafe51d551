"""A real activation-cache writer as its own process, for the kill-during-write test.

Usage: python cache_write_script.py CACHE_DIR N_ROWS UNITS BATCH MARKER

Writes two layers of ``N_ROWS x UNITS`` float32 rows through ``ActivationCache.writing`` batch by batch (row ``r``
is a fixed function of ``r``, so any batching gives the same bytes), appending one byte to MARKER each time a
batch is final. Prints ``resumed-from <rows>`` and then the path of the complete file. Almost all of its time is spent in
HDF5 writes and flushes, so a SIGKILL at a random moment lands in one.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from neuroalign.cache import ActivationCache

LAYERS = ("a", "b")


def rows(start: int, stop: int, units: int, layer: int) -> np.ndarray:
    """Rows ``start:stop`` of layer ``layer`` (deterministic, distinct per row and layer)."""
    r = np.arange(start, stop, dtype=np.float64)[:, None]
    u = np.arange(units, dtype=np.float64)[None, :]
    return np.sin(0.37 * r + 0.011 * u + layer).astype(np.float32)


def main() -> None:
    cache_dir, n, units, batch, marker = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), \
        Path(sys.argv[5])
    cache = ActivationCache(cache_dir)
    key = "c" * 64
    ids = [f"s{k}" for k in range(n)]
    doc = {"model_id": "writer", "n_stimuli": n, "layers": list(LAYERS)}
    with cache.writing(key, "writer", doc, ids, list(LAYERS), batch) as entry:
        if not hasattr(entry, "append"):  # already complete
            print("resumed-from", n)
            print(entry.descriptors["cache_file"])
            return
        print("resumed-from", entry.n_done, flush=True)
        for start in range(entry.n_done, n, entry.batch_size):
            stop = min(start + entry.batch_size, n)
            entry.append(start, {name: rows(start, stop, units, k) for k, name in enumerate(LAYERS)})
            with marker.open("ab") as fh:
                fh.write(b".")
        print(entry.finalize(cache.path_for(key, "writer")))


if __name__ == "__main__":
    main()
