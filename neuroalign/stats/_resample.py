"""Former private name of :mod:`neuroalign.stats.resample` (public now that other packages use it); re-exported."""

from neuroalign.stats.resample import (as_generator, condensed_index, counts_from_indices, draw_indices,  # noqa: F401
                                       draw_permutations, pair_index, pair_weights, permuted_pair_index)
