"""Named brain sources for ``neuroalign align --brain``: a dataset's recordings as one side of an alignment."""

from __future__ import annotations

from typing import Any, Callable

from neuroalign.alignment.sources import BrainSource
from neuroalign.datasets import kriegeskorte92
from neuroalign.registry import Registry

#: brain source id -> factory(mirror) -> BrainSource
BRAIN_SOURCES: Registry[Callable[..., BrainSource]] = Registry("brain source")


def _human_it(mirror: Any = None) -> BrainSource:
    return BrainSource("kriegeskorte2008.human_it", kriegeskorte92.human_it_rdms(mirror), layer="hIT")


def _monkey_it(mirror: Any = None) -> BrainSource:
    return BrainSource("kriegeskorte2008.monkey_it", kriegeskorte92.adapter(mirror).monkey_it_rdms(), layer="mIT")


BRAIN_SOURCES.register("kriegeskorte2008.human_it", _human_it)
BRAIN_SOURCES.register("kriegeskorte2008.monkey_it", _monkey_it)


def brain_source(source_id: str, mirror: Any = None) -> BrainSource:
    """The brain source registered as ``source_id`` (human IT: 4 subjects x 2 sessions, averaged per subject, then
    over subjects; monkey IT: the pooled RDM).

    Raises
    ------
    UnknownNameError
        For an id not in :data:`BRAIN_SOURCES` (close matches suggested).
    """
    return BRAIN_SOURCES.get(source_id)(mirror)
