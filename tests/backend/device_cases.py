"""Every public function that takes ``device``, found by introspection, and a small real call of each.

``public_functions_with_device()`` walks the ``__all__`` of every neuroalign package (and the methods of the classes
listed there) and keeps the functions with a ``device`` parameter, so a new one is found without being listed
here. ``CASES`` holds one call per function on the real data of ``../shared/data`` (the 92-image RDMs, stimuli and
benchmark, the Haxby slice, the SSVEP EEG benchmark; a max-pooling net whose activations are exact), returning the
numbers it computes as one float64 vector.

``device_golden.json`` holds those vectors as computed before the device rule of ``docs/conventions.md`` existed
(main at 1dca461, ``device=None``, on a machine without a GPU), written by running this file with that checkout
first on ``PYTHONPATH``::

    PYTHONPATH=/path/to/old/checkout python tests/backend/device_cases.py tests/backend/device_golden.json
"""

from __future__ import annotations

import functools
import importlib
import inspect
import json
import os
import pkgutil
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any, Callable

import numpy as np

import neuroalign

GOLDEN = Path(__file__).with_name("device_golden.json")

#: Functions that take ``device`` but are hooks handed an already resolved ``torch.device`` by their caller, not
#: entry points (``Adapter.extract`` resolves the device and calls ``session`` with it).
HOOKS = {
    "neuroalign.models.adapter.Adapter.session": "an adapter hook: extract() passes it a resolved torch.device",
    "neuroalign.models.torch_adapter.TorchAdapter.session": "an adapter hook: extract() passes it a resolved "
                                                            "torch.device",
    "neuroalign.models.hf.audio.HFAudioAdapter.session": "an adapter hook: extract() passes it a resolved "
                                                         "torch.device",
}


def _packages() -> list[str]:
    found = pkgutil.walk_packages(neuroalign.__path__, "neuroalign.")
    return ["neuroalign", *sorted(m.name for m in found if m.ispkg and "._" not in m.name)]


def _methods(cls: type) -> list[Callable]:
    out = []
    for name in dir(cls):
        if name.startswith("_") and name not in ("__init__", "__call__"):
            continue
        member = inspect.getattr_static(cls, name, None)
        member = member.__func__ if isinstance(member, (staticmethod, classmethod)) else member
        if inspect.isfunction(member):
            out.append(member)
    return out


def public_functions_with_device() -> dict[str, Callable]:
    """``{"module.qualname": function}`` of every public function or method with a ``device`` parameter."""
    found: dict[str, Callable] = {}
    for package in _packages():
        module = importlib.import_module(package)
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            candidates = _methods(obj) if inspect.isclass(obj) else [obj] if inspect.isfunction(obj) else []
            for function in candidates:
                if "device" in inspect.signature(function).parameters:
                    found[f"{function.__module__}.{function.__qualname__}"] = function
    return found


def _flat(*parts: Any) -> np.ndarray:
    return np.concatenate([np.asarray(p, dtype=np.float64).ravel() for p in parts])


class Inputs:
    """The real inputs of the cases, loaded once (``workdir`` takes the result stores)."""

    def __init__(self, mirror: Path, workdir: Path) -> None:
        self.mirror, self.workdir = Path(mirror), Path(workdir)

    @functools.cached_property
    def _k92(self) -> Any:
        from neuroalign.datasets import load_dataset

        return load_dataset("kriegeskorte2008_92images", mirror=self.mirror)

    @functools.cached_property
    def ids(self) -> list[str]:
        """Every fourth of the 92 stimuli (23, all categories)."""
        return list(self._k92.human_it_rdms().stimulus_ids[::4])

    @functools.cached_property
    def models(self) -> Any:
        """Four model RDMs (animacy, face/body/man-made/natural, V1, silhouette), with ties."""
        return self._k92.model_rdms()[[0, 1, 5, 6]].reorder(self.ids)

    @functools.cached_property
    def subjects(self) -> Any:
        """The four subjects' human IT RDMs (sessions averaged)."""
        return self._k92.human_it_rdms().mean_by("subject").reorder(self.ids)

    @functools.cached_property
    def haxby(self) -> Any:
        """The Haxby slice: 12 runs x 8 categories x 530 voxels."""
        from neuroalign.datasets import load_dataset

        recording, = load_dataset("haxby2001_subj1_slice", mirror=self.mirror).recordings(method="average",
                                                                                         roi="slice")
        return recording

    @functools.cached_property
    def halves(self) -> tuple[np.ndarray, np.ndarray]:
        """The Haxby slice's odd-run and even-run mean patterns (8 x 530 each)."""
        data = np.asarray(self.haxby.data, dtype=np.float64)
        return data[1::2].mean(axis=0), data[0::2].mean(axis=0)

    @functools.cached_property
    def encoding(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Two fixed random feature spaces of the 8 categories repeated per run, the Haxby slice's first 60 voxels
        (12 runs x 8 categories rows) and the run of each row."""
        data = np.asarray(self.haxby.data, dtype=np.float64)
        n_runs, n_cond = data.shape[:2]
        rng = np.random.default_rng(7)
        per_category = rng.standard_normal((2, n_cond, 12))
        a, b = (np.tile(space, (n_runs, 1)) for space in per_category)
        return a, b, data[:, :, :60].reshape(n_runs * n_cond, 60), np.repeat(np.arange(n_runs), n_cond)

    @functools.cached_property
    def bench(self) -> Any:
        from neuroalign.benchmarks.firstparty import HumanIT92

        return HumanIT92(mirror=self.mirror)

    @functools.cached_property
    def eeg(self) -> Any:
        from neuroalign.benchmarks.firstparty import SsvepEegTimeResolved

        return SsvepEegTimeResolved(mirror=self.mirror)

    @functools.cached_property
    def eeg_predictivity(self) -> Any:
        """The SSVEP EEG predictivity benchmark in 8 s windows (2 time points keep its case fast)."""
        from neuroalign.benchmarks.firstparty import SsvepEegTimeResolvedPredictivity

        bench = SsvepEegTimeResolvedPredictivity(mirror=self.mirror)
        bench.window = 256
        return bench

    @functools.cached_property
    def stimuli(self) -> Any:
        """The 92 images (written into the data cache on first use)."""
        return self.bench.stimuli()

    @functools.cached_property
    def adapter(self) -> Any:
        """Max-pooling and a ReLU on 16 px images: activations are exact pixel values on any machine."""
        from torch import nn

        from neuroalign.models import ImageTransform, TorchAdapter

        net = nn.Sequential(nn.MaxPool2d(2), nn.ReLU(), nn.MaxPool2d(2))
        return TorchAdapter(net, ImageTransform(size=16, resize=20, interpolation="bilinear"), model_id="maxpool")

    @functools.cached_property
    def features(self) -> np.ndarray:
        """The adapter's last layer on the 92 images, as float64."""
        acts = self.adapter.extract(self.stimuli, "2", cache=None, device="cpu", progress=False)
        return np.asarray(acts.layer("2"), dtype=np.float64)

    def store(self) -> Path:
        """A new results store (a stored request would be answered from the store, not computed)."""
        return self.workdir / f"results-{uuid.uuid4().hex}.sqlite"


def _policy() -> Any:
    from neuroalign.benchmarks import StatsPolicy

    return StatsPolicy(n_bootstrap=20)


def _score_numbers(score: Any) -> np.ndarray:
    return _flat(score.value, score.ceiling, score.ceiling_low, score.interval, score.raw)


def _table_numbers(table: Any) -> np.ndarray:
    columns = ["value", "ceiling", "ceiling_low", "normalized", "interval_low", "interval_high"]
    return table[[c for c in columns if c in table.columns]].to_numpy(dtype=np.float64)


def _evaluation_numbers(evaluation: Any) -> np.ndarray:
    course = evaluation.details.get("time_course", [])
    return _flat(evaluation.value, evaluation.per_subject, evaluation.samples, course,
                 [np.nan if evaluation.ceiling is None else evaluation.ceiling])


def _comparator(name: str, **options: Any) -> Callable[[Inputs, Any], np.ndarray]:
    def case(inputs: Inputs, device: Any) -> np.ndarray:
        module, function = name.rsplit(".", 1)
        return getattr(importlib.import_module(module), function)(inputs.models, inputs.subjects, device=device,
                                                                  **options)
    return case


def _compare(inputs: Inputs, device: Any) -> np.ndarray:
    from neuroalign.compare import compare

    return _flat(*(compare(inputs.models, inputs.subjects, name, device=device)
                   for name in ("spearman", "pearson", "kendall_tau_a", "bures_similarity")))


def _compare_condensed(inputs: Inputs, device: Any) -> np.ndarray:
    from neuroalign.compare import compare_condensed

    a, b = inputs.models.dissimilarities, inputs.subjects.dissimilarities
    return _flat(*(compare_condensed(a, b, name, device=device)
                   for name in ("spearman", "pearson", "kendall_tau_a", "bures_similarity")))


def _fit_encoding(inputs: Inputs, device: Any) -> np.ndarray:
    from neuroalign.encoding import fit_encoding

    a, _, responses, runs = inputs.encoding
    result = fit_encoding(a, responses, groups=runs, n_folds=4, device=device, dtype="float64")
    return _flat(result.r, result.r2, result.alphas)


def _partition_variance(inputs: Inputs, device: Any) -> np.ndarray:
    from neuroalign.encoding import partition_variance

    a, b, responses, runs = inputs.encoding
    result = partition_variance(a, b, responses, groups=runs, n_folds=4, inner=3, n_iter=5, device=device)
    return _flat(result.r2_a, result.r2_b, result.r2_joint, result.unique_a, result.unique_b, result.shared)


def _compute_rdms(inputs: Inputs, device: Any) -> np.ndarray:
    from neuroalign.rdm import compute_rdms

    return _flat(*(compute_rdms(inputs.haxby, name, device=device).dissimilarities
                   for name in ("correlation", "crossnobis", "euclidean")))


def _bootstrap(inputs: Inputs, device: Any) -> np.ndarray:
    from neuroalign.stats import bootstrap_rdm_comparison

    result = bootstrap_rdm_comparison(inputs.models, inputs.subjects, "spearman", n_bootstrap=30, seed=3,
                                      noise_ceiling=True, device=device)
    return _flat(result.observed, result.samples, result.ceiling_observed, result.ceiling_samples)


def _metric_call(inputs: Inputs, device: Any) -> np.ndarray:
    from neuroalign.metrics import get_metric

    x, y = inputs.halves
    return _flat([get_metric(name)(x, y, device=device) for name in ("cka.linear", "cka.angular", "shape.angular")])


def _alignment_matrix(inputs: Inputs, device: Any) -> np.ndarray:
    from neuroalign.metrics import alignment_matrix

    x, y = inputs.halves
    return alignment_matrix({"odd": x, "even": y}, metric="cka.debiased", device=device).to_numpy()


def _model_rdm(inputs: Inputs, device: Any) -> np.ndarray:
    return inputs.bench.model_rdm(inputs.features, inputs.stimuli.stimulus_ids, device=device).dissimilarities


def _rsa_evaluate(inputs: Inputs, device: Any) -> np.ndarray:
    evaluation = inputs.bench.evaluate(inputs.features, inputs.stimuli.stimulus_ids, n_bootstrap=20, seed=1,
                                       device=device)
    return _flat(_evaluation_numbers(evaluation), evaluation.ceiling_low)


def _time_resolved_evaluate(inputs: Inputs, device: Any) -> np.ndarray:
    ids = inputs.eeg.stimuli().stimulus_ids
    features = np.random.default_rng(5).normal(size=(len(ids), 6))
    return _evaluation_numbers(inputs.eeg.evaluate(features, ids, n_bootstrap=10, seed=2, device=device))


def _time_resolved_predictivity_evaluate(inputs: Inputs, device: Any) -> np.ndarray:
    bench = inputs.eeg_predictivity
    ids = bench.stimuli().stimulus_ids
    features = np.random.default_rng(6).normal(size=(len(ids), 6))
    return _evaluation_numbers(bench.evaluate(features, ids, n_bootstrap=10, seed=2, device=device))


def _extract(inputs: Inputs, device: Any) -> np.ndarray:
    acts = inputs.adapter.extract(inputs.stimuli, ["0", "1", "2"], cache=None, device=device, progress=False)
    return _flat(*(acts.layer(name) for name in acts.layer_names))


def _extract_command(inputs: Inputs, device: Any) -> np.ndarray:
    from neuroalign import extract

    acts = extract(inputs.adapter, inputs.stimuli, layers=["0", "1", "2"], cache=None, device=device, progress=False)
    return _flat(*(acts.layer(name) for name in acts.layer_names))


def _model_source(inputs: Inputs, device: Any) -> np.ndarray:
    from neuroalign.alignment import ModelSource

    source = ModelSource(inputs.adapter, ["0", "2"], cache=None, device=device, progress=False)
    reps = source.representations(inputs.stimuli, inputs.ids)
    return _flat(*(reps[name].features for name in sorted(reps)))


def _align(inputs: Inputs, device: Any) -> np.ndarray:
    from neuroalign.alignment import BrainSource, ModelSource, align

    sources = [ModelSource(inputs.adapter, ["0", "2"], cache=None, device="cpu", progress=False),
               BrainSource("human_it", inputs._k92.human_it_rdms())]
    study = align(sources, inputs.stimuli, ["cka.linear", "shape.angular"], n_permutations=10, n_bootstrap=10, seed=0,
                  device=device, progress=False)
    return _flat(*(_flat(p.matrix.to_numpy(), p.value, p.null, p.p_value, p.bootstrap, p.interval)
                   for p in study.pairs))


def _score(inputs: Inputs, device: Any) -> np.ndarray:
    from neuroalign.benchmarks import score

    return _score_numbers(score(inputs.adapter, inputs.bench, layers=["0", "2"], stats=_policy(), device=device,
                                cache=None, progress=False))


def _sweep(inputs: Inputs, device: Any) -> np.ndarray:
    from neuroalign.benchmarks import sweep

    return _table_numbers(sweep(inputs.adapter, inputs.bench, layers=["0", "2"], stats=_policy(), device=device,
                                cache=None, progress=False))


def _run(inputs: Inputs, device: Any) -> np.ndarray:
    from neuroalign.runs.grid import run

    return _table_numbers(run([inputs.adapter], [inputs.bench], store=inputs.store(), layers=["0", "2"],
                              stats=_policy(), device=device, cache=None, progress=False))


def _work_unit(inputs: Inputs, device: Any) -> np.ndarray:
    from neuroalign.distributed import WorkUnit
    from neuroalign.distributed.units import run_unit

    unit = WorkUnit((0, 0), "request", inputs.adapter, inputs.bench, layers=["0", "2"], stats=_policy(),
                    device=device, cache=None)
    return _score_numbers(run_unit(unit).score)


#: One small real call per function; each returns the numbers the function computes.
CASES: dict[str, Callable[[Inputs, Any], np.ndarray]] = {
    "neuroalign.compare.api.compare": _compare,
    "neuroalign.encoding.fit.fit_encoding": _fit_encoding,
    "neuroalign.encoding.partition.partition_variance": _partition_variance,
    "neuroalign.compare.api.compare_condensed": _compare_condensed,
    **{f"neuroalign.compare.{name}": _comparator(f"neuroalign.compare.{name}") for name in (
        "correlation.pearson", "correlation.cosine", "correlation.spearman", "correlation.rho_a",
        "kendall.kendall_tau_a", "whitened.whitened_cosine", "whitened.whitened_pearson", "bures.bures_similarity",
        "bures.sqbures")},
    "neuroalign.rdm.api.compute_rdms": _compute_rdms,
    "neuroalign.stats.bootstrap.bootstrap_rdm_comparison": _bootstrap,
    "neuroalign.metrics.base.Metric.__call__": _metric_call,
    "neuroalign.metrics.many.alignment_matrix": _alignment_matrix,
    "neuroalign.benchmarks.rsa.RsaBenchmark.model_rdm": _model_rdm,
    "neuroalign.benchmarks.rsa.RsaBenchmark.evaluate": _rsa_evaluate,
    "neuroalign.benchmarks.time_resolved.TimeResolvedRsaBenchmark.evaluate": _time_resolved_evaluate,
    "neuroalign.benchmarks.time_resolved_predictivity.TimeResolvedPredictivityBenchmark.evaluate":
        _time_resolved_predictivity_evaluate,
    "neuroalign.models.adapter.Adapter.extract": _extract,
    "neuroalign.benchmarks.extract.extract": _extract_command,
    "neuroalign.alignment.sources.ModelSource.__init__": _model_source,
    "neuroalign.alignment.study.align": _align,
    "neuroalign.benchmarks.scoring.score": _score,
    "neuroalign.benchmarks.scoring.sweep": _sweep,
    "neuroalign.runs.grid.run": _run,
    "neuroalign.distributed.units.WorkUnit.__init__": _work_unit,
}


#: Vectors longer than this are kept in the golden file as random projections (``summary``).
_LONG = 400


def _projections(n: int) -> np.ndarray:
    return np.random.default_rng(0).standard_normal((16, n))


def summary(values: np.ndarray) -> dict[str, Any]:
    """What the golden file keeps of a result: the values, or for a long one its length, NaN positions' count and
    16 fixed random projections (any change larger than the tolerance moves them)."""
    values = np.asarray(values, dtype=np.float64).ravel()
    if values.size <= _LONG:
        return {"values": [None if np.isnan(v) else float(v) for v in values]}
    nan = np.isnan(values)
    return {"n": int(values.size), "n_nan": int(nan.sum()),
            "projections": (_projections(values.size) @ np.where(nan, 0.0, values)).tolist()}


def assert_matches(values: np.ndarray, entry: dict[str, Any], tolerance: float = 1e-12) -> None:
    """``values`` equal the golden ``entry`` to ``tolerance`` (relative to the vector's size), NaN where NaN."""
    values = np.asarray(values, dtype=np.float64).ravel()
    if "values" in entry:
        expected = np.array([np.nan if v is None else v for v in entry["values"]], dtype=np.float64)
        assert values.shape == expected.shape
        np.testing.assert_allclose(values, expected, rtol=tolerance, atol=tolerance)
        return
    nan = np.isnan(values)
    assert (values.size, int(nan.sum())) == (entry["n"], entry["n_nan"])
    clean = np.where(nan, 0.0, values)
    got = _projections(values.size) @ clean
    np.testing.assert_allclose(got, entry["projections"], rtol=0,
                               atol=tolerance * max(1.0, float(np.linalg.norm(clean))))


def write_golden(path: Path, mirror: Path) -> None:
    """Run every case with ``device=None`` on the ``neuroalign`` first on the path and write what it computes."""
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("NEUROALIGN_CACHE_DIR", str(Path(tmp) / "cache"))
        inputs = Inputs(mirror, Path(tmp))
        golden = {name: summary(case(inputs, None)) for name, case in sorted(CASES.items())}
    path.write_text(json.dumps(golden, indent=1) + "\n")


if __name__ == "__main__":
    write_golden(Path(sys.argv[1]), Path(__file__).resolve().parents[3] / "shared" / "data")
