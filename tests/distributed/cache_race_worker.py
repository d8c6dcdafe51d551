"""One process of the cache race test: wait for the other, then extract a tiny text model into a shared cache.

Usage: ``python cache_race_worker.py CACHE_DIR COUNTER BARRIER_DIR OUT.npy``. Every forward pass appends this
process's id to COUNTER and sleeps, so that the two processes overlap while one of them extracts.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

from neuroalign.core.stimuli import StimulusSet
from neuroalign.models import TorchAdapter

N_STIMULI, BATCH = 8, 2


class CharCodes:
    """Texts as a batch of their first 8 character codes (a deterministic, hashable preprocessing)."""

    def params(self) -> dict:
        return {"kind": "char-codes", "length": 8}

    def __call__(self, texts):
        return torch.tensor([[float(ord(c)) for c in (t + " " * 8)[:8]] for t in texts])


class CountingNet(nn.Module):
    """A linear layer whose every forward pass is written down in the counter file."""

    def __init__(self, counter: Path) -> None:
        super().__init__()
        torch.manual_seed(0)
        self.linear = nn.Linear(8, 4)
        self.counter = counter

    def forward(self, x):
        with open(self.counter, "a") as f:
            f.write(f"{os.getpid()}\n")
        time.sleep(0.3)
        return self.linear(x)


def main(cache_dir: str, counter: str, barrier: str, out: str) -> None:
    adapter = TorchAdapter(CountingNet(Path(counter)), CharCodes(), model_id="counting-net", modality="text",
                           batch_size=BATCH)
    texts = [f"text {k}" for k in range(N_STIMULI)]
    stimuli = StimulusSet([f"t{k}" for k in range(N_STIMULI)], payloads={"text": texts})
    folder = Path(barrier)
    (folder / str(os.getpid())).touch()
    deadline = time.time() + 60
    while len(list(folder.iterdir())) < 2 and time.time() < deadline:  # start together
        time.sleep(0.01)
    activations = adapter.extract(stimuli, "linear", cache=cache_dir, device="cpu", progress=False)
    np.save(out, activations.layer("linear"))


if __name__ == "__main__":
    main(*sys.argv[1:5])
