"""SIGKILL a real cache writer in the middle of its HDF5 writes, again and again: nothing damaged is ever served.

Issue 14, item 11. After every kill the cache can be listed; a partial file that the kill left inconsistent is
quarantined (with a warning) and restarted, one that is intact resumes; the finished entry is bit-identical to
the rows the writer meant to write, and its seal verifies.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import h5py
import pytest

from neuroalign.cache import ActivationCache
from neuroalign.cache.seal import verify_seal

SCRIPT = Path(__file__).resolve().parent / "cache_write_script.py"
N, UNITS, BATCH = 128, 20_000, 8  # 16 batches of 2 x 0.64 MB


def _start(cache: Path, marker: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parents[2]),
                                                        os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen([sys.executable, str(SCRIPT), str(cache), str(N), str(UNITS), str(BATCH), str(marker)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


@pytest.mark.slow
def test_sigkill_during_cache_writes_never_serves_damage(tmp_path):
    sys.path.insert(0, str(SCRIPT.parent))
    from cache_write_script import LAYERS, rows

    cache_dir, rng = tmp_path / "acts", random.Random(14)
    resumed_from = []
    for attempt in range(4):
        marker = tmp_path / f"marker{attempt}"
        proc = _start(cache_dir, marker)
        try:
            # Wait for a random batch to become final, then kill within the time one batch takes.
            target, seen, last = rng.randint(2, 3), 0, time.monotonic()
            deadline = last + 120
            while seen < target and proc.poll() is None:
                assert time.monotonic() < deadline, "the writer stalled"
                now = marker.stat().st_size if marker.exists() else 0
                if now > seen:
                    seen, interval, last = now, time.monotonic() - last, time.monotonic()
                time.sleep(0.001)
            if proc.poll() is None:
                time.sleep(rng.uniform(0.0, interval))
                with contextlib.suppress(ProcessLookupError):  # it may have finished meanwhile
                    os.kill(proc.pid, signal.SIGKILL)
        finally:
            proc.kill()
            out, err = proc.communicate()
        assert "Traceback" not in err, err[-3000:]
        if out.startswith("resumed-from"):
            resumed_from.append(int(out.split()[1]))
        entries = ActivationCache(cache_dir).entries()  # listing never crashes on what a kill left
        assert all(e.state in ("partial", "damaged", "complete") for e in entries)
        for entry in entries:
            if entry.state == "complete":
                verify_seal(entry.path)
    assert max(resumed_from, default=0) > 0, f"no run resumed: {resumed_from}"
    done = subprocess.run([sys.executable, str(SCRIPT), str(cache_dir), str(N), str(UNITS), str(BATCH),
                           str(tmp_path / "last")], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert done.returncode == 0, done.stderr[-3000:]
    final = Path(done.stdout.strip().splitlines()[-1])
    verify_seal(final)
    with h5py.File(final, "r") as f:
        for k, name in enumerate(LAYERS):
            assert f["layers"][name][()].tobytes() == rows(0, N, UNITS, k).tobytes(), f"layer {name} differs"
    complete = [e for e in ActivationCache(cache_dir).entries() if e.state == "complete"]
    assert [e.path for e in complete] == [final]
