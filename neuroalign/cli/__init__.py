"""The ``neuroalign`` command line."""
