"""Sphinx configuration of the neuroalign documentation.

Build the whole site (every example and tutorial executed on the real data) from the repository root::

    NEUROALIGN_DATA_MIRROR=../shared/data python -m sphinx -W docs docs/_build/html

Environment:

- ``NEUROALIGN_DOCS_TUTORIALS=skip`` renders the tutorials without running them (the test suite does this: it
  runs every tutorial in ``tests/test_tutorials.py`` already); the short examples always run.
- Intersphinx never downloads: an inventory is read from ``docs/_intersphinx/<name>.inv`` when that file exists
  (for a published build, fetch them first, e.g. ``curl -o docs/_intersphinx/numpy.inv
  https://numpy.org/doc/stable/objects.inv``); without it, the names of that project stay plain text.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE / "_ext"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MPLBACKEND", "Agg")

import neuroalign  # noqa: E402
from gallery_scrapers import TutorialFigures  # noqa: E402

project = "neuroalign"
author = "neuroalign developers"
copyright = "neuroalign developers"  # noqa: A001 - Sphinx's name
release = version = neuroalign.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "numpydoc",
    "myst_parser",
    "sphinx_gallery.gen_gallery",
    "api_pages",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_intersphinx", "sg_execution_times.rst",
                    "auto_examples/*.ipynb", "auto_tutorials/*.ipynb"]
templates_path: list[str] = []
html_static_path: list[str] = []

# MyST: the existing Markdown pages, with their "#section" links and GitHub-style tables.
myst_heading_anchors = 4
myst_enable_extensions = ["colon_fence", "deflist"]
suppress_warnings = ["myst.header"]  # pages may skip a heading level, as GitHub allows

# Autodoc + numpydoc: signatures from the code, parameters from the numpydoc sections.
autodoc_typehints = "none"  # the numpydoc "Parameters" sections already give the types, in words
autodoc_member_order = "bysource"
autosummary_generate = False  # api_pages.py writes the pages; autosummary only draws the tables
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = False

# Intersphinx: read local inventories only (see the module docstring); never fetch at build time.
_INVENTORIES = {
    "python": "https://docs.python.org/3/",
    "numpy": "https://numpy.org/doc/stable/",
    "scipy": "https://docs.scipy.org/doc/scipy/",
    "pandas": "https://pandas.pydata.org/docs/",
    "mne": "https://mne.tools/stable/",
    "nilearn": "https://nilearn.github.io/stable/",
    "rsatoolbox": "https://rsatoolbox.readthedocs.io/en/stable/",
    "torch": "https://pytorch.org/docs/stable/",
    "transformers": "https://huggingface.co/docs/transformers/main/en/",
    "matplotlib": "https://matplotlib.org/stable/",
}
intersphinx_mapping = {name: (url, str(HERE / "_intersphinx" / f"{name}.inv"))
                       for name, url in _INVENTORIES.items() if (HERE / "_intersphinx" / f"{name}.inv").is_file()}
intersphinx_timeout = 1

# The gallery: short examples (always executed) and the tutorials (executed unless NEUROALIGN_DOCS_TUTORIALS=skip).
_run_tutorials = os.environ.get("NEUROALIGN_DOCS_TUTORIALS", "run") != "skip"
_tutorial_figures = TutorialFigures(HERE / "_build" / "tutorial_figures")
os.environ["NEUROALIGN_TUTORIAL_OUTPUT"] = str(_tutorial_figures.folder)
sphinx_gallery_conf = {
    "examples_dirs": [str(ROOT / "examples"), str(ROOT / "tutorials")],
    "gallery_dirs": ["auto_examples", "auto_tutorials"],
    "filename_pattern": r"/(plot_|[a-z])" if _run_tutorials else r"/plot_",
    "ignore_pattern": r"__init__\.py",
    "within_subsection_order": "FileNameSortKey",
    "image_scrapers": ("matplotlib", _tutorial_figures),
    "reset_modules": ("matplotlib",),
    "download_all_examples": False,
    "plot_gallery": "True",
    "abort_on_example_error": False,
    "only_warn_on_example_error": False,
    "show_memory": False,
    "remove_config_comments": True,
    "min_reported_time": 1,
    "matplotlib_animations": False,
    "capture_repr": ("_repr_html_", "__repr__"),
    "copyfile_regex": "",
}

html_theme = "pydata_sphinx_theme"
html_title = f"neuroalign {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "header_links_before_dropdown": 7,
    "secondary_sidebar_items": ["page-toc", "sg_download_links", "sg_launcher_links"],
}
html_sidebars = {"changelog": [], "getting_started": []}
html_show_sourcelink = False


def _list_architecture(app, docname, source):
    """The architecture page lists docs/architecture.md (the detailed design) when that page exists."""
    if docname == "architecture_page" and (HERE / "architecture.md").is_file():
        source[0] += "\n```{toctree}\n:maxdepth: 1\n\narchitecture\n```\n"


def setup(app):
    app.connect("source-read", _list_architecture)
