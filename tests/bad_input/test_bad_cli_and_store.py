"""Bad input at the command line and in the results store, through real `python -m neuroalign` processes.

Every failure is one line on stderr naming the file and what is wrong, a non-zero exit, and no traceback unless
`--debug`; two grids writing one store never lose a grid; a failing request does not stop the others.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from neuroalign.core import Score
from neuroalign.store import ResultRecord, ResultsStore, StoreAccessError, StoreDamagedError, StoreNotFoundError
from neuroalign.store.leaderboard import MEAN

REPO = Path(__file__).resolve().parents[2]


def _env(**extra: str) -> dict[str, str]:
    paths = [str(REPO), *[p for p in (extra.pop("PYTHONPATH", None), os.environ.get("PYTHONPATH")) if p]]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths), **extra}


def cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    """``python -m neuroalign ARGS`` in a fresh process importing this checkout."""
    return subprocess.run([sys.executable, "-m", "neuroalign", *args], capture_output=True, text=True,
                          env=_env(**env), timeout=300)


def _fails_cleanly(done: subprocess.CompletedProcess, status: int, *fragments: str) -> None:
    assert done.returncode == status, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    for fragment in fragments:
        assert fragment in done.stderr, done.stderr


def _filled_store(path: Path, n_models: int = 3) -> Path:
    with ResultsStore(path) as store:
        store.put_many([ResultRecord(Score(0.1 + 0.001 * k, "spearman", ceiling=0.5, interval=(0.05, 0.2),
                                           provenance={"padding": "x" * 400}), f"model-{k:05d}", "bench", "1")
                        for k in range(n_models)])
    return path


# --- item 13: files that are not what they claim ---------------------------------------------------------------


def test_a_file_that_is_not_hdf5_is_named_without_a_traceback(tmp_path):
    notes = tmp_path / "notes.h5"
    notes.write_text("my lab notes, not an HDF5 file\n")
    done = cli("rdm", str(notes))
    _fails_cleanly(done, 2, str(notes))
    assert done.stderr.count("\n") == 1  # one line
    debug = cli("--debug", "rdm", str(notes))
    assert debug.returncode == 2 and "Traceback (most recent call last)" in debug.stderr and str(notes) in debug.stderr
    after = cli("rdm", str(notes), "--debug")  # the flag may follow the command too
    assert after.returncode == 2 and "Traceback" in after.stderr


def _damage(path: Path) -> bytes:
    """Overwrite some of the store's pages with garbage, as a failing disk or a copy taken mid-write would."""
    data = bytearray(path.read_bytes())
    data[3 * 4096:6 * 4096] = np.random.default_rng(0).integers(0, 256, 3 * 4096, dtype=np.uint8).tobytes()
    path.write_bytes(bytes(data))
    return bytes(data)


def test_a_damaged_sqlite_store_is_named_and_left_unchanged(tmp_path):
    path = _filled_store(tmp_path / "results.sqlite", n_models=200)
    before = _damage(path)
    with pytest.raises(StoreDamagedError, match=f"results store {path} is damaged"):
        with ResultsStore(path) as store:
            store.leaderboard()
    done = cli("leaderboard", "--store", str(path))
    _fails_cleanly(done, 2, str(path), "damaged")
    assert cli("report", "--store", str(path), "--output", str(tmp_path / "r.html")).returncode == 2
    assert path.read_bytes() == before and not (tmp_path / "r.html").exists()


def test_a_truncated_npz_is_named(tmp_path):
    rng = np.random.default_rng(1)
    ids = [f"s{k}" for k in range(40)]
    table = pd.DataFrame(rng.normal(size=(40, 6)), columns=[f"c{k}" for k in range(6)])
    table.insert(0, "stimulus_id", ids)
    table.to_csv(tmp_path / "patterns.csv", index=False)
    np.savez_compressed(tmp_path / "target.npz", square=np.zeros((40, 40)), stimulus_ids=np.array(ids))
    whole = (tmp_path / "target.npz").read_bytes()
    (tmp_path / "target.npz").write_bytes(whole[: len(whole) // 2])  # an interrupted copy
    done = cli("rdm", str(tmp_path / "patterns.csv"), "--compare", str(tmp_path / "target.npz"))
    _fails_cleanly(done, 2, "truncated or damaged", str(tmp_path / "target.npz"))


def test_a_closed_pipe_ends_the_command_quietly(tmp_path):
    path = _filled_store(tmp_path / "results.sqlite")
    process = subprocess.Popen([sys.executable, "-m", "neuroalign", "leaderboard", "--store", str(path)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env())
    process.stdout.close()  # the reader went away before the first line (`| head -0`)
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 141 and stderr == ""


def test_leaderboard_piped_into_head(tmp_path):
    path = _filled_store(tmp_path / "results.sqlite", n_models=3000)  # more text than a pipe buffers
    command = f"{sys.executable} -m neuroalign leaderboard --store {path} | head -n 3"
    done = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True, env=_env(),
                          timeout=300)
    assert len(done.stdout.splitlines()) == 3 and done.stderr == "" and done.returncode == 141


# --- item 9: read-only commands never create a store -----------------------------------------------------------


def test_read_only_commands_refuse_a_missing_store(tmp_path):
    missing = tmp_path / "resluts.sqlite"  # mistyped
    _fails_cleanly(cli("leaderboard", "--store", str(missing)), 2, f"no results store at {missing}")
    _fails_cleanly(cli("leaderboard", "--store", str(missing), "--csv", str(tmp_path / "all.csv")), 2, str(missing))
    _fails_cleanly(cli("report", "--store", str(missing), "-o", str(tmp_path / "r.html")), 2, str(missing))
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    with pytest.raises(StoreNotFoundError, match="does not exist"):
        ResultsStore(missing, create=False)
    missing.touch()  # an empty file is no store either
    with pytest.raises(StoreNotFoundError, match="is an empty file"):
        ResultsStore(missing, create=False)


def test_a_store_path_that_cannot_be_created_is_named(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreAccessError, match=f"{blocker} is a file, not a folder"):
        ResultsStore(blocker / "sub" / "results.sqlite")
    with pytest.raises(StoreAccessError, match="cannot open the results store /proc/results.sqlite: SQLite says "
                                               "unable to open database file"):
        ResultsStore("/proc/results.sqlite")  # a file system where nobody may create a file
    done = cli("leaderboard", "--store", str(blocker / "results.sqlite"))  # read-only: not found, not created
    _fails_cleanly(done, 2, f"no results store at {blocker / 'results.sqlite'}")


def test_exports_name_the_scale_of_every_score_column(tmp_path):
    path = tmp_path / "results.sqlite"
    with ResultsStore(path) as store:
        store.put(Score(0.3, "spearman", ceiling=0.6, interval=(0.2, 0.4)), model_id="m", benchmark_id="b",
                  benchmark_version="1")
        store.put(Score(0.2, "spearman"), model_id="m", benchmark_id="raw-bench", benchmark_version="1")
        table = store.leaderboard()
    assert table.loc["m", (MEAN, "score")] == pytest.approx(0.5)  # 0.3 / 0.6; the raw 0.2 is not averaged in
    done = cli("leaderboard", "--store", str(path), "--csv", str(tmp_path / "all.csv"))
    assert done.returncode == 0, done.stderr
    assert "b@1" in done.stdout and "normalised" in done.stdout and "raw" in done.stdout
    exported = pd.read_csv(tmp_path / "all.csv")
    assert {"raw_value", "raw_interval_low", "raw_interval_high", "normalized_value"} <= set(exported.columns)
    assert not {"value", "normalized", "interval_low"} & set(exported.columns)
    assert exported["normalized_value"].tolist()[0] == pytest.approx(0.5)


# --- item 14: concurrent grids, failing requests ---------------------------------------------------------------

PROBE = '''
"""Probe plugins: features served from a file, a benchmark that can wait for a second process, one that fails."""

import os
import time
from pathlib import Path

import numpy as np

from neuroalign.benchmarks import RsaBenchmark, StatsPolicy

IDS = [f"s{k:02d}" for k in range(20)]


def load_chars(**options):
    """A tiny text model run through the package's extraction and activation cache."""
    import contextlib

    from neuroalign.models.adapter import Adapter

    class Chars(Adapter):
        model_id, modality, layers, batch_size = "probe-chars", "text", ("counts",), 8

        def fingerprint(self):
            return {"probe": "chars-1"}

        @contextlib.contextmanager
        def session(self, poolings, device):
            yield lambda texts: {"counts": np.array([[len(t), t.count("1"), sum(map(ord, t)) % 97] for t in texts],
                                                    dtype=np.float32)}

    return Chars()


def load_features(**options):
    """The features file named by $PROBE_FEATURES."""
    from neuroalign.models import PrecomputedAdapter

    return PrecomputedAdapter(os.environ["PROBE_FEATURES"], model_id="probe-features")


class Meeting(RsaBenchmark):
    """A synthetic RSA benchmark whose evaluation waits until $PROBE_PROCESSES processes have started one."""

    id = "probe.meeting"
    version = "1"
    citation = "@misc{probe}"
    modality = "text"
    stats = StatsPolicy(n_bootstrap=20)

    def stimuli(self):
        from neuroalign.core.stimuli import StimulusSet

        return StimulusSet(IDS, payloads={"text": [f"stimulus {i}" for i in IDS]})

    def load_target(self):
        from scipy.spatial.distance import pdist

        from neuroalign.core.rdms import RDMs

        rng = np.random.default_rng(5)
        base = rng.normal(size=(len(IDS), 8))
        return RDMs(np.array([pdist(base + rng.normal(size=base.shape)) for _ in range(3)]), IDS)

    def evaluate(self, features, stimulus_ids, **options):
        folder = os.environ.get("PROBE_MEETING")
        if folder and options.get("n_bootstrap"):  # the held-out evaluation: both grids are past their lookups
            Path(folder, f"arrived-{os.getpid()}").touch()
            deadline = time.time() + 120
            while len(list(Path(folder).glob("arrived-*"))) < int(os.environ["PROBE_PROCESSES"]):
                assert time.time() < deadline, "the other process never arrived"
                time.sleep(0.05)
        return super().evaluate(features, stimulus_ids, **options)


class Sounds(Meeting):
    """The same benchmark, shown as sounds (no text model can take it)."""

    id = "probe.sounds"
    modality = "audio"


class Broken(Meeting):
    """A benchmark whose evaluation fails."""

    id = "probe.broken"

    def evaluate(self, features, stimulus_ids, **options):
        raise ValueError("probe failure: the lab server is down")
'''


@pytest.fixture
def probe(tmp_path) -> dict[str, str]:
    """A site folder with the probe plugins installed (a real .dist-info with entry points), and its environment."""
    site = tmp_path / "site"
    info = site / "neuroalign_probe-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: neuroalign-probe\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(textwrap.dedent("""\
        [neuroalign.models]
        probe-features = probe_plugins:load_features
        probe-chars = probe_plugins:load_chars

        [neuroalign.benchmarks]
        probe.meeting = probe_plugins:Meeting
        probe.broken = probe_plugins:Broken
        probe.sounds = probe_plugins:Sounds
        """))
    (site / "probe_plugins.py").write_text(PROBE)
    rng = np.random.default_rng(6)
    features = tmp_path / "features.npz"
    np.savez(features, stimulus_ids=np.array([f"s{k:02d}" for k in range(20)]), a=rng.normal(size=(20, 5)),
             b=rng.normal(size=(20, 7)))
    return {"PYTHONPATH": str(site), "PROBE_FEATURES": str(features)}


def test_two_grids_on_one_store_keep_the_first_row_and_both_finish(tmp_path, probe):
    store, meeting = tmp_path / "results.sqlite", tmp_path / "meeting"
    meeting.mkdir()
    command = [sys.executable, "-m", "neuroalign", "run", "-m", "probe-features", "-b", "probe.meeting",
               "--store", str(store), "--cache", str(tmp_path / "cache")]
    env = _env(**probe, PROBE_MEETING=str(meeting), PROBE_PROCESSES="2")
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
                 for _ in range(2)]
    outputs = [p.communicate(timeout=300) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    assert all("Traceback" not in err for _, err in outputs)
    firsts = [out.splitlines()[0] for out, _ in outputs]
    scored = [line for line in firsts if line.startswith("scored")]
    meanwhile = [line for line in firsts if line.startswith("stored")]
    assert len(scored) == 1 and len(meanwhile) == 1, firsts
    assert "already stored by another run while this one computed it" in meanwhile[0]
    with ResultsStore(store) as results:
        rows = results.results()
    assert len(rows) == 1 and rows["id"].tolist() == [1]  # the row stored first is the one kept
    # both processes report the stored value (the same request gives the same score)
    assert scored[0].split(": ")[1].split(" ")[0] == meanwhile[0].split(": ")[1].split(" ")[0]


def test_a_failing_request_does_not_stop_the_grid(tmp_path, probe):
    store = tmp_path / "results.sqlite"
    done = cli("run", "-m", "probe-features", "-b", "probe.broken", "-b", "probe.meeting", "--store", str(store),
               "--cache", str(tmp_path / "cache"), **probe)
    _fails_cleanly(done, 1, "1 of 2 requests failed",
                   "probe-features on probe.broken: ValueError: probe failure: the lab server is down")
    assert "scored   probe-features on probe.meeting" in done.stdout  # the request after the failure ran
    assert "failed   probe-features on probe.broken" in done.stdout
    with ResultsStore(store) as results:
        assert results.results()["benchmark_id"].tolist() == ["probe.meeting"]


def test_an_unknown_model_fails_its_requests_only(tmp_path, probe):
    done = cli("run", "-m", "no-such-model", "-m", "probe-features", "-b", "probe.meeting", "--store",
               str(tmp_path / "results.sqlite"), "--cache", str(tmp_path / "cache"), **probe)
    _fails_cleanly(done, 1, "no-such-model on probe.meeting: UnknownNameError")
    assert "scored   probe-features on probe.meeting" in done.stdout


def test_a_grid_that_scored_nothing_is_not_a_success(tmp_path, probe):
    done = cli("run", "-m", "probe-chars", "-b", "probe.sounds", "--store", str(tmp_path / "results.sqlite"), **probe)
    _fails_cleanly(done, 1, "no request could be scored: every model x benchmark pair was skipped")
    assert done.stdout.startswith("skipped  probe-chars on probe.sounds: model 'probe-chars' cannot read audio: "
                                  "it takes 'text' stimuli")


def test_an_unwritable_cache_is_named(tmp_path, probe):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    done = cli("run", "-m", "probe-chars", "-b", "probe.meeting", "--store", str(tmp_path / "results.sqlite"),
               "--cache", str(blocker / "cache"), **probe)
    _fails_cleanly(done, 1, "probe-chars on probe.meeting", str(blocker / "cache"))
    assert cli("run", "-m", "probe-chars", "-b", "probe.meeting", "--store", str(tmp_path / "results.sqlite"),
               "--cache", str(tmp_path / "cache"), **probe).returncode == 0  # the same model with a usable cache
