"""Plots of neuroalign's results, drawn with matplotlib (imported here, never by ``import neuroalign``).

Every function draws on an Agg canvas without pyplot's global state, returns the
:class:`~matplotlib.figure.Figure`, and, where one panel suffices, draws into a given ``ax``.
"""

from __future__ import annotations

from neuroalign.report.plots._axes import new_figure
from neuroalign.report.plots.brain_map import plot_brain_map
from neuroalign.report.plots.export import figure_to_base64_png, save_figure
from neuroalign.report.plots.layer_matrix import plot_layer_matrix
from neuroalign.report.plots.layer_profile import plot_layer_profile
from neuroalign.report.plots.mds import plot_mds
from neuroalign.report.plots.metric_agreement import plot_metric_agreement
from neuroalign.report.plots.pair_scores import plot_pair_scores
from neuroalign.report.plots.rdm import plot_rdm
from neuroalign.report.plots.score_matrix import plot_score_matrix
from neuroalign.report.plots.subject_scores import plot_subject_scores
from neuroalign.report.plots.time_course import plot_time_course

__all__ = ["figure_to_base64_png", "new_figure", "plot_brain_map", "plot_layer_matrix", "plot_layer_profile",
           "plot_mds", "plot_metric_agreement", "plot_pair_scores", "plot_rdm", "plot_score_matrix",
           "plot_subject_scores", "plot_time_course", "save_figure"]
