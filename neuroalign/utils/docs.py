"""Parameter descriptions every engine repeats, written once (in the style of MNE's ``mne.utils.docs``).

A docstring names an entry as ``%(device)s`` on a line of its own, at the indentation of the other parameters;
:func:`fill_doc` replaces it with the entry, indented to match. A parameter that needs a word more than the entry
says keeps it on the lines after the placeholder, one level deeper.

>>> @fill_doc
... def f(seed=None):
...     '''Do something random.
...
...     Parameters
...     ----------
...     %(seed)s
...     '''
>>> print(f.__doc__.splitlines()[-2].strip())
Seeds the random draws; the same seed gives the same result.
"""

from __future__ import annotations

import re
from typing import Callable, TypeVar

F = TypeVar("F", bound=Callable)

#: Entry name -> numpydoc parameter text (header line, then its description indented by four spaces).
docdict: dict[str, str] = {
    "device": """device : None, "auto", str or torch.device
    Where the computation runs (``docs/conventions.md``, "Devices"): ``None`` (default) the CPU default path;
    ``"cpu"`` the same numbers on the CPU; ``"cuda"``, ``"cuda:N"`` or a ``torch.device`` that device; ``"auto"``
    CUDA when available, else exactly what ``None`` does.""",
    "seed": """seed : int or numpy.random.Generator, optional
    Seeds the random draws; the same seed gives the same result.""",
    "progress": """progress : bool, optional
    Show a progress bar (by default only when stderr is a terminal).""",
    "nan_policy": """nan_policy : {"raise", "pairwise"}
    What missing (NaN) pairs do. Pairs missing in every RDM are dropped (exact). Otherwise ``"raise"`` raises
    :class:`~neuroalign.compare.MissingPairsError` naming the RDMs, and ``"pairwise"`` compares each pair of RDMs
    on the pairs both have.""",
    "mirror": """mirror : path-like or list of path-like, optional
    Data mirror directories holding ``<dataset id>/`` folders, searched before the cache and the network (default:
    ``$NEUROALIGN_DATA_MIRROR``).""",
    "comparator": """comparator : str or Comparator
    An RDM comparator by name or alias (``pearson``, ``cosine``, ``spearman``, ``rho_a``, ``kendall_tau_a``,
    ``whitened_cosine``, ``whitened_pearson``, ``bures_similarity``, ``sqbures``; ``docs/comparators.md``) or a
    registered :class:`~neuroalign.compare.Comparator`. ``method=`` is its deprecated spelling.""",
}

_KEY = re.compile(r"^([ \t]*)%\((\w+)\)s[ \t]*$", re.MULTILINE)


def fill_doc(function: F) -> F:
    """Replace each ``%(name)s`` line of ``function``'s docstring by ``docdict[name]``, indented like that line.

    Raises
    ------
    KeyError
        For a name that is not in :data:`docdict` (at import time, so a typo never reaches a user).
    """
    doc = function.__doc__
    if doc:
        def entry(match: re.Match) -> str:
            indent, key = match.groups()
            if key not in docdict:
                raise KeyError(f"{function.__qualname__}'s docstring names %({key})s, which is not in "
                               f"neuroalign.utils.docs.docdict ({', '.join(sorted(docdict))})")
            return "\n".join(indent + line for line in docdict[key].splitlines())

        function.__doc__ = _KEY.sub(entry, doc)
    return function
