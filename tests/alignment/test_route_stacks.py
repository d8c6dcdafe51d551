"""The RSA route scores a batch of permutations as one stack of condensed rows, never read by the layout rule."""

from __future__ import annotations

import itertools

import numpy as np

from neuroalign.alignment.routes import RDMRoute
from neuroalign.alignment.sources import Representation
from neuroalign.compare import compare_condensed
from neuroalign.core.condensed import condensed_to_square, upper_indices
from neuroalign.metrics import get_metric

#: Categories a a b b over four stimuli: pairs (0, 1) and (2, 3) are within a category (dissimilarity 0).
CATEGORICAL = np.array([0.0, 1.0, 1.0, 1.0, 1.0, 0.0])


def test_six_permutations_of_four_stimuli_are_six_condensed_rows():
    """Six permutations, each taking pair k into a category: a 6 x 6 stack with a zero diagonal (before, the
    batched comparison read it as one square RDM and raised AmbiguousLayoutError)."""
    rows, cols = upper_indices(4)
    perms = []
    for k in range(6):
        perms.append(next(p for p in itertools.permutations(range(4))
                          if (p[rows[k]] < 2) == (p[cols[k]] < 2) and list(p) not in perms))
    idx_b = np.array(perms)
    brain = Representation(np.zeros((4, 1)), condensed_to_square(CATEGORICAL), "correlation")
    model = Representation(np.zeros((4, 1)), condensed_to_square(np.array([0.2, 1.0, 1.3, 0.9, 1.1, 0.4])))
    route = RDMRoute(get_metric("rsa.correlation.spearman"))
    idx_a = np.tile(np.arange(4), (6, 1))
    scores = route.score_resamples(model, brain, idx_a, idx_b)
    permuted = condensed_to_square(CATEGORICAL)[idx_b[:, rows], idx_b[:, cols]]
    assert (np.diagonal(permuted) == 0).all()
    expected = compare_condensed(model.rdm[rows, cols], permuted, "spearman")[0]
    np.testing.assert_allclose(scores, expected, rtol=1e-12)
