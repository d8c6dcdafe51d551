"""Lazy package attributes (PEP 562): a package names what it exports; each name is imported on first use.

A command such as ``neuroalign list`` must answer in about the time the interpreter takes to import NumPy, so
``import neuroalign`` and the package ``__init__`` modules import nothing heavy (pandas, h5py, torch, ...): they
declare their exports with :func:`lazy_exports`, and the module defining a name is imported when the name is first
read (``neuroalign.RDMs``, ``from neuroalign.core import Recording``).
"""

from __future__ import annotations

import importlib
import sys
from typing import Any, Callable, Mapping, Sequence


def lazy_exports(package: str, exports: Mapping[str, Sequence[str]]
                 ) -> tuple[Callable[[str], Any], Callable[[], list[str]], list[str]]:
    """The ``__getattr__``, ``__dir__`` and ``__all__`` of a package whose exports are imported on first use.

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    exports : mapping of str to sequence of str
        For each defining module (absolute name), the names the package re-exports from it.

    Returns
    -------
    getattr, dir : callable
        The module-level ``__getattr__`` and ``__dir__`` (assign them in the package's ``__init__``).
    all : list of str
        The sorted exported names, for ``__all__``.

    Examples
    --------
    >>> __getattr__, __dir__, __all__ = lazy_exports(__name__, {"neuroalign.core.rdms": ["RDMs"]})  # doctest: +SKIP
    """
    where = {name: module for module, names in exports.items() for name in names}

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        # Cache it as an ordinary global, so that the next read costs a dict lookup, not this function.
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(where))

    return __getattr__, __dir__, sorted(where)
