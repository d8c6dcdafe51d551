"""What the RDM plots share: one RDM as a square matrix, and per-stimulus category labels joined by id."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import pandas as pd

from neuroalign.core.ids import positions
from neuroalign.core.rdms import RDMs
from neuroalign.core.stimuli import StimulusSet
from neuroalign.errors.applications import PlotInputError


@dataclass(frozen=True)
class SquareRDM:
    """One RDM as a square matrix, with its stimulus ids (None for a bare array) and distance name."""

    matrix: np.ndarray
    ids: tuple[str, ...] | None
    distance: str | None


def square_rdm(rdms_or_square: Any) -> SquareRDM:
    """Accept an :class:`RDMs` holding one RDM, or a square ``(n, n)`` array (rows in stimulus order).

    Raises
    ------
    PlotInputError
        For a stack of several RDMs (select one, or average them, first) or an array that is not square.
    """
    if isinstance(rdms_or_square, RDMs):
        if rdms_or_square.n_rdms != 1:
            raise PlotInputError(f"expected one RDM, got a stack of {rdms_or_square.n_rdms}; select one "
                                 "(rdms[k], rdms.select(...)) or average them (rdms.mean()) first")
        return SquareRDM(rdms_or_square.to_square()[0], rdms_or_square.stimulus_ids, rdms_or_square.distance)
    matrix = np.asarray(rdms_or_square, dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise PlotInputError(f"expected an RDMs object or a square (n, n) matrix; got shape {matrix.shape}")
    return SquareRDM(matrix, None, None)


def _column(table: pd.DataFrame, order_by: Any) -> pd.Series:
    name = "category" if order_by is None else order_by
    if not isinstance(name, str):
        raise PlotInputError("with a metadata table as categories, order_by must name one of its columns")
    if name not in table.columns:
        raise PlotInputError(f"the stimulus metadata has no column {name!r}; columns: {list(table.columns)}")
    return table[name]


def _by_id(series: pd.Series, ids: tuple[str, ...] | None, n: int) -> pd.Series:
    if ids is None:
        if len(series) != n:
            raise PlotInputError(f"{len(series)} category labels for {n} stimuli")
        return series.reset_index(drop=True)
    index = tuple(str(i) for i in series.index)
    return series.iloc[positions(index, ids, source_name="the category labels")].reset_index(drop=True)


def stimulus_labels(ids: tuple[str, ...] | None, n: int, categories: Any = None,
                    order_by: Any = None) -> pd.Categorical | None:
    """Category label of each of the ``n`` stimuli (in matrix order), or None when none were given.

    ``categories`` is a :class:`StimulusSet` or a metadata table indexed by stimulus id (``order_by`` names its
    column, ``"category"`` by default), a :class:`pandas.Series` indexed by stimulus id, or a plain sequence of
    labels in matrix order. ``order_by`` may itself be such a Series or sequence. Tables and Series are joined by
    id; only plain sequences are taken by position. Groups keep the order of a categorical's categories, else
    the order in which they first appear.
    """
    source: Any = categories
    if order_by is not None and not isinstance(order_by, str):
        if categories is not None:
            raise PlotInputError("give the labels once: either as categories= or as a sequence in order_by=")
        source = order_by
    if source is None:
        if order_by is not None:
            raise PlotInputError(f"order_by={order_by!r} names a metadata column; pass the metadata as categories= "
                                 "(a StimulusSet or a table indexed by stimulus id)")
        return None
    if isinstance(source, StimulusSet):
        source = source.metadata
    if isinstance(source, pd.DataFrame):
        source = _column(source, order_by)
    if isinstance(source, pd.Series):
        labels = _by_id(source, ids, n)
    else:
        labels = pd.Series(list(source))
        if len(labels) != n:
            raise PlotInputError(f"{len(labels)} category labels for {n} stimuli")
    if isinstance(labels.dtype, pd.CategoricalDtype):
        return pd.Categorical(labels, categories=labels.cat.categories).remove_unused_categories()
    return pd.Categorical(labels, categories=pd.unique(labels))


def category_groups(labels: pd.Categorical) -> tuple[np.ndarray, list[tuple[str, int, int]]]:
    """Stable order that makes each category contiguous, and each group's ``(name, start, stop)`` in that order."""
    codes = np.asarray(labels.codes)
    if (codes < 0).any():
        raise PlotInputError("some stimuli have no category label (NaN)")
    order = np.argsort(codes, kind="stable")
    sorted_codes = codes[order]
    groups = []
    for code, name in enumerate(labels.categories):
        where = np.flatnonzero(sorted_codes == code)
        if where.size:
            groups.append((str(name), int(where[0]), int(where[-1]) + 1))
    return order, groups


def category_colours(names: Sequence[str], cmap: Any = None) -> dict[str, Any]:
    """One qualitative colour per category: from ``cmap`` (a name or a Colormap), else tab10 (tab20 beyond ten)."""
    from matplotlib import colormaps

    chosen = colormaps[cmap or ("tab10" if len(names) <= 10 else "tab20")] if not hasattr(cmap, "N") else cmap
    return {name: chosen(k % chosen.N) for k, name in enumerate(names)}
