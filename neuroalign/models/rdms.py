"""From a model to per-layer RDMs in one call: extract (through the cache), then stream every layer's RDM."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from neuroalign.core.rdms import RDMs
from neuroalign.core.stimuli import StimulusSet


def layer_rdms(adapter: Any, stimuli: StimulusSet, layers: str | Sequence[str], distance: Any = "correlation", *,
               extract_options: Mapping[str, Any] | None = None, **rdm_options: Any) -> RDMs:
    """One RDM per layer of ``adapter`` for ``stimuli``.

    Activations are extracted with :meth:`~neuroalign.models.Adapter.extract` (so they come from, or go to, the
    activation cache) and each layer's RDM is computed by :func:`neuroalign.rdm.compute_rdms` straight from its
    HDF5 dataset, block of units by block of units: no layer is ever loaded whole.

    Parameters
    ----------
    adapter : ModelAdapter
        The model.
    stimuli : StimulusSet
        The stimuli.
    layers : str or sequence of str
        Layer names or globs.
    distance : str or Distance
        See :func:`neuroalign.rdm.compute_rdms`.
    extract_options : mapping, optional
        Passed to ``extract`` (``pooling``, ``batch_size``, ``cache``, ``device``...).
    **rdm_options
        Passed to :func:`~neuroalign.rdm.compute_rdms` (``chunk_units``, ``normalize``, ``dtype``...).

    Returns
    -------
    RDMs
        One RDM per layer, in layer order, with ``layer`` and ``model`` descriptors.
    """
    from neuroalign.rdm import compute_rdms

    activations = adapter.extract(stimuli, layers, **dict(extract_options or {}))
    return compute_rdms(activations, distance, **rdm_options)
