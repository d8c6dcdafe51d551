"""The results store every report test reads: real scores, layer profiles and an alignment study (real data).

Three precomputed feature "models" are scored on three first-party benchmarks (human IT and monkey IT, with their
layer profiles, ``run_sweeps``, and the Haxby VT slice), one on the EEG time-resolved benchmark, plus a score of a
benchmark id no plugin registers; an ``align`` study of a tiny conv net, its random twin and human IT adds alignment
results. Built once per session (about 6 s of CPU) and, under pytest-xdist (``--dist loadgroup``), on one worker:
every test that uses it is in the ``report`` group.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "models"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from models_helpers import tiny_adapter  # noqa: E402
from report_helpers import EEG_MODEL, IMAGE_MODELS, RETIRED, features  # noqa: E402

from neuroalign.alignment import ModelSource, align, brain_source, random_twin  # noqa: E402
from neuroalign.benchmarks import StatsPolicy  # noqa: E402
from neuroalign.benchmarks.extract import dataset_stimuli  # noqa: E402
from neuroalign.benchmarks.firstparty import (HaxbySliceCategories, HumanIT92, MonkeyIT92,  # noqa: E402
                                              SsvepEegTimeResolved)
from neuroalign.runs.grid import run  # noqa: E402
from neuroalign.runs.sweeps import run_sweeps  # noqa: E402
from neuroalign.core.score import Score  # noqa: E402
from neuroalign.report.html import build_report  # noqa: E402
from neuroalign.store import ResultsStore  # noqa: E402


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook, which reads the group marks into the node ids
def pytest_collection_modifyitems(config, items):
    """Keep the tests of the report store on one pytest-xdist worker, so that the store is built once."""
    for item in items:
        if "report_store" in getattr(item, "fixturenames", ()) and not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group("report"))


def _align(store: ResultsStore, mirror: Path) -> None:
    tiny = tiny_adapter()
    sources = [ModelSource(a, list(a.layers)[:3], cache=None, device="cpu") for a in (tiny, random_twin(tiny, 0))]
    sources.append(brain_source("kriegeskorte2008.human_it", mirror))
    stimuli = dataset_stimuli("kriegeskorte2008_92images", {"image"}, mirror)
    # one metric keeps the section's figures few (the metric agreement is tested through `align --plots`)
    align(sources, stimuli, ["cka.linear"], n_permutations=10, n_bootstrap=10, seed=0, store=store)


@pytest.fixture(scope="session")
def report_store(tmp_path_factory, data_mirror) -> Path:
    """The filled results store (see the module docstring)."""
    folder = tmp_path_factory.mktemp("html_report")
    human, monkey, haxby, eeg = (cls(mirror=data_mirror) for cls in (HumanIT92, MonkeyIT92, HaxbySliceCategories,
                                                                      SsvepEegTimeResolved))
    ids = list(human.stimuli().stimulus_ids)
    rng = np.random.default_rng(0)
    monkey_rdm = human.adapter().monkey_it_rdms().reorder(ids).to_square()[0]
    geometry = np.linalg.eigh(-0.5 * monkey_rdm)[1][:, -20:]  # features with the monkey IT geometry
    categories = list(haxby.stimuli().stimulus_ids)  # the 8 Haxby categories: rows of their own
    models = [features(folder / f"image{k}.npz", ids + categories, name, noise=rng.normal(size=(100, 30)),
                       mixed=np.vstack([geometry + k * rng.normal(scale=0.05, size=geometry.shape),
                                        rng.normal(size=(8, 20))]))
              for k, name in enumerate(IMAGE_MODELS)]
    trials = eeg.stimuli()
    conditions = np.array(trials.metadata["condition"])
    onehot = np.stack([conditions == "1xx", conditions == "2xx"], axis=1).astype(float)
    eeg_model = features(folder / "eeg.npz", list(trials.stimulus_ids), EEG_MODEL,
                         condition=onehot + rng.normal(scale=0.5, size=onehot.shape))
    store_path = folder / "results.sqlite"
    policy = StatsPolicy(n_bootstrap=50)
    with ResultsStore(store_path) as store:
        run(models, [human, monkey, haxby], store=store, stats=policy, progress=False)
        run([eeg_model], [eeg], store=store, stats=policy, progress=False)
        run_sweeps(models, [human, monkey], store=store, stats=policy, progress=False)
        store.put(Score(0.5, "spearman", ceiling=0.4, ceiling_low=0.3, interval=(0.45, 0.55)), model_id="alpha",
                  benchmark_id=RETIRED, benchmark_version="2", parameters={"note": "<i>old</i>"})
        _align(store, data_mirror)
    return store_path


@pytest.fixture(scope="session")
def report(report_store) -> Path:
    """The report of :func:`report_store`."""
    return build_report(report_store, report_store.parent / "out" / "report.html", title="Report <of> models")
