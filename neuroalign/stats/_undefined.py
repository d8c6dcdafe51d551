"""What a stimulus bootstrap does with a resample on which the comparison is undefined.

A resample is *undefined* when it keeps fewer than :data:`~neuroalign.stats.resample.MIN_STIMULI` distinct
stimuli, or when an RDM (a model's, a subject's, or the pooled RDM of a noise ceiling) is, on the pairs it keeps, of
the kind the comparator's entry says it is undefined for (:attr:`~neuroalign.compare.Comparator.undefined_for`:
constant under Pearson or Spearman, zero under the cosine): the comparator divides by zero. A categorical model RDM
is constant on every resample that draws a single category (8 stimuli, 6 versus 2: one resample in ten).

The rule (see docs/statistics.md for the reasoning): such a resample is **redrawn**, so the bootstrap distribution
is the distribution of the statistic over resamples on which it is defined. The observed statistic is itself
conditional on that event (it was computed, so the data hold both categories), so conditioning the resamples on it
compares like with like; scoring an undefined resample as 0 (rsatoolbox's 0/0) would mix an invented value into the
distribution and pull the interval towards 0 by as much as the share of such resamples. Every redraw is counted
(:class:`Tally`), recorded on the result and reported in an :class:`UndefinedResampleWarning`. When more than
:data:`MAX_UNDEFINED_SHARE` of the draws are undefined, the conditional distribution describes a minority of the
possible experiments, and the bootstrap refuses (:class:`UndefinedResampleError`); so does a bootstrap asked not to
redraw (``on_undefined="raise"``) or given explicit ``indices``, which it must not replace.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from neuroalign.compare import Comparator, comparators_defined_for_constant
from neuroalign.errors import NotEnoughStimuliError
from neuroalign.stats._evaluator import BatchResult
from neuroalign.stats.resample import MIN_STIMULI, counts_from_indices, draw_indices, pair_weights
from neuroalign.utils.progress import progress_bar

#: Above this share of undefined draws the bootstrap refuses instead of redrawing.
MAX_UNDEFINED_SHARE = 0.5
#: The choices of ``on_undefined``.
ON_UNDEFINED = ("redraw", "raise")


class UndefinedResampleWarning(UserWarning):
    """Some stimulus resamples left the comparison undefined and were redrawn (the count is on the result)."""


class UndefinedResampleError(NotEnoughStimuliError):
    """Stimulus resamples on which the comparison is undefined could not, or must not, be redrawn."""


@dataclass
class Tally:
    """How many draws were undefined, and why (one draw can have several reasons)."""

    comparator: Comparator
    n_models: int
    n_subjects: int
    draws: int = 0
    undefined: int = 0
    few_stimuli: int = 0
    pools: int = 0
    models: np.ndarray = field(init=False)
    data: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.models = np.zeros(self.n_models, dtype=int)
        self.data = np.zeros(self.n_subjects, dtype=int)

    def add(self, few: np.ndarray, evaluation: BatchResult | None, undefined: np.ndarray) -> None:
        """Count one round: ``few`` and ``undefined`` over all its draws, ``evaluation`` over the evaluated ones."""
        self.draws += few.size
        self.undefined += int(undefined.sum())
        self.few_stimuli += int(few.sum())
        if evaluation is not None:
            self.models += evaluation.flat_models.sum(axis=0)
            self.data += evaluation.flat_data.sum(axis=0)
            self.pools += int(evaluation.flat_pools.sum())

    def reasons(self) -> str:
        """The causes with their counts, for messages."""
        what = self.comparator.undefined_text
        parts = [f"{self.few_stimuli} kept fewer than {MIN_STIMULI} distinct stimuli"] if self.few_stimuli else []
        parts += [f"model RDM {k} was {what} on {c}" for k, c in enumerate(self.models) if c]
        parts += [f"data RDM {k} was {what} on {c}" for k, c in enumerate(self.data) if c]
        parts += [f"a pooled noise-ceiling RDM was {what} on {self.pools}"] if self.pools else []
        return "; ".join(parts)


def _undefined_error(tally: Tally, why: str) -> UndefinedResampleError:
    return UndefinedResampleError(
        f"{tally.undefined} of {tally.draws} stimulus resamples leave {tally.comparator.name} undefined "
        f"({tally.reasons()}); {why} Use more stimuli (or more of each category of a categorical model RDM), or a "
        f"comparator defined for constant RDMs ({', '.join(comparators_defined_for_constant())} score them 0).")


def resample_stimuli(evaluate: Callable[..., BatchResult], counts: np.ndarray, *, rng: np.random.Generator,
                     record: Callable[[np.ndarray, BatchResult], None], ceiling: bool, batch_size: int,
                     redraw: bool, explicit: bool, tally: Tally, progress: bool | None) -> None:
    """Evaluate every stimulus resample, redrawing the undefined ones (see the module docstring).

    Parameters
    ----------
    evaluate : callable
        ``evaluate(weights, ceiling) -> BatchResult`` (an :class:`~neuroalign.stats._evaluator.Evaluator`).
    counts : ndarray, shape (n_bootstrap, n_stimuli)
        Each resample's stimulus counts; undefined rows are replaced in place by redrawn ones.
    rng : numpy.random.Generator
        Draws the replacements (after every first draw, so a seed gives the same resamples for any batch size).
    record : callable
        ``record(rows, evaluation)`` stores the defined resamples ``rows`` (positions into ``counts``).
    ceiling, batch_size, progress
        As for :func:`~neuroalign.stats.bootstrap_rdm_comparison`.
    redraw : bool
        False raises at the first undefined resample (``on_undefined="raise"``).
    explicit : bool
        The resamples were given by the caller: never replaced, an undefined one raises naming its row.
    tally : Tally
        Counts the undefined draws (updated in place).

    Raises
    ------
    UndefinedResampleError
        As described in the module docstring.
    """
    n_stim = counts.shape[1]
    pending = np.arange(counts.shape[0])
    with progress_bar(counts.shape[0], "bootstrap", enabled=progress) as advance:
        while pending.size:
            bad = []
            for start in range(0, pending.size, batch_size):
                rows = pending[start:start + batch_size]
                few = (counts[rows] > 0).sum(axis=1) < MIN_STIMULI
                evaluation = evaluate(pair_weights(counts[rows[~few]]), ceiling) if (~few).any() else None
                undefined = few.copy()
                if evaluation is not None:
                    undefined[~few] = evaluation.undefined
                    keep = ~evaluation.undefined
                    record(rows[~few][keep], _subset(evaluation, keep))
                tally.add(few, evaluation, undefined)
                bad.append(rows[undefined])
                advance(int((~undefined).sum()))
            pending = np.concatenate(bad)
            if not pending.size:
                break
            if explicit:
                raise _undefined_error(tally, f"the given indices cannot be redrawn (rows {pending[:10].tolist()}). "
                                       "Remove those rows, or let the bootstrap draw its resamples.")
            if not redraw:
                raise _undefined_error(tally, "on_undefined='raise' forbids redrawing them; on_undefined='redraw' "
                                       "would condition the bootstrap on resamples where it is defined.")
            if tally.undefined > MAX_UNDEFINED_SHARE * tally.draws:
                raise _undefined_error(tally, f"more than {MAX_UNDEFINED_SHARE:.0%} of the draws are undefined, so "
                                       "a bootstrap conditional on defined resamples would describe a minority of "
                                       "the possible experiments.")
            counts[pending] = counts_from_indices(draw_indices(rng, pending.size, n_stim), n_stim)
    if tally.undefined:
        warnings.warn(
            f"{tally.undefined} of {tally.draws} stimulus resamples left {tally.comparator.name} undefined "
            f"({tally.reasons()}) "
            f"and were redrawn: the bootstrap is conditional on resamples where the comparison is defined. "
            "The count is BootstrapResult.n_redrawn; on_undefined='raise' refuses instead.",
            UndefinedResampleWarning, stacklevel=4)  # past bootstrap_rdm_comparison and its keyword wrapper


def _subset(evaluation: BatchResult, keep: np.ndarray) -> BatchResult:
    return BatchResult(evaluation.per_subject[keep], None if evaluation.bounds is None else evaluation.bounds[keep],
                      evaluation.flat_models[keep], evaluation.flat_data[keep], evaluation.flat_pools[keep])
