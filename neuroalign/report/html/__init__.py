"""A results store as one self-contained HTML page: leaderboard, heatmap, per-benchmark sections, references.

>>> from neuroalign.report.html import build_report
>>> build_report("results.sqlite", "report.html", title="My models")        # doctest: +SKIP
"""

from neuroalign.report.html.document import build_report, render_report
from neuroalign.report.html.errors import EmptyStoreError

__all__ = ["EmptyStoreError", "build_report", "render_report"]
