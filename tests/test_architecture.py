"""The layers of neuroalign point one way (docs/architecture.md), checked on an ast-based import graph.

Every module of ``neuroalign/`` is parsed; every import in it (module level, inside functions and classes, under
``TYPE_CHECKING``) and every string that names a neuroalign module (``"neuroalign.x.y"`` or ``"module:attribute"``,
the way lazy tables refer to code) is mapped to the subpackage it reaches. No edge may point to a higher layer,
the subpackages must form no cycle, and an import of a neuroalign module inside a function must say why it cannot
be at module level (a table below). Nothing is imported: the check reads source only and takes well under a second.
"""

from __future__ import annotations

import ast
import functools
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "neuroalign"

#: Layer -> its units (subpackages or base modules), lowest layer first. A unit may import its own layer (no cycle)
#: and any layer below, never one above.
LAYERS: dict[str, set[str]] = {
    "base": {"neuroalign", "errors", "registry", "backend", "entry_points", "utils", "core"},
    "engines": {"rdm", "compare", "stats", "metrics", "encoding", "analysis"},
    "adapters": {"io", "data", "cache", "datasets", "models", "errors.adapters"},
    "benchmarks": {"benchmarks", "errors.benchmarks"},
    "applications": {"store", "distributed", "runs", "report", "alignment", "plugins", "demo", "cli", "__main__",
                     "errors.applications"},
}

#: The ``errors`` package has one module per layer (docs/architecture.md): ``neuroalign.errors`` holds the base
#: layer's and the engines' exception types, and each module below is a unit of the layer it is named after, so an
#: engine cannot import an adapter's error, nor the adapters an application's.
LAYERED_ERRORS = {"errors.adapters", "errors.benchmarks", "errors.applications"}

#: Why the units the issue did not place sit where they do (one line each).
PLACEMENT = {
    "neuroalign": "the root package: the version and the containers; entry points (score, run) are PEP 562 lazy",
    "utils": "generic helpers (atomic writes, readers, progress, renamed names) that know no neuroalign concept",
    "entry_points": "reads installed distributions' metadata, so every registry can read its own plugin group",
    "encoding": "encoding models (banded ridge, variance partitioning): an engine beside metrics, sharing its solver",
    "io": "file formats of patterns and RDMs: read by the dataset adapters and the CLI, reads nothing above core",
    "runs": "many scores into the results store: benchmarks + distributed executors + store, so above all three",
    "plugins": "the catalogue lists and checks plugins of every kind, so it sits above what it lists",
    "demo": "a scripted end-to-end session: uses benchmarks, runs and report like a user would",
    "__main__": "``python -m neuroalign``: the CLI",
}

#: Edges the layer order allows but the design rules out, with the reason.
FORBIDDEN = {
    ("stats", "metrics"): "statistics sit below the metrics: a test that takes a metric id lives in metrics",
    ("report", "plugins"): "the report renders stored results; it looks benchmarks up in benchmarks.registry",
}

#: Modules kept at an old path that forward their names to a new home with a FutureWarning (PEP 562).
DEPRECATED_FORWARDS = {
    "neuroalign.benchmarks.grid": "moved to neuroalign.runs.grid (it runs grids into the store)",
    "neuroalign.benchmarks.sweeps": "moved to neuroalign.runs.sweeps (it keeps layer profiles in the store)",
    "neuroalign.benchmarks.store_location": "moved to neuroalign.store.default_store (it opens a ResultsStore)",
    "neuroalign.stats.permutation": "permutation_test_metric moved to neuroalign.metrics (it takes a metric id)",
    "neuroalign.stats.reliability": "split_half_reliability moved to neuroalign.metrics (it takes a metric id)",
}

#: Targets a function may import lazily, because importing them at module level would load a heavy optional
#: dependency for every importer (prefix match on the imported module).
HEAVY_TARGETS = {
    "neuroalign.models": "the package's __init__ imports torch (TorchAdapter, the HF adapters)",
    "neuroalign.rdm": "the package imports torch for its device kernels",
    "neuroalign.metrics.base": "imports torch (the Metric base class converts inputs with it)",
    "neuroalign.report.plots": "imports matplotlib",
    "neuroalign.store.postgres": "imports psycopg, an optional extra",
    "neuroalign.compare._kendall_numba": "compiles with numba on import",
    "neuroalign.distributed.worker_setup": "imports dask.distributed (and runs on a worker)",
    # Modules that import pandas, h5py, scipy or jsonschema: the light paths (``neuroalign list``/``info``/
    # ``leaderboard``, listing benchmarks, datasets and plugins; issue 20) import their importers without them.
    "neuroalign.datasets": "the adapters import the fetching code (urllib, http, ssl), which listing and describing "
                           "benchmarks never need",
    "neuroalign.core.rdms": "imports pandas (the RDMs container)",
    "neuroalign.core.stimuli": "imports pandas (the stimulus metadata)",
    "neuroalign.core.recording": "imports pandas (the recording metadata)",
    "neuroalign.compare": "imports pandas through the containers",
    "neuroalign.stats.bootstrap": "imports pandas through the containers",
    "neuroalign.stats.ceiling": "imports pandas through the containers",
    "neuroalign.stats.reliability": "imports pandas and scipy",
    "neuroalign.metrics.significance": "imports pandas and scipy",
    "neuroalign.encoding": "imports torch and himalaya's solvers",
    "neuroalign.datasets.loaders": "import pandas, and MNE, nilearn or mne-bids when they read",
    "neuroalign.datasets.haxby_exemplars": "imports pandas",
    "neuroalign.datasets.visual92_triggers": "imports pandas",
    "neuroalign.cache.location": "imports h5py and pandas (the activation cache)",
    "neuroalign.distributed.fingerprint_memo": "imports pandas and scipy; only a grid that loads a model needs it",
    "neuroalign.data.schema_check": "imports jsonschema; listing datasets reads manifests without checking them",
    "neuroalign.store.frame": "imports pandas (the results DataFrame); the leaderboard command reads a Board",
    "neuroalign.store.leaderboard": "imports pandas (the leaderboard DataFrame); the text board needs none",
    "neuroalign.store.export": "imports pandas (CSV/Parquet export)",
    "neuroalign.report.alignment_figures": "imports pandas and draws with matplotlib",
    "neuroalign.report.html.figures": "imports pandas and draws with matplotlib",
    "neuroalign.report.html.profiles": "imports pandas",
    "neuroalign.report.html.alignment_section": "draws with matplotlib: registering the sections stays light",
}

#: Third-party modules a function may import (not the module): optional extras, or slow to import for one code path.
#: The reason is written once here rather than beside each of the ~120 imports.
LAZY_THIRD_PARTY = {
    "torch": "seconds to import; the engines' default path is NumPy (device=None)",
    "transformers": "seconds to import; only the HF adapters need it",
    "huggingface_hub": "the hub client, for hf: model ids only",
    "safetensors": "reads a checkpoint's header, for hf: model ids only",
    "matplotlib": "plots only; the report imports it when it draws",
    "mne": "MEG/EEG loaders only (the meeg extra)",
    "nilearn": "fMRI loaders and plots only (the fmri extra)",
    "nibabel": "NIfTI images only (the fmri extra)",
    "rsatoolbox": "conversion to and from rsatoolbox only",
    "himalaya": "banded ridge predictivity only",
    "dask": "the Dask executor only (the distributed extra)",
    "distributed": "the Dask executor and its workers only (the distributed extra)",
    "dask_jobqueue": "the SLURM cluster only (the distributed extra)",
    "cloudpickle": "checking that a model ships to a worker only",
    "psycopg": "the PostgreSQL store only (the postgres extra)",
    "pyarrow": "Parquet export only (the parquet extra)",
    "jinja2": "the HTML report only",
    "requests": "resumable downloads only; listing datasets must not pay for it",
    "tqdm": "download progress only when shown",
    "mne_bids": "BIDS MEG/EEG datasets only",
    "pooch": "downloads only; listing datasets must not pay for requests",
    "PIL": "image stimuli only",
    "pandas": "tables only; a light import of the package must not pay for it",
    "h5py": "HDF5 files only",
    "scipy": "scipy.linalg/sparse/stats/io each take a noticeable time to import, for one code path",
    "rich": "progress bars only when shown",
    "psutil": "optional: the memory figure falls back to /proc without it",
    "tomli": "Python 3.10 only (tomllib before 3.11)",
}

#: Files that `neuroalign list` and `neuroalign info BENCHMARK` import (the benchmark classes, the stimulus-id
#: checks): they import NumPy inside the functions that compute, so that listing answers in less time than importing
#: NumPy takes (issue 20; prefix match on the path in neuroalign/).
NUMPY_WHEN_USED = ("benchmarks/", "core/ids.py")

#: Files whose functions import neuroalign modules lazily on purpose (prefix match on the path in neuroalign/).
LAZY_FILES = {
    "cli/": "a command imports its engines when it runs, so that `neuroalign --help` imports no torch (issue 20)",
    "store/default_store.py": "the CLI reads RESULTS_ENV from it to build its help; a store opens only when asked",
}

#: Function-level imports inside one subpackage that a module-level import would make circular, with the reason.
CIRCULAR = {
    ("neuroalign.core.rdms", "neuroalign.core.rdms_io"): "RDMs.to_hdf5/from_hdf5 call the reader, which builds RDMs",
    ("neuroalign.core.rdms_io", "neuroalign.core.rdms"): "the reader builds RDMs, whose methods call the reader",
    ("neuroalign.core.stimuli", "neuroalign.core.stimuli_files"): "StimulusSet.from_* call the readers, which "
                                                                   "build StimulusSets",
    ("neuroalign.core.stimuli", "neuroalign.core.stimuli_arrays"): "StimulusSet.from_image_array calls the "
                                                                    "reader, which builds StimulusSets",
    ("neuroalign.core.stimuli_arrays", "neuroalign.core.stimuli"): "the reader builds StimulusSets",
    ("neuroalign.core.stimuli_files", "neuroalign.core.stimuli_arrays"): "the array reader imports the file "
                                                                          "reader's helpers",
    ("neuroalign.metrics.registry", "neuroalign.metrics.families"): "the families module registers itself into "
                                                                     "the registry it imports",
}

_MODULE_STRING = re.compile(r"^neuroalign(\.[A-Za-z_]\w*)+(:[A-Za-z_]\w*)?$")


@dataclass(frozen=True)
class Edge:
    """One reference from a module to a neuroalign module."""

    source: str
    path: str
    line: int
    target: str
    how: str  # "module", "function", "string"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def unit(module: str) -> str:
    """The layer unit of a module: its subpackage or base module (``neuroalign`` for the root package)."""
    parts = module.split(".")
    if ".".join(parts[1:3]) in LAYERED_ERRORS:
        return ".".join(parts[1:3])
    return parts[1] if len(parts) > 1 else "neuroalign"


def layer_of(name: str) -> int:
    for index, units in enumerate(LAYERS.values()):
        if name in units:
            return index
    raise AssertionError(f"neuroalign/{name} is in no layer: add it to LAYERS (and PLACEMENT) in {__file__}")


def _imported(module: str, node: ast.AST, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    assert isinstance(node, ast.ImportFrom)
    if node.level == 0:
        base = node.module or ""
    else:
        parts = module.split(".")[: len(module.split(".")) - node.level + (1 if is_package else 0)]
        base = ".".join(parts + ([node.module] if node.module else []))
    # from package import x: x may be a module (from neuroalign import compare) or a name in the package
    submodules = [f"{base}.{alias.name}" for alias in node.names if _is_module(f"{base}.{alias.name}")]
    return submodules if node.module is None or submodules else [base]


def _is_module(name: str) -> bool:
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _docstrings(tree: ast.Module) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def _has_module_getattr(tree: ast.Module) -> bool:
    return any(isinstance(n, ast.FunctionDef) and n.name == "__getattr__" for n in tree.body)


@functools.lru_cache(maxsize=None)
def _parsed(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def module_edges(path: Path) -> list[Edge]:
    """Every reference of one module to a neuroalign module, with where it sits."""
    module, is_package = _module_name(path), path.name == "__init__.py"
    tree = _parsed(path)
    rel = str(path.relative_to(PACKAGE))
    lazy_getattr = _has_module_getattr(tree) and (is_package or module in DEPRECATED_FORWARDS)
    in_function: dict[int, str] = {}

    def enclose(node: ast.AST, name: str | None) -> None:  # the outermost function holding each node
        for child in ast.iter_child_nodes(node):
            inner = child.name if name is None and isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                else name
            if inner is not None:
                in_function[id(child)] = inner
            enclose(child, inner)

    enclose(tree, None)
    edges = []
    docstrings = _docstrings(tree)
    joined = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values}
    for node in ast.walk(tree):
        where = in_function.get(id(node))
        if lazy_getattr and (where == "__getattr__" or where is None and isinstance(node, ast.Constant)):
            continue  # PEP 562: names looked up when first asked for (a lazy package, or a deprecated forward)
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for target in _imported(module, node, is_package):
                if target.split(".")[0] == "neuroalign":
                    edges.append(Edge(module, rel, node.lineno, target, "module" if where is None else "function"))
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
              and id(node) not in joined and _MODULE_STRING.match(node.value)):
            target = node.value.partition(":")[0]
            if unit(target) in {u for units in LAYERS.values() for u in units}:
                edges.append(Edge(module, rel, node.lineno, target, "string"))
    return edges


@pytest.fixture(scope="module")
def edges() -> list[Edge]:
    return [edge for path in sorted(PACKAGE.rglob("*.py")) for edge in module_edges(path)]


def test_every_unit_has_a_layer_and_a_reason_where_the_issue_left_it_open():
    units = {p.stem if p.is_file() else p.name for p in PACKAGE.iterdir()
             if (p.suffix == ".py" and p.stem != "__init__") or (p.is_dir() and (p / "__init__.py").is_file())}
    for name in units | {"neuroalign"}:
        layer_of(name)
    assert set(PLACEMENT) <= units | {"neuroalign"}


def test_no_import_points_to_a_higher_layer(edges):
    upward = [f"{e.path}:{e.line}: {e.how}-level {e.target} ({unit(e.source)} is {list(LAYERS)[layer_of(unit(e.source))]}"
              f", {unit(e.target)} is {list(LAYERS)[layer_of(unit(e.target))]})"
              for e in edges if layer_of(unit(e.target)) > layer_of(unit(e.source))]
    assert not upward, "imports pointing up the layers (see docs/architecture.md):\n" + "\n".join(upward)


def test_no_forbidden_edge(edges):
    found = [f"{e.path}:{e.line}: {e.target}: {FORBIDDEN[(unit(e.source), unit(e.target))]}"
             for e in edges if (unit(e.source), unit(e.target)) in FORBIDDEN]
    assert not found, "\n".join(found)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one unit (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_cycle_among_subpackages(edges):
    graph: dict[str, set[str]] = {}
    for e in edges:
        if unit(e.source) != unit(e.target):
            graph.setdefault(unit(e.source), set()).add(unit(e.target))
    cycles = _cycles(graph)
    detail = [f"{e.path}:{e.line} -> {e.target}" for cycle in cycles for e in edges
              if unit(e.source) in cycle and unit(e.target) in cycle and unit(e.source) != unit(e.target)]
    assert not cycles, f"subpackages importing each other: {cycles}\n" + "\n".join(detail)


def test_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def _justified(edge: Edge) -> bool:
    return (any(edge.path.startswith(prefix) for prefix in LAZY_FILES)
            or any(edge.target == t or edge.target.startswith(t + ".") for t in HEAVY_TARGETS)
            or (edge.source, edge.target) in CIRCULAR)


def test_function_level_imports_of_neuroalign_say_why(edges):
    unjustified = [f"{e.path}:{e.line}: {e.target}" for e in edges if e.how == "function" and not _justified(e)]
    assert not unjustified, ("imports of neuroalign modules inside functions that could be at module level (move "
                             "them up, or add the reason to HEAVY_TARGETS, LAZY_FILES or CIRCULAR):\n"
                             + "\n".join(unjustified))


def test_function_level_imports_of_third_party_modules_are_the_heavy_or_optional_ones():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = _parsed(path)
        for func in ast.walk(tree):
            if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)) or func.name == "__getattr__":
                continue
            for node in ast.walk(func):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0:
                    names = [node.module or ""]
                else:
                    continue
                where = str(path.relative_to(PACKAGE))
                for name in names:
                    top = name.split(".")[0]
                    if top == "numpy" and where.startswith(NUMPY_WHEN_USED):
                        continue
                    if top not in sys.stdlib_module_names and top != "neuroalign" and top not in LAZY_THIRD_PARTY:
                        found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {name}")
    assert not found, ("third-party imports inside functions that are neither heavy nor optional (move them to "
                       "module level, or add the module and why to LAZY_THIRD_PARTY):\n" + "\n".join(found))


def test_string_references_follow_the_layers_too(edges):
    strings = [e for e in edges if e.how == "string"]
    assert all(layer_of(unit(e.target)) <= layer_of(unit(e.source)) for e in strings)


def test_each_errors_module_is_a_unit_of_its_own_layer():
    modules = {f"errors.{p.stem}" for p in (PACKAGE / "errors").glob("*.py") if p.stem != "__init__"}
    assert modules == LAYERED_ERRORS
    assert {name: list(LAYERS)[layer_of(unit(f"neuroalign.{name}"))] for name in sorted(modules)} == {
        "errors.adapters": "adapters", "errors.applications": "applications", "errors.benchmarks": "benchmarks"}
    assert unit("neuroalign.errors") == "errors" and layer_of("errors") == 0  # the base's and the engines' types


def test_the_checker_sees_function_level_and_string_references(tmp_path, monkeypatch):
    fake = tmp_path / "neuroalign"
    (fake / "stats").mkdir(parents=True)
    (fake / "stats" / "__init__.py").write_text("")
    (fake / "stats" / "x.py").write_text(
        '"""neuroalign.metrics (a docstring, not a reference)."""\n'
        "def f():\n    from neuroalign.metrics import get_metric\n"
        'TABLE = {"k": "neuroalign.datasets.loaders.meeg:recording_from_epochs"}\n')
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake)
    found = {(e.target, e.how) for e in module_edges(fake / "stats" / "x.py")}
    assert found == {("neuroalign.metrics", "function"), ("neuroalign.datasets.loaders.meeg", "string")}
