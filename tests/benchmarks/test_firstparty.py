"""The first-party benchmarks on the real data, against independent computations (scipy, rsatoolbox)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.distance import pdist
from scipy.stats import spearmanr

from neuroalign.benchmarks import StatsPolicy, score
from neuroalign.benchmarks.commitment import split_stimuli
from neuroalign.benchmarks.firstparty import (FIRST_PARTY, HaxbySliceCategories, HumanIT92, MonkeyIT92,
                                              SsvepEegTimeResolved)
from neuroalign.benchmarks.public import PUBLIC
from neuroalign.data.manifest import load_manifest
from neuroalign.models import PrecomputedAdapter
from neuroalign.stats.ceiling import rdm_noise_ceiling

pytestmark = pytest.mark.realdata


def _features(tmp_path, ids, **layers) -> PrecomputedAdapter:
    path = tmp_path / "features.npz"
    np.savez(path, stimulus_ids=np.array(ids), **layers)
    return PrecomputedAdapter(path, model_id="features")


def test_every_first_party_benchmark_is_described_and_cited():
    for cls in FIRST_PARTY:
        bench = cls()
        assert bench.id and bench.version and bench.description and bench.modality in ("image", "text")
        assert load_manifest(bench.dataset).citation.strip() in bench.citation and "@" in bench.citation
        assert bench.description == cls.__doc__.strip().splitlines()[0] and len(bench.description) < 120


def test_human_it_scores_a_layer_chosen_on_other_stimuli(tmp_path, data_mirror):
    bench = HumanIT92(mirror=data_mirror)
    ids = list(bench.stimuli().stimulus_ids)
    rng = np.random.default_rng(0)
    monkey = bench.adapter().monkey_it_rdms().reorder(ids).to_square()[0]
    good = np.linalg.eigh(-0.5 * monkey)[1][:, -20:]  # a representation with the monkey IT geometry
    model = _features(tmp_path, ids, noise=rng.normal(size=(92, 50)), good=good)
    result = score(model, bench, stats=StatsPolicy(n_bootstrap=100, seed=3))
    _, held_out = split_stimuli(ids, 0.5, seed=3)
    assert result.provenance["commitment"]["layer"] == "good"
    subjects = bench.adapter().human_it_rdms().mean_by("subject").reorder(held_out)
    rows = [ids.index(s) for s in held_out]
    expected = np.mean([spearmanr(pdist(good[rows], "correlation"), d)[0] for d in subjects.dissimilarities])
    assert result.value == pytest.approx(expected, abs=1e-12)
    ceiling = rdm_noise_ceiling(subjects, "spearman")
    assert result.ceiling == pytest.approx(ceiling.upper, abs=1e-12) and result.raw.shape == (4,)
    files = result.provenance["dataset_files"]
    assert files == {f.name: f.sha256 for f in load_manifest("kriegeskorte2008_92images").files}


def test_monkey_it_has_no_ceiling(tmp_path, data_mirror):
    bench = MonkeyIT92(mirror=data_mirror)
    ids = list(bench.stimuli().stimulus_ids)
    model = _features(tmp_path, ids, only=np.random.default_rng(1).normal(size=(92, 10)))
    result = score(model, bench, stats=StatsPolicy(n_bootstrap=50))
    assert result.ceiling is None and result.normalized is None and result.interval is not None


def test_haxby_ceiling_is_the_corrected_odd_even_reliability(tmp_path, data_mirror):
    from rsatoolbox.data import Dataset
    from rsatoolbox.rdm import calc_rdm

    bench = HaxbySliceCategories(mirror=data_mirror)
    rec = bench.recording
    patterns = rec.patterns()[..., 0]  # run x category x voxel

    def crossnobis(runs):
        rows = patterns[runs].reshape(-1, patterns.shape[-1])
        data = Dataset(rows, obs_descriptors={"cond": np.tile(np.arange(8), len(runs)),
                                              "run": np.repeat(runs, 8)})
        return calc_rdm(data, method="crossnobis", descriptor="cond", cv_descriptor="run").get_vectors()[0]

    odd, even = crossnobis(np.arange(0, 12, 2)), crossnobis(np.arange(1, 12, 2))
    r = spearmanr(odd, even)[0]
    upper, lower = bench.single_subject_ceiling(rec.stimulus_ids)
    assert upper == pytest.approx(np.sqrt(max(2 * r / (1 + r), 0.0)), abs=1e-12) and lower is None
    stimuli = bench.stimuli()
    assert stimuli.payload("face", "text") == "A photograph of a human face."


def test_eeg_window_mean_of_the_time_course(tmp_path, data_mirror):
    bench = SsvepEegTimeResolved(mirror=data_mirror)
    stimuli = bench.stimuli()
    conditions = np.array(stimuli.metadata["condition"])
    onehot = np.repeat(np.stack([conditions == "1xx", conditions == "2xx"], axis=1), 6, axis=1).astype(float)
    # features are served as float32: the reference uses exactly those values
    onehot = (onehot + np.random.default_rng(0).normal(scale=0.5, size=onehot.shape)).astype(np.float32)
    model = _features(tmp_path, list(stimuli.stimulus_ids), condition=onehot)
    result = score(model, bench, stats=StatsPolicy(n_bootstrap=20))
    rec = bench.recording
    data = rec.patterns()[0]  # stimulus x channel x time
    model_rdm = pdist(onehot.astype(np.float64), "correlation")
    course = np.array([spearmanr(model_rdm, pdist(data[:, :, t], "correlation"))[0] for t in range(rec.n_times)])
    np.testing.assert_allclose(result.provenance["details"]["time_course"], course, atol=1e-10)
    window = (rec.times >= 1.0) & (rec.times <= 15.0)
    assert result.value == pytest.approx(course[window].mean(), abs=1e-12)
    assert len(course) == 512 and result.interval[0] <= result.value <= result.interval[1]


def _registered_first_party() -> list[str]:
    """Every benchmark neuroalign itself registers (its entry points), not just the classes this module knows."""
    from importlib.metadata import entry_points

    ids = sorted(ep.name for ep in entry_points(group="neuroalign.benchmarks")
                 if ep.dist is not None and ep.dist.name == "neuroalign")
    assert set(ids) == {cls.id for cls in (*FIRST_PARTY, *PUBLIC)}
    return ids


def _data_here(bench_id: str, mirror) -> bool:
    """Whether every file of the benchmark's dataset is on this machine (the mirror has the project's demo sets; the
    public ones, kept by MNE's fetcher or downloaded by the user, may be absent: test_public.py and
    test_haxby_vt.py prove those where their data is)."""
    from neuroalign.data import file_status
    from neuroalign.data.library import library_present
    from neuroalign.plugins import load_benchmark

    manifest = load_manifest(load_benchmark(bench_id).dataset)
    if manifest.fetcher:
        return library_present(manifest) is not None
    return all(s.kind != "missing" for s in file_status(manifest, mirror=mirror))


@pytest.mark.slow
def test_every_first_party_benchmark_runs_with_its_defaults(tmp_path, data_mirror, monkeypatch):
    """`neuroalign run` and `neuroalign.score` with nothing but the ids: no policy, no layers (MiniLM reads the
    benchmarks' texts, the cheapest first-party model that every one of them takes)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    import neuroalign
    from neuroalign.plugins import load_benchmark
    from neuroalign.store import ResultsStore

    pytest.importorskip("neuroalign_minilm")
    ids, model = [i for i in _registered_first_party() if _data_here(i, data_mirror)], "all-minilm-l6-v2"
    assert {"kriegeskorte2008.human_it.rsa", "kriegeskorte2008.behaviour.rsa", "haxby2001.vt_slice.rsa"} <= set(ids)
    store, cache = tmp_path / "results.sqlite", tmp_path / "cache"
    repo = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "NEUROALIGN_DATA_MIRROR": str(data_mirror), "HF_HUB_OFFLINE": "1",
           "PYTHONPATH": os.pathsep.join(p for p in (repo, os.environ.get("PYTHONPATH")) if p)}
    benchmarks = [arg for bench in ids for arg in ("-b", bench)]
    done = subprocess.run([sys.executable, "-m", "neuroalign", "run", "-m", model, *benchmarks, "--store", str(store),
                           "--cache", str(cache)], capture_output=True, text=True, env=env, timeout=900)
    assert done.returncode == 0, done.stderr
    assert [line.split(" on ")[1].split(":")[0] for line in done.stdout.splitlines()[:len(ids)]] == ids
    assert all(line.startswith("scored") for line in done.stdout.splitlines()[:len(ids)]), done.stdout
    monkeypatch.setenv("NEUROALIGN_DATA_MIRROR", str(data_mirror))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with ResultsStore(store) as results:
        stored = results.results().set_index("benchmark_id")
    for bench_id in ids:
        result = neuroalign.score(model, bench_id, cache=cache, progress=False)
        policy = load_benchmark(bench_id).stats
        assert np.isfinite(result.value) and np.all(np.isfinite(result.interval))
        assert result.provenance["commitment"]["method"] == policy.commitment
        assert result.value == stored.loc[bench_id, "value"]  # the same request, the same number
