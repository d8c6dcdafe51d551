"""Exception types of the HTML report (defined in :mod:`neuroalign.report.errors`; re-exported)."""

from neuroalign.report.errors import EmptyStoreError

__all__ = ["EmptyStoreError"]
