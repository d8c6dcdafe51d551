"""The batched core of every searchlight: one RDM per neighbourhood of channels, compared with model RDMs.

Neighbourhoods (spheres of voxels, adjacent sensors) are rows of a sparse channel-membership matrix; they are kept
apart from the metric, so any distance and comparator serves any kind of neighbourhood.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import scipy.sparse

from neuroalign.compare import DEFAULT_COMPARATOR, compare
from neuroalign.core.rdms import RDMs
from neuroalign.core.recording import Recording
from neuroalign.errors import DegeneratePatternError, DegenerateRDMError, InvalidOptionError, ShapeMismatchError
from neuroalign.rdm import compute_rdms
from neuroalign.utils.docs import fill_doc
from neuroalign.utils.progress import track
from neuroalign.utils.renamed import renamed_keywords


def _batch_recording(patterns: np.ndarray, members: np.ndarray, recording: Recording) -> Recording:
    """A recording whose ``time`` axis enumerates (neighbourhood, time) pairs, so one engine call batches them."""
    runs, stimuli, _, n_times = patterns.shape
    n_members, size = members.shape
    block = patterns[:, :, members, :]  # (run, stimulus, neighbourhood, channel, time)
    block = block.transpose(0, 1, 3, 2, 4).reshape(runs, stimuli, size, n_members * n_times)
    dims = ("run", "stimulus", "channel", "time")
    if not recording.has_runs:
        block, dims = block[0], dims[1:]
    return Recording(block, recording.stimulus_ids, dims=dims, runs=recording.runs)


@fill_doc
@renamed_keywords(method="comparator")
def neighbourhood_rsa(recording: Recording, neighbourhoods: Any, model_rdms: Any, *,
                      distance: Any = "correlation", comparator: str = DEFAULT_COMPARATOR, batch_size: int = 2048,
                      progress: bool | None = None, name: Callable[[int], str] | None = None,
                      **rdm_options: Any) -> np.ndarray:
    """Compare model RDMs with the RDM of every neighbourhood of channels, batched over neighbourhoods.

    Neighbourhoods are grouped by their channel count; each group (in batches of ``batch_size``) is one batched
    :func:`~neuroalign.rdm.compute_rdms` call and one many-vs-many :func:`~neuroalign.compare.compare` call, never
    one call per neighbourhood.

    Parameters
    ----------
    recording : Recording
        Patterns over channels (runs feed cross-validated distances; a time axis is kept).
    neighbourhoods : scipy sparse matrix, shape (n_neighbourhoods, n_channels)
        Non-zero ``[c, v]`` puts channel ``v`` in neighbourhood ``c``.
    model_rdms : RDMs or array_like, shape (n_pairs,), (n_models, n_pairs), (n, n) or (n_models, n, n)
        ``RDMs`` are matched by stimulus id; arrays (condensed or square) follow the recording's stimulus order.
    distance : str or Distance
        Any distance of :func:`~neuroalign.rdm.compute_rdms`.
    %(comparator)s
    batch_size : int
        Most neighbourhoods per engine call (bounds memory).
    %(progress)s
    name : callable, optional
        ``name(k)`` describes neighbourhood ``k`` in error messages (a sphere's centre, a sensor's name).
    **rdm_options
        Passed to :func:`~neuroalign.rdm.compute_rdms` (``normalize``, ``device``, ``dtype``; not ``noise``).

    Returns
    -------
    ndarray, shape (n_models, n_neighbourhoods, n_times)
        ``n_times`` is 1 for a recording without a time axis.

    Raises
    ------
    ShapeMismatchError
        Neighbourhoods over another number of channels, or a bad ``batch_size``.
    InvalidOptionError
        A ``noise`` option.
    DegeneratePatternError, DegenerateRDMError
        A neighbourhood whose patterns or RDM the distance or comparator is undefined for (constant voxels, e.g.
        zeros outside the brain); the message names the neighbourhood.
    """
    if "noise" in rdm_options:
        raise InvalidOptionError("a searchlight takes no noise precision: each neighbourhood would need its own "
                                 "over its channels")
    members_of = scipy.sparse.csr_matrix(neighbourhoods, dtype=bool)
    members_of.eliminate_zeros()
    members_of.sort_indices()
    if members_of.shape[1] != recording.n_channels:
        raise ShapeMismatchError(f"neighbourhoods must span the recording's {recording.n_channels} channels; "
                                 f"got {members_of.shape[1]}")
    if not (isinstance(batch_size, (int, np.integer)) and batch_size >= 1):
        raise ShapeMismatchError(f"batch_size must be a positive integer; got {batch_size!r}")
    sizes = np.diff(members_of.indptr)
    patterns = recording.patterns()
    n_times = patterns.shape[3]
    # An array follows the recording's stimulus order; its ids also fix its layout (condensed or square).
    models = model_rdms if isinstance(model_rdms, RDMs) else RDMs(model_rdms, recording.stimulus_ids)
    values = np.empty((len(models), len(sizes), n_times))
    batches = []
    for size in np.unique(sizes):
        rows = np.flatnonzero(sizes == size)
        batches += [(size, rows[start:start + batch_size]) for start in range(0, len(rows), batch_size)]
    for size, batch in track(batches, len(batches), "searchlight", enabled=progress):
        # CSR rows of equal length stack into a (neighbourhoods, size) index array without a Python loop.
        members = members_of.indices[members_of.indptr[batch][:, None] + np.arange(size)]
        try:
            values[:, batch, :] = _compare_batch(patterns, members, recording, models, distance, comparator,
                                                 rdm_options)
        except (DegeneratePatternError, DegenerateRDMError) as error:
            _raise_naming_the_neighbourhood(error, patterns, members, batch, recording, models, distance, comparator,
                                            rdm_options, name)
    return values


def _compare_batch(patterns: np.ndarray, members: np.ndarray, recording: Recording, models: RDMs, distance: Any,
                   comparator: str, rdm_options: dict[str, Any]) -> np.ndarray:
    """``(n_models, n_neighbourhoods, n_times)`` comparisons of one batch of equally sized neighbourhoods."""
    brain = compute_rdms(_batch_recording(patterns, members, recording), distance, **rdm_options)
    return compare(models, brain, comparator).reshape(len(models), len(members), patterns.shape[3])


def _raise_naming_the_neighbourhood(error: Exception, patterns: np.ndarray, members: np.ndarray, batch: np.ndarray,
                                    recording: Recording, models: Any, distance: Any, comparator: str,
                                    rdm_options: dict[str, Any], name: Callable[[int], str] | None) -> None:
    """Re-raise ``error`` naming the first neighbourhood of the batch that raises on its own (the batch's own
    message counts RDMs within the batch, which means nothing to the caller)."""
    for row, k in zip(members, batch):
        try:
            _compare_batch(patterns, row[None], recording, models, distance, comparator, rdm_options)
        except (DegeneratePatternError, DegenerateRDMError) as own:
            where = name(int(k)) if name is not None else f"neighbourhood {int(k)}"
            other = ("a comparator defined for constant RDMs (rho_a, kendall_tau_a give 0)"
                     if isinstance(own, DegenerateRDMError) else "a distance defined for constant patterns")
            raise type(own)(f"{where}: {own} (indices count within this neighbourhood). Leave it out (fewer "
                            f"centres, a tighter mask), or use {other}.") from error
    raise error
