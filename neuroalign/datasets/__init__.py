"""Dataset loaders that turn real recordings into neuroalign containers."""
