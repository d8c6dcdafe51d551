"""``neuroalign plugin check``: the conformance suite a plugin author runs on an installed distribution.

>>> from neuroalign.plugins.check import check_distribution
>>> for result in check_distribution("neuroalign-my-net"):         # doctest: +SKIP
...     print(result.line())
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, distribution
from typing import Callable

from neuroalign.plugins.builtin import builtin_records
from neuroalign.plugins.check.benchmark import BENCHMARK_CHECKS
from neuroalign.plugins.check.dataset import DATASET_CHECKS
from neuroalign.plugins.check.imports import check_light_import
from neuroalign.plugins.check.metric import METRIC_CHECKS
from neuroalign.plugins.check.model import MODEL_CHECKS
from neuroalign.plugins.check.results import CheckResult, require, run_check
from neuroalign.plugins.discovery import PluginEntry, discover
from neuroalign.errors.applications import DistributionNotFoundError
from neuroalign.plugins.groups import GROUPS, KINDS
from neuroalign.plugins.resolve import PluginRecord, resolve

#: kind -> the checks specific to it, run after the common ones on a plugin that resolves.
KIND_CHECKS: dict[str, list[tuple[str, Callable[[PluginRecord], str]]]] = {
    "model": MODEL_CHECKS, "dataset": DATASET_CHECKS, "metric": METRIC_CHECKS, "benchmark": BENCHMARK_CHECKS}

__all__ = ["CheckResult", "KIND_CHECKS", "check_distribution", "distribution_entries"]


def distribution_entries(name: str) -> list[PluginEntry]:
    """The neuroalign entry points of the installed distribution ``name``.

    Raises
    ------
    DistributionNotFoundError
        If no distribution of that name is installed.
    """
    try:
        dist = distribution(name)
    except PackageNotFoundError:
        raise DistributionNotFoundError(f"no installed distribution is named {name!r}; install the plugin first "
                                        "(pip install -e <folder>) and give its distribution name "
                                        "(the [project] name in its pyproject.toml)") from None
    kind_of = {group: kind for kind, group in GROUPS.items()}
    found = [PluginEntry(kind_of[p.group], p.name, p.value, dist.metadata["Name"], dist.version)
             for p in dist.entry_points if p.group in kind_of]
    return sorted(found, key=lambda e: (KINDS.index(e.kind), e.id))


def _unique(entry: PluginEntry) -> str:
    providers = sorted({e.distribution for e in discover(entry.kind) if e.id == entry.id})
    others = [p for p in providers if p != entry.distribution]
    require(not others, f"{entry.id!r} is also registered by {', '.join(others)}")
    require(all(r.id != entry.id for r in builtin_records(entry.kind)),
            f"{entry.id!r} is the id of a built-in neuroalign {entry.kind}")
    return "no other distribution or built-in has it"


def _entry_checks(entry: PluginEntry) -> list[CheckResult]:
    label = f"{entry.kind} {entry.id}"
    record = resolve(entry)
    results = [CheckResult(f"{label}: entry point {entry.value} resolves", not record.broken, record.error or "")]
    results.append(run_check(f"{label}: id is unique", lambda: _unique(entry)))
    if record.broken:
        return results
    results.append(run_check(f"{label}: resolving imports no heavy library", lambda: check_light_import(entry)))
    results.append(CheckResult(f"{label}: has a one-line description", bool(record.description),
                               record.description or "give the resolved object a docstring"))
    for name, check in KIND_CHECKS[entry.kind]:
        results.append(run_check(f"{label}: {name}", lambda check=check: check(record)))
    return results


def check_distribution(name: str) -> list[CheckResult]:
    """Run every conformance check on the neuroalign plugins of the installed distribution ``name``.

    For each entry point: it resolves, its id is unique (no other distribution, no built-in), resolving imports no
    heavy library (checked in a fresh interpreter), it has a description; then the checks of its kind (see
    :data:`KIND_CHECKS`).

    Returns
    -------
    list of CheckResult
        One per check, in order; a distribution without neuroalign entry points gives one failed result.

    Raises
    ------
    DistributionNotFoundError
        If no distribution of that name is installed.
    """
    entries = distribution_entries(name)
    if not entries:
        return [CheckResult(f"{name}: registers a neuroalign entry point", False,
                            f"none in the groups {', '.join(GROUPS.values())}")]
    return [result for entry in entries for result in _entry_checks(entry)]
