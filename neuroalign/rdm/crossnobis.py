"""Crossnobis: the cross-validated squared Mahalanobis distance over runs.

``d_ij = mean over ordered pairs (r, s), r != s, of (x_i^r - x_j^r)^T P (x_i^s - x_j^s)``.

Noise independent between runs has zero expected cross product, so ``d_ij`` is an unbiased estimate of the true
squared distance; for identical true patterns it scatters around zero and is often negative. It is therefore never
square-rooted (mne-rsa's cross-validated distances take a root and turn such values into NaN). The average over
ordered run pairs equals rsatoolbox's leave-one-run-out average (training mean of the other runs against the
held-out run) for balanced runs.
"""

from __future__ import annotations

from neuroalign.rdm.mahalanobis import Mahalanobis


def crossnobis() -> Mahalanobis:
    """The registered ``crossnobis`` distance."""
    return Mahalanobis("crossnobis", cross_validated=True)
