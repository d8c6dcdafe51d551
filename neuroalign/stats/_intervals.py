"""Former private name of :mod:`neuroalign.stats.intervals` (public now that other packages use it); re-exported."""

from neuroalign.stats.intervals import bca_interval, percentile_interval  # noqa: F401
