"""A results store as one self-contained HTML page: leaderboard, matrix, per-benchmark and per-score sections,
alignment studies, references; more sections through :func:`register_section`.

>>> from neuroalign.report.html import build_report
>>> build_report("results.sqlite", "report.html", title="My models")        # doctest: +SKIP
"""

from neuroalign.report.html.document import build_report, render_report
from neuroalign.errors.applications import EmptyStoreError
from neuroalign.report.html.sections import Block, Section, Table, register_section, unregister_section

__all__ = ["Block", "EmptyStoreError", "Section", "Table", "build_report", "register_section", "render_report",
           "unregister_section"]
