"""A real extraction run as its own process, for the kill-and-resume test.

Usage: python extract_script.py CACHE_DIR IMAGE_DIR N_IMAGES [STALL_AT_BATCH MARKER]

With STALL_AT_BATCH, the process announces (by creating MARKER) that that batch's forward pass has started and
then hangs, so the test can SIGKILL it at a known point after earlier batches were written.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from models_helpers import image_set, tiny_adapter  # noqa: E402

torch.set_num_threads(1)  # the same thread count in every process, so that runs are comparable bit for bit


def main() -> None:
    cache_dir, image_dir, n = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    adapter = tiny_adapter()
    if len(sys.argv) > 4:
        stall_at, marker = int(sys.argv[4]), Path(sys.argv[5])
        calls = {"n": 0}

        def stall(module, inputs, output):
            calls["n"] += 1
            if calls["n"] == stall_at:
                marker.touch()
                time.sleep(600)

        adapter.model[0].register_forward_hook(stall)
    acts = adapter.extract(image_set(image_dir, n), ["0", "2", "output"], cache=cache_dir, batch_size=2,
                           pooling={"0": "flatten", "*": "spatial_mean"})
    print(acts.descriptors["cache_file"])


if __name__ == "__main__":
    main()
