"""Reading and writing user files: response patterns and RDMs."""

from neuroalign.io.patterns import read_patterns
from neuroalign.io.rdm_files import read_rdms, write_rdms

__all__ = ["read_patterns", "read_rdms", "write_rdms"]
