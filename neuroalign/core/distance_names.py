"""Distance names of RDMs: neuroalign's distance names, marked when divided by the channel count, and the name
rsatoolbox gives to exactly the same values.

An RDMs' distance is the registered name of the distance that computed it (``"crossnobis"``); ``normalize=True``
(a sum over channels divided by their number) appends :data:`NORMALIZED_SUFFIX` (``"crossnobis (normalized)"``),
because the two differ by a factor of the channel count and a name means one thing. rsatoolbox's names mean other
values: its ``"crossnobis"`` is neuroalign's ``"crossnobis (normalized)"`` and its ``"squared euclidean"``
neuroalign's ``"sqeuclidean (normalized)"`` (see ``docs/distances.md``; proved in ``tests/core/test_rdms_rsatoolbox.py``).
"""

from __future__ import annotations

#: Appended to a distance's name when its RDMs were divided by the number of channels (``normalize=True``).
NORMALIZED_SUFFIX = " (normalized)"

#: neuroalign distance name -> the ``dissimilarity_measure`` rsatoolbox 0.3.2 gives to RDMs of exactly these values:
#: ``calc_rdm(method="euclidean")`` labels its RDMs ``"squared euclidean"`` (neuroalign's sqeuclidean divided by
#: the channel count), and its ``sqrt_transform`` relabels them ``"euclidean"``. Poisson is left out: rsatoolbox's
#: ``"poisson"`` fixes the prior, neuroalign's may not.
RSATOOLBOX_NAMES = {
    "correlation": "correlation",
    "sqeuclidean" + NORMALIZED_SUFFIX: "squared euclidean",
    "euclidean" + NORMALIZED_SUFFIX: "euclidean",
    "sqmahalanobis" + NORMALIZED_SUFFIX: "squared mahalanobis",
    "mahalanobis" + NORMALIZED_SUFFIX: "mahalanobis",
    "crossnobis" + NORMALIZED_SUFFIX: "crossnobis",
}

#: Prefix of the rsatoolbox label of a distance rsatoolbox has no name for (``"neuroalign:crossnobis"``).
LABEL_PREFIX = "neuroalign:"


def distance_label(distance: str, normalized: bool) -> str:
    """The name of RDMs computed with ``distance`` (its registered name), divided by the channel count or not."""
    return distance + NORMALIZED_SUFFIX if normalized else distance


def base_distance(name: str | None) -> str | None:
    """The registered distance behind a name (``"crossnobis (normalized)"`` -> ``"crossnobis"``); ``None`` stays."""
    if name is None or not name.endswith(NORMALIZED_SUFFIX):
        return name
    return name[: -len(NORMALIZED_SUFFIX)]


def rsatoolbox_label(distance: str | None) -> str | None:
    """The ``dissimilarity_measure`` to give rsatoolbox: its own name where the values are what it means by that
    name, else ``"neuroalign:<distance>"`` (a name rsatoolbox does not use, defined in ``docs/distances.md``)."""
    if distance is None:
        return None
    return RSATOOLBOX_NAMES.get(distance, LABEL_PREFIX + distance)


def distance_from_rsatoolbox(label: str | None, recorded: str | None = None) -> str | None:
    """The neuroalign distance name of rsatoolbox RDMs labelled ``label``, or ``None`` where it is not known.

    ``recorded`` is the distance :func:`rsatoolbox_label` exported (kept in the RDMs' ``descriptors``); it counts
    only while the label is still the one it was exported with (an rsatoolbox transform renames the label).
    rsatoolbox's own names are not mapped back: the same name has other meanings elsewhere in rsatoolbox (its
    Meadows reader calls plain screen distances ``"euclidean"``).
    """
    if label is None:
        return None
    if recorded is not None and rsatoolbox_label(recorded) == label:
        return recorded
    if label.startswith(LABEL_PREFIX):
        return label[len(LABEL_PREFIX):]
    return None
