"""Names that moved to their layer (issue 15) still work from their old home: the same object, with a
FutureWarning naming the new spelling where the old home sits below the new one; every exception type is importable
from where it used to be and derives from NeuroAlignError."""

from __future__ import annotations

import importlib
import inspect
import warnings
from pathlib import Path

import pytest

from neuroalign.errors import NeuroAlignError

#: (old module, name, new module): a FutureWarning is emitted.
DEPRECATED = [
    ("neuroalign.data", "validate_manifests", "neuroalign.datasets"),
    ("neuroalign.benchmarks.grid", "run", "neuroalign.runs.grid"),
    ("neuroalign.benchmarks.grid", "open_store", "neuroalign.runs.grid"),
    ("neuroalign.benchmarks.grid", "RESULTS_ENV", "neuroalign.runs.grid"),
    ("neuroalign.benchmarks.sweeps", "run_sweeps", "neuroalign.runs.sweeps"),
    ("neuroalign.benchmarks.store_location", "open_store", "neuroalign.store.default_store"),
    ("neuroalign.benchmarks.store_location", "RESULTS_ENV", "neuroalign.store.default_store"),
    ("neuroalign.stats", "permutation_test_metric", "neuroalign.metrics"),
    ("neuroalign.stats", "split_half_reliability", "neuroalign.metrics"),
    ("neuroalign.stats.permutation", "permutation_test_metric", "neuroalign.metrics"),
    ("neuroalign.stats.reliability", "split_half_reliability", "neuroalign.metrics"),
]

#: (old module, name, new module): re-exported silently (the old home is above the new one, or private).
REEXPORTED = [
    ("neuroalign.plugins", "load_benchmark", "neuroalign.benchmarks.registry"),
    ("neuroalign.plugins", "metric_factory", "neuroalign.metrics.registry"),
    ("neuroalign.plugins", "discover", "neuroalign.entry_points"),
    ("neuroalign.plugins", "PluginEntry", "neuroalign.entry_points"),
    ("neuroalign.plugins", "PluginRecord", "neuroalign.entry_points"),
    ("neuroalign.plugins", "GROUPS", "neuroalign.entry_points"),
    ("neuroalign.plugins.resolve", "resolve", "neuroalign.entry_points"),
    ("neuroalign.plugins.discovery", "conflicts", "neuroalign.entry_points"),
    ("neuroalign.plugins.contracts", "manifest_path", "neuroalign.data.plugin_manifests"),
    ("neuroalign.plugins.contracts", "as_benchmark", "neuroalign.benchmarks.registry"),
    ("neuroalign.plugins.contracts", "require_callable", "neuroalign.entry_points"),
    ("neuroalign.plugins.catalog", "dataset_manifest_paths", "neuroalign.data.plugin_manifests"),
    ("neuroalign.plugins.model_ids", "HOW_TO_NAME", "neuroalign.core.model_ids"),
    ("neuroalign.plugins.model_ids", "is_features_file", "neuroalign.core.model_ids"),
    ("neuroalign.distributed.memory", "task_footprint", "neuroalign.models.scoring_memory"),
    ("neuroalign.distributed.memory", "choose_path", "neuroalign.models.scoring_memory"),
    ("neuroalign.distributed", "TaskFootprint", "neuroalign.models.scoring_memory"),
    ("neuroalign.store.provenance", "environment_provenance", "neuroalign.utils.environment"),
    ("neuroalign.stats._resample", "draw_indices", "neuroalign.stats.resample"),
    ("neuroalign.stats._intervals", "percentile_interval", "neuroalign.stats.intervals"),
    ("neuroalign.datasets.loaders.meeg", "recording_from_epochs", "neuroalign.core.recording_mne"),
    ("neuroalign.datasets.loaders.meeg_conditions", "epoch_conditions", "neuroalign.core.recording_mne_conditions"),
    ("neuroalign.datasets.loaders.fmri_masking", "voxel_indices", "neuroalign.utils.nifti"),
    ("neuroalign.models.shapes", "check_units", "neuroalign.cache.shapes"),
]


@pytest.mark.parametrize("old, name, new", DEPRECATED)
def test_a_moved_name_works_from_its_old_home_with_a_future_warning(old, name, new):
    with pytest.warns(FutureWarning, match=rf"{old}\.{name}.*{new}\.{name}"):
        value = getattr(importlib.import_module(old), name)
    assert value is getattr(importlib.import_module(new), name)


def test_from_import_of_a_moved_name_warns_too():
    with pytest.warns(FutureWarning, match="neuroalign.datasets.validate_manifests"):
        from neuroalign.data import validate_manifests  # noqa: F401


@pytest.mark.parametrize("old, name, new", REEXPORTED)
def test_a_moved_name_is_the_same_object_at_its_old_path(old, name, new):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert getattr(importlib.import_module(old), name) is getattr(importlib.import_module(new), name)


def _error_modules() -> list[str]:
    package = Path(importlib.import_module("neuroalign").__file__).parent
    return sorted(".".join(p.relative_to(package.parent).with_suffix("").parts)
                  for p in package.rglob("*errors.py"))


def test_every_exception_of_every_errors_module_derives_from_neuroalign_error():
    found = {}
    for name in _error_modules():
        for attribute, value in vars(importlib.import_module(name)).items():
            if inspect.isclass(value) and issubclass(value, BaseException) and not issubclass(value, Warning):
                found[f"{name}.{attribute}"] = value
    assert len(found) > 60
    assert [k for k, v in found.items() if not issubclass(v, NeuroAlignError)] == []


@pytest.mark.parametrize("old, names", [
    ("neuroalign.compare.errors", ["DegenerateRDMError", "InvalidSigmaError", "MissingPairsError"]),
    ("neuroalign.analysis.errors", ["ClusterTestError", "SearchlightCentreError", "TimeAxisError"]),
    ("neuroalign.stats._errors", ["NotEnoughStimuliError"]),
    ("neuroalign.report.html.errors", ["EmptyStoreError"]),
    ("neuroalign.datasets.errors", ["ConditionMismatchError"]),
    ("neuroalign.models.errors", ["InconsistentShapeError"]),
    ("neuroalign.plugins.errors", ["PluginError", "BrokenPluginError", "PluginConflictError", "PluginContractError"]),
])
def test_folded_exceptions_are_importable_from_their_old_module(old, names):
    module = importlib.import_module(old)
    for name in names:
        assert issubclass(getattr(module, name), NeuroAlignError)
