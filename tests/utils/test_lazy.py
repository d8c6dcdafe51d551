"""Packages that export their names lazily (PEP 562, :func:`neuroalign.utils.lazy.lazy_exports`)."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest

import neuroalign

ROOT = Path(neuroalign.__file__).parent
LAZY_PACKAGES = sorted(
    "neuroalign" + ("." + ".".join(init.parent.relative_to(ROOT).parts) if init.parent != ROOT else "")
    for init in ROOT.rglob("__init__.py") if "lazy_exports(" in init.read_text())


def test_the_light_packages_are_lazy():
    assert {"neuroalign", "neuroalign.core", "neuroalign.data", "neuroalign.benchmarks", "neuroalign.store",
            "neuroalign.models", "neuroalign.models.hf"} <= set(LAZY_PACKAGES)


@pytest.mark.parametrize("name", LAZY_PACKAGES)
def test_every_export_resolves_and_no_export_is_shadowed_by_a_submodule(name):
    package = importlib.import_module(name)
    # A submodule named like an export would replace the export on the package once imported.
    submodules = {m.name for m in pkgutil.iter_modules(package.__path__)}
    assert not submodules & set(package.__all__)
    for export in package.__all__:
        getattr(package, export)  # imports its module
    assert set(package.__all__) <= set(dir(package))
    with pytest.raises(AttributeError, match="no attribute 'not_there'"):
        package.not_there
