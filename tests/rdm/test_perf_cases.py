"""The RDM perf cases run in-process at their small size, and their sides agree (timings are not checked here)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

CASES = sorted((Path(__file__).resolve().parents[2] / "perf" / "cases").glob("rdm_*.py"))


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(f"perf_case_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_small_case_sides_agree(tmp_path, path):
    case = _load(path)
    assert case.NAME == path.stem and {"ours", "reference"} <= set(case.SIDES)
    data = case.setup(tmp_path, True)
    outputs = {side: fn(data) for side, fn in case.SIDES.items()}
    assert outputs["ours"].shape == outputs["reference"].shape
    summary = case.summarize(outputs, {side: 1.0 for side in case.SIDES}, {side: 1.0 for side in case.SIDES})
    assert summary["max_abs_diff"] < 1e-4
    assert np.isfinite(outputs["ours"]).all()


def test_streaming_case_reuses_a_valid_file_and_replaces_a_broken_one(tmp_path):
    case = _load(next(p for p in CASES if p.stem == "rdm_streaming_hdf5"))
    path = case.setup(tmp_path, True)["path"]
    stamp = path.stat().st_mtime_ns
    assert case.setup(tmp_path, True)["path"].stat().st_mtime_ns == stamp
    path.write_bytes(b"not an HDF5 file")
    assert case._valid(case.setup(tmp_path, True)["path"], case._shape(True))
