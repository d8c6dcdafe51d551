"""The neuroalign command line, run as a real subprocess and in-process."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import scipy.spatial.distance as ssd
import scipy.stats

import neuroalign
from neuroalign.cli.main import main


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "neuroalign.cli.main", *args], capture_output=True, text=True)


def test_version_and_help():
    out = run_cli("--version")
    assert out.returncode == 0 and out.stdout.strip() == f"neuroalign {neuroalign.__version__}"
    out = run_cli("--help")
    assert out.returncode == 0 and "rdm" in out.stdout and "demo" in out.stdout


@pytest.fixture
def files(tmp_path):
    rng = np.random.default_rng(11)
    ids = [f"stim{k}" for k in range(8)]
    patterns = rng.normal(size=(8, 20))
    table = pd.DataFrame(patterns, columns=[f"v{k}" for k in range(20)])
    table.insert(0, "stimulus_id", ids)
    table.to_csv(tmp_path / "patterns.csv", index=False)
    target = ssd.squareform(ssd.pdist(rng.normal(size=(8, 5))))
    order = rng.permutation(8)  # the target lists stimuli in another order: the join is by id
    np.savez(tmp_path / "target.npz", square=target[order][:, order], stimulus_ids=np.array(ids)[order])
    return tmp_path, patterns, target


def test_rdm_compare_prints_the_spearman_table(files, capsys):
    folder, patterns, target = files
    assert main(["rdm", str(folder / "patterns.csv"), "--compare", str(folder / "target.npz"),
                 "--output", str(folder / "out.h5")]) == 0
    printed = capsys.readouterr().out
    expected = scipy.stats.spearmanr(ssd.pdist(patterns, "correlation"), ssd.squareform(target)).statistic
    assert f"{expected:.4f}" in printed
    saved = neuroalign.RDMs.from_hdf5(folder / "out.h5")
    np.testing.assert_allclose(saved.dissimilarities[0], ssd.pdist(patterns, "correlation"), rtol=1e-10)


def test_rdm_crossnobis_from_runs(tmp_path, capsys):
    rng = np.random.default_rng(12)
    rows = [(f"s{k}", run, *rng.normal(size=6)) for run in ("r1", "r2", "r3") for k in range(5)]
    pd.DataFrame(rows, columns=["stimulus_id", "run", *[f"c{k}" for k in range(6)]]).to_csv(tmp_path / "p.csv",
                                                                                             index=False)
    assert main(["rdm", str(tmp_path / "p.csv"), "--distance", "crossnobis", "--run-column", "run"]) == 0
    assert "distance crossnobis" in capsys.readouterr().out


def test_mismatched_ids_fail_before_writing(files, capsys):
    folder, _, target = files
    np.savez(folder / "other.npz", square=target, stimulus_ids=np.array([f"x{k}" for k in range(8)]))
    status = main(["rdm", str(folder / "patterns.csv"), "--compare", str(folder / "other.npz"),
                   "--output", str(folder / "never.h5")])
    err = capsys.readouterr().err
    assert status == 2 and "only in" in err and "'x0'" in err
    assert not (folder / "never.h5").exists()


def test_unknown_distance_suggests(files, capsys):
    folder, _, _ = files
    assert main(["rdm", str(folder / "patterns.csv"), "--distance", "corelation"]) == 2
    assert "Did you mean 'correlation'" in capsys.readouterr().err


def test_demo_on_real_data(data_mirror):
    out = run_cli("demo", "--mirror", str(data_mirror))
    assert out.returncode == 0, out.stderr
    assert "Noise ceiling (leave one subject out)" in out.stdout
    assert "monkeyIT" in out.stdout and "animacy" in out.stdout
