"""Kill a real extraction process with SIGKILL mid-run; resuming gives results bit-identical to a clean run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from neuroalign.cache import ActivationCache
from neuroalign.core.activations import Activations

SCRIPT = Path(__file__).resolve().parent / "extract_script.py"


def _run(*args: object) -> str:
    out = subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout.strip().splitlines()[-1]


@pytest.mark.slow
def test_sigkill_mid_extraction_then_resume_is_bit_identical(tmp_path):
    killed_cache, clean_cache, images = tmp_path / "killed", tmp_path / "clean", tmp_path / "images"
    marker = tmp_path / "stalled"
    proc = subprocess.Popen([sys.executable, str(SCRIPT), *map(str, (killed_cache, images, 11, 4, marker))],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 90
        while not marker.exists():
            assert proc.poll() is None, proc.stderr.read().decode()[-3000:]
            assert time.monotonic() < deadline, "the extraction never reached the fourth batch"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    (entry,) = ActivationCache(killed_cache).entries()
    assert not entry.complete and entry.n_done == 6, "three batches of two should be final when the fourth hangs"
    assert not list(killed_cache.rglob("*[0-9a-f].h5")), "no complete entry may exist after the kill"

    resumed = Activations.from_hdf5(_run(killed_cache, images, 11))
    clean = Activations.from_hdf5(_run(clean_cache, images, 11))
    assert [e.complete for e in ActivationCache(killed_cache).entries()] == [True]
    for layer in ("0", "2", "output"):
        a, b = resumed.layer(layer), clean.layer(layer)
        assert a.tobytes() == b.tobytes(), f"layer {layer} differs after resuming"
    assert np.isfinite(resumed.layer("0")).all()
