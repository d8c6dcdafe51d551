"""Two real processes asked for the same model x stimulus set: one extracts, the other waits and reads it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from neuroalign.cache import ActivationCache
from neuroalign.cache.lock import exclusive_lock

WORKER = Path(__file__).with_name("cache_race_worker.py")


def test_two_processes_never_extract_the_same_entry_twice(tmp_path):
    cache, counter, barrier = tmp_path / "cache", tmp_path / "forward_passes.txt", tmp_path / "barrier"
    barrier.mkdir()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    procs = [subprocess.Popen([sys.executable, str(WORKER), str(cache), str(counter), str(barrier),
                               str(tmp_path / f"out{k}.npy")], env=env, stderr=subprocess.PIPE, text=True)
             for k in range(2)]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    passes = counter.read_text().split()
    assert len(passes) == 4 and len(set(passes)) == 1  # 8 stimuli in batches of 2, all in one process
    np.testing.assert_array_equal(np.load(tmp_path / "out0.npy"), np.load(tmp_path / "out1.npy"))
    entries = ActivationCache(cache).entries()
    assert len(entries) == 1 and entries[0].complete and not list(cache.glob("*/*.partial.h5"))


def test_the_lock_is_released_when_its_holder_is_killed(tmp_path):
    lock = tmp_path / "entry.lock"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from neuroalign.cache.lock import exclusive_lock\n"
        f"with exclusive_lock(Path({str(lock)!r})):\n    print('held', flush=True); time.sleep(60)")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
    finally:
        holder.kill()  # SIGKILL: no cleanup runs; the kernel drops the flock with the process
        holder.wait()
    with exclusive_lock(lock):
        pass
