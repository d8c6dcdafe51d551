"""Statistics: noise ceilings (bootstraps and permutation nulls come with the statistics layer)."""

from neuroalign.stats.ceiling import NoiseCeiling, rdm_noise_ceiling

__all__ = ["NoiseCeiling", "rdm_noise_ceiling"]
