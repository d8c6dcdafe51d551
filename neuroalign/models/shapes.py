"""Checking each batch's layer sizes (now :mod:`neuroalign.cache.shapes`: the cache writer checks them too, and the
cache sits below the models; re-exported here)."""

from neuroalign.cache.shapes import check_units

__all__ = ["check_units"]
