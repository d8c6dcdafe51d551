"""Conformance checks of a benchmark plugin: it identifies itself fully and has stimuli of its modality."""

from __future__ import annotations

from typing import Callable

from neuroalign.core.stimuli import StimulusSet
from neuroalign.plugins.check.results import require
from neuroalign.plugins.contracts import as_benchmark
from neuroalign.plugins.resolve import PluginRecord

#: Attributes a benchmark must set to non-empty strings.
IDENTITY = ("id", "version", "citation", "modality")


def check_identity(record: PluginRecord) -> str:
    """The benchmark sets id (the entry point's name), version, citation and modality (a known payload kind)."""
    from neuroalign.models.inputs.payloads import PAYLOAD_READERS

    bench = as_benchmark(record.obj, record.id)
    empty = [name for name in IDENTITY if not isinstance(getattr(bench, name, None), str)
             or not getattr(bench, name).strip()]
    require(not empty, f"{', '.join(empty)} not set to a non-empty string")
    require(bench.id == record.id, f"its id is {bench.id!r} but it is registered as {record.id!r}")
    require(bench.modality in PAYLOAD_READERS, f"modality {bench.modality!r} is none of "
                                               f"{PAYLOAD_READERS.names()}")
    return f"{bench.id} v{bench.version}, {bench.modality}"


def check_stimuli(record: PluginRecord) -> str:
    """``stimuli()`` is a non-empty stimulus set whose every stimulus has a payload of the benchmark's modality."""
    from neuroalign.models.inputs.payloads import payload_values

    bench = as_benchmark(record.obj, record.id)
    stimuli = bench.stimuli()
    require(isinstance(stimuli, StimulusSet), f"stimuli() returned a {type(stimuli).__name__}, not a StimulusSet")
    require(len(stimuli) > 0, "stimuli() is empty")
    payload_values(stimuli, bench.modality)
    return f"{len(stimuli)} stimuli with {bench.modality} payloads"


#: (check name, check) pairs of a benchmark plugin.
BENCHMARK_CHECKS: list[tuple[str, Callable[[PluginRecord], str]]] = [
    ("declares id, version, citation and modality", check_identity),
    ("has stimuli of its modality", check_stimuli)]
