"""The benchmarks on public datasets: behaviour on the 92 images runs here on the real data; the MEG and EEG ones
run where MNE has their data and skip with the reason otherwise; a model that cannot read the stimuli is named."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.distance import pdist
from scipy.stats import spearmanr

from neuroalign.benchmarks import ModalityMismatchError, StatsPolicy, score
from neuroalign.benchmarks.commitment import split_stimuli
from neuroalign.runs.grid import run
from neuroalign.benchmarks.public import PUBLIC, CichyMeg92TimeResolved, HumanBehaviour92, KilowordEegTimeResolved
from neuroalign.data.manifest import load_manifest
from neuroalign.models import PrecomputedAdapter
from neuroalign.stats.ceiling import rdm_noise_ceiling


def _features(tmp_path, ids, **layers) -> PrecomputedAdapter:
    path = tmp_path / "features.npz"
    np.savez(path, stimulus_ids=np.array(ids), **layers)
    return PrecomputedAdapter(path, model_id="features")


def test_public_benchmarks_are_versioned_cited_and_registered():
    import tomllib
    from pathlib import Path

    entry_points = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())["project"][
        "entry-points"]["neuroalign.benchmarks"]
    for cls in PUBLIC:
        bench = cls()
        assert bench.version and bench.description == cls.__doc__.strip().splitlines()[0]
        assert load_manifest(bench.dataset).citation.strip() in bench.citation and "nili2014toolbox" in bench.citation
        assert entry_points[bench.id] == f"neuroalign.benchmarks.public:{cls.__name__}"


@pytest.mark.realdata
def test_behaviour_benchmark_runs_with_its_defaults_on_the_judgements(tmp_path, data_mirror):
    bench = HumanBehaviour92(mirror=data_mirror)
    ids = list(bench.stimuli().stimulus_ids)
    subjects = bench.adapter().behaviour_rdms()
    mean_square = subjects.reorder(ids).to_square().mean(axis=0)
    good = np.linalg.eigh(-0.5 * mean_square)[1][:, -20:]  # a representation with the judgements' geometry
    model = _features(tmp_path, ids, noise=np.random.default_rng(0).normal(size=(92, 30)), good=good)
    result = score(model, bench)  # the benchmark's own statistics policy
    assert result.provenance["commitment"]["layer"] == "good" and result.raw.shape == (16,)
    _, held_out = split_stimuli(ids, 0.5, seed=bench.stats.seed)
    rows = [ids.index(s) for s in held_out]
    judged = subjects.reorder(held_out)
    expected = np.mean([spearmanr(pdist(good[rows], "correlation"), d)[0] for d in judged.dissimilarities])
    assert result.value == pytest.approx(expected, abs=1e-12)
    assert result.ceiling == pytest.approx(rdm_noise_ceiling(judged, "spearman").upper, abs=1e-12)
    assert 0 < result.value < result.ceiling and result.interval is not None


def _mne_has(name: str) -> bool:
    import mne

    try:
        return bool(mne.datasets.has_dataset(name))
    except OSError:
        return False


@pytest.mark.parametrize("cls, mne_name", [(CichyMeg92TimeResolved, "visual_92_categories"),
                                           (KilowordEegTimeResolved, "kiloword")])
def test_meg_and_eeg_benchmarks_run_with_their_defaults_where_mne_has_the_data(tmp_path, data_mirror, cls,
                                                                               mne_name):
    if not _mne_has(mne_name):
        pytest.skip(f"MNE's {mne_name} dataset is not on this machine (fetch it with `neuroalign data fetch "
                    f"{cls.dataset}`)")
    bench = cls(mirror=data_mirror)
    ids = list(bench.stimuli().stimulus_ids)
    model = _features(tmp_path, ids, rand=np.random.default_rng(0).normal(size=(len(ids), 16)))
    result = score(model, bench, stats=StatsPolicy(n_bootstrap=20))
    assert np.isfinite(result.value) and len(result.details["time_course"]) == len(bench.recording.times)


def test_a_text_model_on_the_meg_images_cannot_read_images(tmp_path):
    model = _features(tmp_path, ["img01"], only=np.zeros((1, 2)))
    model.modality = "text"
    with pytest.raises(ModalityMismatchError, match="cannot read images: it takes 'text' stimuli"):
        score(model, CichyMeg92TimeResolved())
    table = run([model], [CichyMeg92TimeResolved()], store=tmp_path / "r.sqlite")
    assert list(table.status) == ["skipped"] and "cannot read images" in table.reason[0]


@pytest.mark.realdata
def test_the_haxby_slice_benchmark_still_scores_a_text_model(tmp_path, data_mirror):
    from neuroalign.benchmarks.firstparty import HaxbySliceCategories

    bench = HaxbySliceCategories(mirror=data_mirror)
    ids = list(bench.stimuli().stimulus_ids)
    model = _features(tmp_path, ids, last=np.random.default_rng(3).normal(size=(8, 12)))
    model.modality = "text"
    table = run([model], [bench], store=tmp_path / "r.sqlite", stats=StatsPolicy(n_bootstrap=0))
    assert list(table.status) == ["scored"] and np.isfinite(table.value[0])
