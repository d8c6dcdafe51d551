"""Dataset manifests and checksummed file access (mirror directories; fetching comes with the dataset layer)."""

from neuroalign.data.manifest import Manifest, load_manifest, manifest_dir
from neuroalign.data.mirror import DataFileError, locate_file

__all__ = ["DataFileError", "Manifest", "load_manifest", "locate_file", "manifest_dir"]
