"""The RDM engine: dissimilarity matrices from Gram matrices, in memory, batched, or streamed from disk.

>>> from neuroalign.rdm import compute_rdms, DISTANCES
>>> DISTANCES.names()
['correlation', 'cosine', 'crossnobis', 'euclidean', 'mahalanobis', 'poisson', 'poisson_cv', 'sqeuclidean', 'sqmahalanobis']

Every distance turns blocks of units into additive Gram-type statistics and finalises them once, so a layer read
block by block from HDF5 gives the same RDM as one held in memory. See ``docs/distances.md`` for the exact
definitions and how they map onto rsatoolbox's and mne-rsa's names.
"""

from neuroalign.rdm.angular import AngularDistance
from neuroalign.rdm.api import compute_rdms
from neuroalign.rdm.bilinear import BilinearDistance
from neuroalign.rdm.catalog import DISTANCES, register_distance
from neuroalign.rdm.distance import Distance
from neuroalign.rdm.euclidean import Euclidean
from neuroalign.rdm.mahalanobis import Mahalanobis
from neuroalign.rdm.noise import noise_precision
from neuroalign.rdm.poisson import Poisson
from neuroalign.errors import InvalidOptionError  # re-exported: raised by the engine's options

__all__ = [
    "DISTANCES",
    "AngularDistance",
    "BilinearDistance",
    "Distance",
    "Euclidean",
    "InvalidOptionError",
    "Mahalanobis",
    "Poisson",
    "compute_rdms",
    "noise_precision",
    "register_distance",
]
