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


def test_rdm_comparator_option_and_its_deprecated_spelling(files, capsys):
    folder, patterns, target = files
    args = ["rdm", str(folder / "patterns.csv"), "--compare", str(folder / "target.npz")]
    expected = scipy.stats.pearsonr(ssd.pdist(patterns, "correlation"), ssd.squareform(target)).statistic
    assert main([*args, "--comparator", "pearson"]) == 0
    printed = capsys.readouterr().out
    assert f"{expected:.4f}" in printed and printed.splitlines()[2].startswith("pearson")
    with pytest.warns(FutureWarning, match="'--method' is deprecated.*use '--comparator'"):
        assert main([*args, "--method", "pearson"]) == 0
    assert capsys.readouterr().out == printed
    assert main([*args, "--method", "pearson", "--comparator", "pearson"]) == 2
    assert "give --comparator only" in capsys.readouterr().err
    assert "--method" not in run_cli("rdm", "--help").stdout


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


@pytest.mark.slow
def test_run_with_sweep_then_leaderboard_and_export(data_mirror, tmp_path, monkeypatch, capsys):
    """``neuroalign run`` scores a real plugin model by id, stores its layer profile, and ``leaderboard`` exports."""
    monkeypatch.setenv("NEUROALIGN_DATA_MIRROR", str(data_mirror))
    monkeypatch.setenv("NEUROALIGN_CACHE_DIR", str(tmp_path / "cache"))
    store = str(tmp_path / "results.sqlite")
    args = ["run", "-m", "efficientnet-lite0", "-b", "kriegeskorte2008.monkey_it.rsa", "--layer", "_blocks.1[0-3]",
            "--bootstrap", "50", "--sweep", "--store", store]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "scored   efficientnet-lite0 on kriegeskorte2008.monkey_it.rsa" in out
    assert "profile  efficientnet-lite0 on kriegeskorte2008.monkey_it.rsa: 4 layers, best _blocks.1" in out
    from neuroalign.store import ResultsStore

    assert sorted(ResultsStore(store).results(kind="layer_sweep").layer) == [f"_blocks.1{k}" for k in range(4)]
    assert main(args) == 0 and "stored   efficientnet-lite0" in capsys.readouterr().out
    assert main(["leaderboard", "--store", store, "--csv", str(tmp_path / "all.csv")]) == 0
    assert "efficientnet-lite0" in capsys.readouterr().out
    assert len(pd.read_csv(tmp_path / "all.csv")) == 5  # one committed score and four profile layers
