"""Dataset adapters: a dataset's manifest, stimuli, and recordings or ready RDMs as neuroalign containers.

>>> from neuroalign.datasets import load_dataset                      # doctest: +SKIP
>>> haxby = load_dataset("haxby2001_subj1_slice")                    # doctest: +SKIP
>>> recording, = haxby.recordings(roi="slice")                       # doctest: +SKIP

Adapters are registered by name (:data:`DATASET_ADAPTERS`, entry-point group ``neuroalign.datasets``) and picked
by a manifest's ``[adapter]`` table. Importing this package imports no heavy library.
"""

from neuroalign.datasets.adapter import DatasetAdapter, ManifestAdapter
from neuroalign.errors import ConditionMismatchError, DataFormatError
from neuroalign.errors.adapters import GridMismatchError, NotProvidedError
from neuroalign.datasets.registry import DATASET_ADAPTERS, adapter_class, load_dataset, register_adapter
from neuroalign.datasets.validate import ManifestProblem, validate_manifests

__all__ = ["ConditionMismatchError", "DATASET_ADAPTERS", "DataFormatError", "DatasetAdapter", "GridMismatchError",
           "ManifestAdapter", "ManifestProblem", "NotProvidedError", "adapter_class", "load_dataset", "register_adapter",
           "validate_manifests"]
