"""The names a new plugin gets from its id: distribution, import package, class name, folder."""

from __future__ import annotations

import re
from dataclasses import dataclass

from neuroalign.errors.applications import InvalidPluginNameError

#: A plugin id: lower-case words of letters and digits joined by single hyphens or underscores.
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$")

#: Dataset ids are manifest ids too, and the manifest schema allows no hyphen in them.
DATASET_PATTERN = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")

#: Longest accepted id; distribution and package names grow by the ``neuroalign-`` prefix.
MAX_LENGTH = 50


@dataclass(frozen=True)
class PluginNames:
    """Every name derived from a plugin id.

    Attributes
    ----------
    id : str
        The entry-point name (``my-net``).
    distribution : str
        The installable distribution and its folder (``neuroalign-my-net``).
    package : str
        The import package (``neuroalign_my_net``).
    camel : str
        The stem of class names (``MyNet``).
    """

    id: str
    distribution: str
    package: str
    camel: str


def plugin_names(name: str, kind: str) -> PluginNames:
    """Check ``name`` and derive the distribution, package and class names of a plugin of ``kind``.

    Raises
    ------
    InvalidPluginNameError
        If ``name`` is not lower-case letters and digits joined by single ``-`` or ``_`` (no hyphen for a
        dataset, whose id is also its manifest id), starts with ``neuroalign``, or is longer than 50 characters.
    """
    if len(name) > MAX_LENGTH:
        raise InvalidPluginNameError(f"plugin name {name!r} is {len(name)} characters long; use at most {MAX_LENGTH}")
    if not NAME_PATTERN.match(name):
        raise InvalidPluginNameError(f"invalid plugin name {name!r}: use lower-case letters and digits, words joined "
                                     "by single '-' or '_', starting with a letter (for example 'my-net')")
    if kind == "dataset" and not DATASET_PATTERN.match(name):
        raise InvalidPluginNameError(f"invalid dataset name {name!r}: a dataset id is also its manifest id, which "
                                     f"allows no hyphen; use {name.replace('-', '_')!r}")
    if name.startswith("neuroalign"):
        raise InvalidPluginNameError(f"invalid plugin name {name!r}: leave out the 'neuroalign' prefix; the "
                                     "distribution is named neuroalign-<name> already")
    words = re.split(r"[-_]", name)
    return PluginNames(id=name, distribution="neuroalign-" + "-".join(words),
                       package="neuroalign_" + "_".join(words), camel="".join(w.capitalize() for w in words))
