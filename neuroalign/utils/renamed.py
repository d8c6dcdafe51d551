"""Deprecated spellings that keep working: a renamed keyword argument, a renamed attribute.

A name means one thing across the package (``comparator`` an RDM comparator, ``distance`` an RDM distance,
``metric`` a registry measure). Where an older spelling existed it stays accepted and emits a
:class:`FutureWarning` that names the new one, so user code keeps running and says what to change.
"""

from __future__ import annotations

import functools
import importlib
import warnings
from typing import Any, Callable, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


def warn_renamed(old: str, new: str, where: str, *, stacklevel: int = 3) -> None:
    """Emit the :class:`FutureWarning` of a deprecated spelling ``old`` of ``new`` in ``where``."""
    warnings.warn(f"{where}: {old!r} is deprecated and will be removed; use {new!r} instead", FutureWarning,
                  stacklevel=stacklevel)


def renamed_keywords(**renames: str) -> Callable[[F], F]:
    """Accept the old keyword names ``old=new`` of a function, with a :class:`FutureWarning`.

    Examples
    --------
    >>> @renamed_keywords(method="comparator")
    ... def f(comparator="spearman"):
    ...     return comparator
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     f(method="pearson")
    'pearson'
    """
    def decorate(function: F) -> F:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for old, new in renames.items():
                if old in kwargs:
                    if new in kwargs:
                        raise TypeError(f"{function.__qualname__}() got both {old!r} (deprecated) and {new!r}; "
                                        f"pass {new!r} only")
                    warn_renamed(f"{old}=", f"{new}=", f"{function.__qualname__}()")
                    kwargs[new] = kwargs.pop(old)
            return function(*args, **kwargs)

        wrapper.renamed_keywords = dict(renames)  # type: ignore[attr-defined]  # for signature checks by callers
        return wrapper  # type: ignore[return-value]

    return decorate


def renamed_attribute(old: str, new: str) -> property:
    """A read-only property ``old`` that returns attribute ``new`` with a :class:`FutureWarning`."""
    def getter(self: Any) -> Any:
        warn_renamed(old, new, type(self).__name__)
        return getattr(self, new)

    return property(getter, doc=f"Deprecated spelling of :attr:`{new}`.")


def moved_attribute(old_module: str, name: str, new_module: str) -> Any:
    """``new_module.name``, for a package ``__getattr__`` whose name moved to another (higher-layer) package.

    Emits the :class:`FutureWarning` of the old spelling ``old_module.name``. The new module is imported here, on
    first use, so that the old package does not import a layer above it (see docs/architecture.md).
    """
    warn_renamed(f"{old_module}.{name}", f"{new_module}.{name}", "moved", stacklevel=4)
    return getattr(importlib.import_module(new_module), name)
