"""Lab-data objects accepted wherever a :class:`~neuroalign.core.recording.Recording` is: MNE epochs, converted.

``compute_rdms(epochs, ...)`` and the time-resolved analyses take an ``mne.Epochs`` as it is: it becomes a
recording with the defaults of :func:`neuroalign.recording_from_epochs` (one condition per name of
``epochs.event_id``, trials on the run axis). For other groupings (event tags, metadata, code ranges), channel
picks or a time window, call that function and pass its recording.

Converters are keyed by the root package and the class name of a type in the object's MRO, so that neither this
module nor ``import neuroalign`` imports MNE (the conversion, :mod:`neuroalign.core.recording_mne`, imports it only
when called). A converter is a function or a ``"module:function"`` reference imported on first use; a third party
adds its own type the same way (``RECORDING_CONVERTERS[("neo", "Block")] = "mypackage.convert:recording_from_block"``).
"""

from __future__ import annotations

import importlib
from typing import Any, Callable

from neuroalign.core.recording import Recording
from neuroalign.core.recording_mne import recording_from_epochs

Converter = Callable[[Any], Recording]

#: (root package, class name) -> the function (or ``"module:function"``) turning such an object into a Recording
#: with defaults.
RECORDING_CONVERTERS: dict[tuple[str, str], Converter | str] = {
    ("mne", "BaseEpochs"): recording_from_epochs,
}


def converter_for(data: Any) -> Converter | str | None:
    """The function (or ``"module:function"``) converting ``data`` to a Recording, or None for a type without one."""
    for cls in type(data).__mro__:
        key = (cls.__module__.split(".")[0], cls.__name__)
        if key in RECORDING_CONVERTERS:
            return RECORDING_CONVERTERS[key]
    return None


def as_recording(data: Any) -> Any:
    """``data`` converted to a :class:`Recording` if it is a registered lab-data type, else ``data`` unchanged."""
    if isinstance(data, Recording):
        return data
    reference = converter_for(data)
    if reference is None:
        return data
    if isinstance(reference, str):  # a third party's converter, imported on first use
        module, function = reference.split(":")
        reference = getattr(importlib.import_module(module), function)
    return reference(data)
