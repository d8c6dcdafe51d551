"""Temporal generalisation of representational geometry: the RDM at time t against the RDM at time t'."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from neuroalign.errors import TimeAxisError
from neuroalign.analysis.time_resolved import time_resolved_rdms
from neuroalign.compare import compare
from neuroalign.core.rdms import RDMs
from neuroalign.core.recording import Recording
from neuroalign.utils.renamed import renamed_keywords


@dataclass(frozen=True)
class GeneralisationMatrix:
    """RDM-versus-RDM comparisons across time.

    Attributes
    ----------
    values : ndarray, shape (n_times_a, n_times_b)
        ``values[i, j]`` compares the RDM at ``times_a[i]`` with the RDM at ``times_b[j]``.
    times_a, times_b : ndarray
        The two time axes.
    """

    values: np.ndarray
    times_a: np.ndarray
    times_b: np.ndarray


def _as_rdms(data: Recording | RDMs, distance: Any, window: int | None, step: int, options: dict) -> RDMs:
    if isinstance(data, RDMs):
        if "time" not in data.descriptors.columns:
            raise TimeAxisError("time-resolved RDMs need a 'time' descriptor (as compute_rdms gives a "
                                "time-resolved recording)")
        return data
    return time_resolved_rdms(data, distance, window=window, step=step, **options)


@renamed_keywords(method="comparator")
def temporal_generalisation(a: Recording | RDMs, b: Recording | RDMs | None = None, *,
                            distance: Any = "correlation", comparator: str = "pearson", window: int | None = None,
                            step: int = 1, **rdm_options: Any) -> GeneralisationMatrix:
    """Compare the RDM at every time point with the RDM at every other time point, in one batched call.

    Parameters
    ----------
    a : Recording, mne.Epochs or RDMs
        A time-resolved recording (epochs as for :func:`~neuroalign.analysis.time_resolved_rdms`), or
        time-resolved RDMs (with a ``time`` descriptor).
    b : Recording or RDMs, optional
        A second one (another subject, condition or session); ``None`` generalises ``a`` with itself.
    distance : str or Distance
        The distance for recordings (ignored for RDMs).
    comparator : str
        Any comparator of :func:`neuroalign.compare.compare`; a symmetric one gives a symmetric matrix when
        ``b`` is None. ``method=`` is its deprecated spelling.
    window, step : int, optional
        Sliding-window averaging of recordings (see :func:`~neuroalign.analysis.sliding_windows`).
    **rdm_options
        Passed to :func:`~neuroalign.rdm.compute_rdms`.

    Returns
    -------
    GeneralisationMatrix

    Raises
    ------
    TimeAxisError
        An input without a time axis (or ``time`` descriptor).
    StimulusMismatchError
        ``a`` and ``b`` do not share their stimuli.
    """
    rdms_a = _as_rdms(a, distance, window, step, rdm_options)
    rdms_b = rdms_a if b is None else _as_rdms(b, distance, window, step, rdm_options)
    values = compare(rdms_a, rdms_b, comparator)
    return GeneralisationMatrix(values=values,
                                times_a=np.asarray(rdms_a.descriptors["time"], dtype=np.float64),
                                times_b=np.asarray(rdms_b.descriptors["time"], dtype=np.float64))
