"""Encoding models: ridge from model features to every voxel, sensor or unit, scored on held-out stimuli against
per-target noise ceilings. See ``docs/encoding.md``."""

from neuroalign.encoding.ceiling import (CeilingNormalised, ncsnr_ceiling, normalise_by_ceiling,
                                         split_half_ceiling)
from neuroalign.encoding.fit import EncodingResult, fit_encoding
from neuroalign.encoding.maps import to_evoked, to_nifti
from neuroalign.encoding.partition import VariancePartition, partition_variance

__all__ = ["CeilingNormalised", "EncodingResult", "VariancePartition", "fit_encoding", "ncsnr_ceiling",
           "normalise_by_ceiling", "partition_variance", "split_half_ceiling", "to_evoked", "to_nifti"]
