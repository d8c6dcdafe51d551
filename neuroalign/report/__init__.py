"""Reports of neuroalign's results: plots (:mod:`neuroalign.report.plots`), and the HTML report built on them.

The plot functions are imported on first use, so that importing this package loads neither matplotlib nor torch;
:mod:`neuroalign.report.style` holds the publication settings (``with style.publication(): ...``).
"""

from __future__ import annotations

from neuroalign.report.html import EmptyStoreError, build_report

__all__ = ["EmptyStoreError", "build_report", "classical_mds", "figure_to_base64_png", "metric_mds",
           "plot_brain_map", "plot_layer_matrix", "plot_layer_profile", "plot_mds", "plot_metric_agreement",
           "plot_pair_scores", "plot_rdm", "plot_score_matrix", "plot_subject_scores", "plot_time_course",
           "save_figure"]

_MDS = ("classical_mds", "metric_mds")


def __getattr__(name: str):
    """The plot functions (from :mod:`neuroalign.report.plots`) and the MDS helpers, imported when asked for."""
    if name in __all__:
        import importlib

        module = "neuroalign.report.mds" if name in _MDS else "neuroalign.report.plots"
        return getattr(importlib.import_module(module), name)
    raise AttributeError(f"module 'neuroalign.report' has no attribute {name!r}")
