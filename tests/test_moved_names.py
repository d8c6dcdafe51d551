"""Names that moved to their layer (issue 15) still work from their old home: the same object, with a
FutureWarning naming the new spelling where the old home sits below the new one; every exception type is importable
from where it used to be and derives from NeuroAlignError."""

from __future__ import annotations

import ast
import importlib
import inspect
import pickle
import re
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


#: Every exception type each former per-package ``errors`` module exposed, folded into one module per layer
#: (issue 15): old module -> the names that must still be importable from it, as the very same class.
ERROR_MODULES = {
    "neuroalign.alignment.errors": ["AlignmentError", "MissingPayloadError", "NeuroAlignError",
                                    "StimulusMismatchError", "StimulusOverlapError", "TooFewStimuliError",
                                    "TwinError"],
    "neuroalign.analysis.errors": ["ClusterTestError", "SearchlightCentreError", "TimeAxisError"],
    "neuroalign.benchmarks.errors": ["CommitmentError", "FoldsError", "GridError", "ModalityMismatchError",
                                     "NeuroAlignError", "NotEnoughStimuliError", "StimulusCoverageError",
                                     "StimulusMismatchError"],
    "neuroalign.cache.errors": ["CacheError", "CacheWriteError", "DamagedCacheEntryError", "DamagedCacheWarning",
                                "FileWriteError", "InconsistentShapeError", "NeuroAlignError", "ShapeMismatchError"],
    "neuroalign.compare.errors": ["DegenerateRDMError", "InvalidSigmaError", "MissingPairsError"],
    "neuroalign.core.stimuli_errors": ["MixedImageSizesError", "NeuroAlignError", "NoStimuliError",
                                       "ShapeMismatchError", "StimulusFileError"],
    "neuroalign.data.errors": ["ChecksumMismatchError", "DamagedArchiveError", "DataFileError", "DownloadError",
                               "ManifestError", "MissingDataError", "NeuroAlignError", "UnsafeArchiveError"],
    "neuroalign.datasets.errors": ["ConditionMismatchError", "DataFormatError", "GridMismatchError",
                                   "NeuroAlignError", "NotProvidedError", "ShapeMismatchError"],
    "neuroalign.distributed.errors": ["DistributedError", "ExecutorOptionError", "InvalidOptionError",
                                      "NeuroAlignError", "UnshippableModelError"],
    "neuroalign.models.errors": ["EmptyStimulusSetError", "HubModelNotCachedError", "InconsistentShapeError",
                                 "InsufficientMemoryError", "LayerCallError", "ModelIdError", "ModelLoadError",
                                 "ModelNotFoundError", "NeuroAlignError", "PayloadError", "StimulusModalityError",
                                 "UnsupportedModelError"],
    "neuroalign.plugins.errors": ["BrokenPluginError", "DistributionNotFoundError", "InvalidPluginNameError",
                                  "PluginConflictError", "PluginContractError", "PluginError", "TargetExistsError",
                                  "UnknownKindError", "UnknownNameError"],
    "neuroalign.report.errors": ["EmptyStoreError", "NeuroAlignError", "PlotInputError"],
    "neuroalign.report.html.errors": ["EmptyStoreError"],
    "neuroalign.stats._errors": ["NotEnoughStimuliError"],
    "neuroalign.store.errors": ["DuplicateResultError", "MissingExtraError", "NeuroAlignError",
                                "RequestKeyMismatchError", "StoreAccessError", "StoreCopyError", "StoreDamagedError",
                                "StoreDriverError", "StoreError", "StoreLockedError", "StoreNotFoundError",
                                "StoreSchemaError"],
}

#: Where every exception type is defined now: one module per layer (docs/architecture.md).
LAYER_ERROR_MODULES = ["neuroalign.errors", "neuroalign.errors.adapters", "neuroalign.errors.benchmarks",
                       "neuroalign.errors.applications"]
#: Exception types an old errors module re-exported from a module that is not an errors module (not moved).
NOT_MOVED = {"FileWriteError": "neuroalign.utils.atomic"}


def _defined_in(module: str) -> dict[str, type]:
    return {name: value for name, value in vars(importlib.import_module(module)).items()
            if inspect.isclass(value) and issubclass(value, BaseException) and value.__module__ == module}


def _new_home(name: str) -> object:
    homes = [module for module in LAYER_ERROR_MODULES if name in _defined_in(module)]
    assert len(homes) == 1 or name in NOT_MOVED, f"{name} is defined in {homes}"
    return importlib.import_module(homes[0] if homes else NOT_MOVED[name])


@pytest.mark.parametrize("old, name", [(old, name) for old, names in ERROR_MODULES.items() for name in names])
def test_an_error_is_the_same_class_at_its_old_path(old, name):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert getattr(importlib.import_module(old), name) is getattr(_new_home(name), name)


def _all_errors() -> dict[str, type]:
    return {f"{module}.{name}": value for module in LAYER_ERROR_MODULES
            for name, value in _defined_in(module).items()}


def test_every_exception_derives_from_neuroalign_error_and_is_defined_in_a_layer_errors_module():
    found = _all_errors()
    assert len(found) >= 80
    assert [k for k, v in found.items() if not issubclass(v, (NeuroAlignError, Warning))] == []
    # the former per-package modules define nothing any more: they re-export
    package = Path(importlib.import_module("neuroalign").__file__).parent
    stray = {f"{module}.{name}" for module in ERROR_MODULES for name in _defined_in(module)}
    assert not stray and not (package / "errors.py").exists()


def test_no_module_of_the_package_imports_an_error_from_a_former_errors_module():
    package = Path(importlib.import_module("neuroalign").__file__).parent
    shims = {package.parent.joinpath(*old.split(".")).with_suffix(".py") for old in ERROR_MODULES}
    found = []
    for path in sorted(package.rglob("*.py")):
        if path in shims:
            continue
        text = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ImportFrom) and node.module in ERROR_MODULES:
                found.append(f"{path.relative_to(package.parent)}:{node.lineno}: {node.module}")
            elif isinstance(node, ast.Constant) and node.value in ERROR_MODULES:  # lazy export tables
                found.append(f"{path.relative_to(package.parent)}:{node.lineno}: {node.value!r}")
    assert not found, "import these from neuroalign.errors[.adapters|.benchmarks|.applications]:\n" + "\n".join(found)


def _instance(cls: type) -> BaseException:
    """An instance made the way the code makes one: every required argument of ``__init__`` given."""
    parameters = [p for p in list(inspect.signature(cls.__init__).parameters.values())[1:]
                  if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if not parameters or parameters[0].kind is inspect.Parameter.VAR_POSITIONAL:
        return cls("what went wrong, and what to do")
    return cls(*[f"<{p.name}>" for p in parameters])


@pytest.mark.parametrize("name", sorted(_all_errors()))
def test_every_error_survives_a_pickle_round_trip(name):
    # A Dask worker pickles a task's error to the client; errors whose __init__ builds the message from fields
    # (DataFormatError(path, field, message), ManifestError, PayloadError, ...) failed to unpickle before.
    cls = _all_errors()[name]
    error = _instance(cls)
    error.__notes__ = ["a note"]
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is cls and str(copy) == str(error) and copy.args == error.args
    assert vars(copy) == vars(error)


def test_tutorials_examples_and_docs_import_no_moved_name_from_its_old_home():
    root = Path(importlib.import_module("neuroalign").__file__).parents[1]
    old_homes = {(old, name) for old, name, _ in DEPRECATED + REEXPORTED}
    old_homes |= {(old, name) for old, names in ERROR_MODULES.items() for name in names}
    statement = re.compile(r"^\s*from\s+(neuroalign[\w.]*)\s+import\s+(\([\w\s,]+\)|[\w ,]+)", re.M)
    files = [*root.glob("tutorials/*.py"), *root.glob("examples/*.py"), *root.glob("docs/*.md"), root / "README.md"]
    found = [f"{path.relative_to(root)}: from {module} import {name}" for path in files
             for module, names in statement.findall(path.read_text(encoding="utf-8"))
             for name in re.split(r"[\s,()]+", names) if (module, name) in old_homes]
    assert not found, "import these from their new home:\n" + "\n".join(found)
    # the public home the tutorials use
    from neuroalign.benchmarks import load_benchmark
    assert load_benchmark is importlib.import_module("neuroalign.benchmarks.registry").load_benchmark
