"""Build hook: ship the dataset manifests inside the wheel.

``data_manifests/`` at the top of the repository is the one source of truth (reviewed, validated, listed by the
docs). A wheel must carry them, so ``build_py`` copies ``data_manifests/*.toml`` into the built package as
``neuroalign/data/manifests/``, where :func:`neuroalign.data.manifest.builtin_manifest_dir` finds them in an
installed package. Nothing is duplicated in git; an editable install reads ``data_manifests/`` in place.
Everything else about the build is in ``pyproject.toml``.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SOURCE = Path(__file__).resolve().parent / "data_manifests"
PACKAGED = ("neuroalign", "data", "manifests")


class BuildPyWithManifests(build_py):
    """``build_py`` that also copies the top-level manifests into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # the package is the source tree, which finds data_manifests/ beside it
        manifests = sorted(SOURCE.glob("*.toml"))
        if not manifests:
            raise RuntimeError(f"no dataset manifests in {SOURCE}: the wheel would ship none")
        target = Path(self.build_lib).joinpath(*PACKAGED)
        self.mkpath(str(target))
        for path in manifests:
            self.copy_file(str(path), str(target / path.name))


setup(cmdclass={"build_py": BuildPyWithManifests})
