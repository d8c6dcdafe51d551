"""Which condition (stimulus) each MNE epoch belongs to: event codes, event names and tags, or metadata.

A condition is named by a string and defined by one of

- event codes: an ``int`` or a sequence of them (``{"1xx": range(100, 200)}``, or ``epochs.event_id`` itself);
- an MNE selector string, as ``epochs[...]`` reads it: an event name, ``/``-separated tags (``"face"`` selects
  ``"face/left"`` and ``"face/right"``), or, when nothing matches and the epochs have metadata, a pandas query on
  the metadata (``"size > 3"``);
- a metadata column (``by="stimulus"``): one condition per value.

Every epoch must belong to exactly one condition and every condition must have an epoch; anything else is a
:class:`~neuroalign.errors.ConditionMismatchError` naming the file, the epochs and the conditions. To
leave epochs out (catch trials), select the others first: ``epochs[["face", "house"]]``.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np

from neuroalign.errors import ConditionMismatchError, InvalidOptionError

_SHOWN = 5


def _described(inst: Any, positions: np.ndarray) -> str:
    """``epoch 3 (event 'face/left')`` for the first few positions."""
    names = {code: name for name, code in inst.event_id.items()}
    shown = [f"epoch {int(inst.selection[k])} (event {names.get(int(inst.events[k, 2]), int(inst.events[k, 2]))!r})"
             for k in positions[:_SHOWN]]
    return ", ".join(shown) + (f" and {len(positions) - _SHOWN} more" if len(positions) > _SHOWN else "")


def _codes(values: Any) -> list[int] | None:
    """The event codes of a condition given as codes, or None for a selector string."""
    if isinstance(values, str):
        return None
    if isinstance(values, (int, np.integer)) and not isinstance(values, bool):
        return [int(values)]
    try:
        codes = list(values)
    except TypeError:
        codes = None
    if codes is None or not all(isinstance(c, (int, np.integer)) and not isinstance(c, bool) for c in codes):
        raise InvalidOptionError(f"a condition is an event code, a sequence of event codes or an MNE selector "
                                 f"string; got {values!r}")
    return [int(c) for c in codes]


def _selected(inst: Any, selector: str, name: str, condition: str) -> np.ndarray:
    """Boolean mask of the epochs an MNE selector string picks: event names / tags, else a metadata query."""
    from mne.event import match_event_names

    matched = match_event_names(inst.event_id, [selector], on_missing="ignore")
    if matched:
        return np.isin(inst.events[:, 2], [inst.event_id[k] for k in matched])
    if inst.metadata is None:
        raise ConditionMismatchError(name, "conditions", f"condition {condition!r}: {selector!r} matches no event "
                                                         f"name or tag of {sorted(inst.event_id)}, and the epochs "
                                                         "have no metadata to query")
    try:
        mask = inst.metadata.reset_index(drop=True).eval(selector, engine="python")
    except Exception as error:  # pandas raises many types for a bad expression
        raise ConditionMismatchError(
            name, "conditions", f"condition {condition!r}: {selector!r} is neither an event name or tag of "
            f"{sorted(inst.event_id)} nor a query on the metadata columns {list(inst.metadata.columns)} "
            f"({type(error).__name__}: {error})") from None
    mask = np.asarray(mask)
    if mask.dtype != bool or mask.shape != (len(inst.events),):
        raise ConditionMismatchError(name, "conditions", f"condition {condition!r}: the metadata query {selector!r} "
                                                         "does not give one true/false value per epoch")
    return mask


def _members(inst: Any, conditions: Mapping[str, Any], name: str) -> dict[str, np.ndarray]:
    codes = inst.events[:, 2]
    members = {}
    for condition, values in conditions.items():
        wanted = _codes(values)
        members[str(condition)] = (np.isin(codes, wanted) if wanted is not None
                                   else _selected(inst, values, name, str(condition)))
    return members


def _from_metadata(inst: Any, by: str, values: Sequence[Any] | None, name: str) -> dict[str, np.ndarray]:
    if inst.metadata is None or by not in inst.metadata.columns:
        columns = [] if inst.metadata is None else list(inst.metadata.columns)
        raise ConditionMismatchError(name, "metadata", f"by={by!r} names no metadata column; the epochs have "
                                                       f"{columns or 'no metadata'}")
    column = inst.metadata[by].to_numpy()
    absent = np.flatnonzero(np.asarray(inst.metadata[by].isna()))
    if absent.size:
        raise ConditionMismatchError(name, f"metadata.{by}", f"has no value for {_described(inst, absent)}; every "
                                                             "epoch needs its stimulus (drop those epochs first)")
    if values is None:
        values = sorted(set(column.tolist()))
    labels = np.array([str(v) for v in column], dtype=object)
    members = {str(v): labels == str(v) for v in values}
    if len(members) != len(list(values)):
        raise ConditionMismatchError(name, f"metadata.{by}", f"values {list(values)} name some conditions twice "
                                                             "once written as text")
    return members


def epoch_conditions(inst: Any, conditions: Any, by: str | None, name: str) -> tuple[np.ndarray, list[str]]:
    """The condition of every epoch (an object array) and the conditions in order.

    Parameters
    ----------
    inst : mne.Epochs
        The epochs (bad ones already dropped).
    conditions : mapping, sequence of str, or None
        Condition name -> event code(s) or selector string; a sequence of selector strings (each its own name);
        with ``by``, the metadata values to keep, in order; None: every name of ``inst.event_id`` (without
        ``by``) or every value of the column, sorted (with ``by``).
    by : str, optional
        A metadata column whose values are the conditions.
    name : str
        The file (or ``"<in-memory>"``) for messages.

    Raises
    ------
    ConditionMismatchError
        An epoch in no condition or in two, a condition without an epoch, a selector that matches nothing.
    """
    if by is not None:
        members = _from_metadata(inst, by, conditions, name)
    elif conditions is None:
        members = _members(inst, dict(inst.event_id), name)
    elif isinstance(conditions, Mapping):
        members = _members(inst, conditions, name)
    elif isinstance(conditions, str):
        raise InvalidOptionError("conditions must be a mapping or a sequence of selector strings; for one "
                                 f"condition pass [{conditions!r}]")
    else:
        members = _members(inst, {str(c): str(c) for c in conditions}, name)
    return _assign(inst, members, name), list(members)


def _assign(inst: Any, members: Mapping[str, np.ndarray], name: str) -> np.ndarray:
    labels = np.full(len(inst.events), None, dtype=object)
    for condition, mask in members.items():
        taken = np.flatnonzero(mask & (labels != None))  # noqa: E711 (elementwise on an object array)
        if taken.size:
            raise ConditionMismatchError(name, "conditions", f"{_described(inst, taken)} belong to both "
                                                             f"{labels[taken[0]]!r} and {condition!r}")
        labels[mask] = condition
    unclaimed = np.flatnonzero(labels == None)  # noqa: E711
    if unclaimed.size:
        codes = sorted({int(c) for c in inst.events[unclaimed, 2]})
        raise ConditionMismatchError(
            name, "events", f"event codes {codes} belong to no condition of {list(members)} ({unclaimed.size} "
            f"epochs: {_described(inst, unclaimed)}). Add them to a condition, or select the epochs to use first "
            "(epochs[[...]])")
    empty = [c for c, mask in members.items() if not mask.any()]
    if empty:
        raise ConditionMismatchError(name, "events", f"conditions {empty} of the stimulus set have no epoch; the "
                                                     f"file's event codes are "
                                                     f"{sorted({int(c) for c in inst.events[:, 2]})}")
    return labels
