"""Time-resolved predictivity benchmarks: a layer's features decoded from the sensors at every time point.

The time-resolved counterpart of :mod:`neuroalign.benchmarks.predictivity`, in the decoding direction: at each time
point (the mean of :attr:`~TimeResolvedPredictivityBenchmark.window` consecutive samples, non-overlapping windows,
which keeps the number of fits small), a ridge map from the channels (EEG/MEG sensors) to **every feature of the
layer** is fitted on training stimuli and scored on held-out ones by Pearson r, feature by feature
(:func:`neuroalign.encoding.fit_encoding`: one decomposition per fold serves every penalty and feature; each
feature's penalty is chosen by leave-one-fold-out inside the training stimuli). The time course is the mean over
the features of their held-out r (averaged over the folds); the score is its mean over ``[tmin, tmax]``.

Held-out stimuli. The folds are stratified (:func:`~neuroalign.benchmarks.stratified_folds.stratified_fold_labels`):
each test fold holds a balanced share of every condition of :attr:`~TimeResolvedPredictivityBenchmark.stratify_by`
(all stimuli one condition when it is None), and the inner folds that choose the penalties are the remaining outer
folds, so they are stratified too. Nothing of a test stimulus's recording reaches the fit but the one number of
the scale below (a label-free standard deviation over all stimuli). Where the model's features depend on the
condition only (one text per condition), holding out a whole condition is impossible (its test target would be
constant, its correlation undefined, and nothing is left to learn from one condition): the held-out units are then
the trials, and the score measures whether a new trial's response carries its condition's features.

Scale. The recording is divided by the standard deviation of all its values (one number, no labels), so the penalty
grid means the same for data in volts or in microvolts.

Statistics. ``per_subject`` holds the window mean of each outer fold (one subject: per split, as
:class:`~neuroalign.benchmarks.predictivity.PredictivityBenchmark` does). The interval (when ``n_bootstrap`` > 0)
is the **fold spread**: the percentile interval of those per-fold window means (with 4 folds about their range),
a statement of how much the score moves between held-out sets, not a bootstrap over stimuli (which would refit
every time point for every resample). No ceiling: the targets are the model's features, which carry no
measurement noise, and the noise of the sensors that limits the score has no estimate without repeated
presentations of the same stimulus; a dataset that has them may override :meth:`evaluate` to add one.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, Sequence


from neuroalign.benchmarks.base import Evaluation
from neuroalign.benchmarks.recording_backed import RecordingBacked
from neuroalign.benchmarks.stratified_folds import stratified_fold_labels
from neuroalign.core.ids import positions
from neuroalign.errors import (DegeneratePatternError, InvalidOptionError, InvalidPatternsError, ShapeMismatchError,
                               TimeAxisError)

if TYPE_CHECKING:
    import numpy as np
    from neuroalign.core.recording import Recording


class TimeResolvedPredictivityBenchmark(RecordingBacked):
    """Ridge decoding of a layer's features from the channels at every time point; window mean (see the module).

    Subclasses implement :meth:`stimuli` and :meth:`load_recording` (``stimulus x channel x time``), and set
    :attr:`tmin`, :attr:`tmax` and, where the stimuli come in conditions, :attr:`stratify_by`.

    Attributes
    ----------
    n_folds : int
        Outer folds (>= 3: the penalties are chosen by leave-one-fold-out on the other folds).
    alphas : array_like
        Penalty grid searched for every feature, relative to the recording scaled to unit standard deviation.
    window : int
        Samples averaged into one time point (non-overlapping windows; 1: every sample).
    tmin, tmax : float
        The window of the summary, in seconds (inclusive; times are the windows' centres).
    stratify_by : str or None
        Metadata column of :meth:`stimuli` whose conditions every test fold holds in equal shares.
    """

    metric = "decoding.ridge"
    ceiling_method = "none"
    n_folds = 4
    alphas: Any = tuple(10.0 ** k for k in range(-2, 7))  # 1e-2 ... 1e6 (a tuple: no NumPy at import)
    window = 1
    stratify_by: str | None = None
    tmin: float
    tmax: float

    @functools.cached_property
    def windowed(self) -> "Recording":
        """The recording averaged over windows of :attr:`window` samples and divided by its standard deviation.

        A window's time is the mean of its samples' times; samples after the last whole window are left out.

        Raises
        ------
        TimeAxisError
            If the recording is not ``stimulus x channel x time``, or :attr:`window` does not fit its time axis.
        InvalidPatternsError
            If it holds NaN or Inf values (a :class:`DegeneratePatternError` if all its values are equal).
        """
        import numpy as np

        from neuroalign.core.recording import Recording

        rec = self.recording
        if rec.dims != ("stimulus", "channel", "time"):
            raise TimeAxisError(f"benchmark {self.id!r} decodes from a stimulus x channel x time recording; got dims "
                                f"{rec.dims} (average the runs first, e.g. recording.average_runs())")
        width, n_times = self.window, rec.n_times
        if not (isinstance(width, (int, np.integer)) and 1 <= width <= n_times):
            raise TimeAxisError(f"benchmark {self.id!r}: window must be an integer number of samples in [1, "
                                f"n_times={n_times}]; got {width!r}")
        n_windows = n_times // width  # samples after the last whole window are left out
        data = np.asarray(rec.data, dtype=np.float64)[..., :n_windows * width]
        data = data.reshape(*data.shape[:2], n_windows, width).mean(axis=-1)
        times = np.asarray(rec.times, dtype=np.float64)[:n_windows * width].reshape(n_windows, width).mean(axis=-1)
        if not np.isfinite(data).all():
            raise InvalidPatternsError(f"benchmark {self.id!r}: the recording holds NaN or Inf values; a ridge map "
                                       "needs finite data (drop or interpolate the bad samples first)")
        scale = float(np.std(data))
        if scale == 0:
            raise DegeneratePatternError(f"benchmark {self.id!r}: the recording's values have no spread "
                                         f"(standard deviation {scale}); nothing can be decoded from it")
        return Recording(data / scale, rec.stimulus_ids, dims=rec.dims, channels=rec.channels, times=times,
                         descriptors=rec.descriptors)

    def summary_window(self) -> np.ndarray:
        """The time points (of :attr:`windowed`) inside ``[tmin, tmax]``, as a boolean mask.

        Raises
        ------
        TimeAxisError
            If no time point lies in the window (a window outside the epoch).
        """
        times = self.windowed.times
        inside = (times >= self.tmin) & (times <= self.tmax)
        if not inside.any():
            raise TimeAxisError(f"benchmark {self.id!r}: no time point lies in its window [{self.tmin}, {self.tmax}] "
                                f"s; the epoch's time points (window centres) span [{times.min():g}, "
                                f"{times.max():g}] s")
        return inside

    def fold_labels(self, stimulus_ids: Sequence[str]) -> np.ndarray:
        """The outer fold of each of ``stimulus_ids`` (stratified by :attr:`stratify_by`; see the module).

        Stimuli are assigned in the recording's order, so the same stimuli in any order get the same folds.

        Raises
        ------
        InvalidOptionError
            For ``n_folds`` < 3, or a :attr:`stratify_by` that is no metadata column of :meth:`stimuli`.
        StimulusMismatchError
            For an id the recording lacks.
        FoldsError
            When a condition has fewer stimuli than folds (see
            :func:`~neuroalign.benchmarks.stratified_folds.stratified_fold_labels`).
        """
        import numpy as np

        if not (isinstance(self.n_folds, (int, np.integer)) and self.n_folds >= 3):
            raise InvalidOptionError(f"benchmark {self.id!r}: n_folds must be an integer >= 3 (the penalties are "
                                     f"chosen by leave-one-fold-out on the other folds); got {self.n_folds!r}")
        rows = positions(self.recording.stimulus_ids, [str(s) for s in stimulus_ids],
                         source_name=f"benchmark {self.id!r}'s recording")
        order = np.argsort(rows, kind="stable")
        strata = np.zeros(len(stimulus_ids), dtype=int)
        if self.stratify_by is not None:
            metadata = self.stimuli().metadata
            if self.stratify_by not in metadata.columns:
                raise InvalidOptionError(f"benchmark {self.id!r} stratifies its folds by {self.stratify_by!r}, which "
                                         f"is no metadata column of its stimuli (they have {list(metadata.columns)})")
            strata = metadata.loc[[str(s) for s in stimulus_ids], self.stratify_by].to_numpy()
        labels = np.empty(len(stimulus_ids), dtype=int)
        labels[order] = stratified_fold_labels(strata[order], self.n_folds, what=f"benchmark {self.id!r}")
        return labels

    def _targets(self, features: np.ndarray, stimulus_ids: Sequence[str]) -> tuple[np.ndarray, int]:
        """The layer's non-constant features (float64) and how many constant ones were left out."""
        import numpy as np

        y = np.asarray(features, dtype=np.float64)
        y = y.reshape(len(y), -1)
        if y.shape[0] != len(stimulus_ids):
            raise ShapeMismatchError(f"benchmark {self.id!r}: {y.shape[0]} rows of features for "
                                     f"{len(stimulus_ids)} stimulus ids")
        varying = np.ptp(y, axis=0) > 0
        if not varying.any():
            raise DegeneratePatternError(f"benchmark {self.id!r}: every one of the layer's {y.shape[1]} features is "
                                         f"constant over the {len(stimulus_ids)} stimuli; there is nothing to decode")
        return y[:, varying], int((~varying).sum())

    def evaluate(self, features: np.ndarray, stimulus_ids: Sequence[str], *, n_bootstrap: int = 0,
                 seed: int = 0, device: Any = None) -> Evaluation:
        """Window mean of the held-out decoding r of the layer's features over time (see the module).

        ``seed`` is unused (the folds are deterministic, the interval is their spread). ``device`` runs the ridge
        fits there (:func:`neuroalign.encoding.fit_encoding`).

        Raises
        ------
        ShapeMismatchError
            When ``features`` does not have one row per stimulus id.
        DegeneratePatternError
            When every feature is constant over the stimuli (nothing to decode).
        TimeAxisError, FoldsError, InvalidOptionError
            See :attr:`windowed`, :meth:`summary_window` and :meth:`fold_labels`.
        """
        import numpy as np

        from neuroalign.encoding import fit_encoding

        rec = self.windowed.select_stimuli(list(stimulus_ids))
        inside = self.summary_window()
        y, n_constant = self._targets(features, stimulus_ids)
        groups = self.fold_labels(stimulus_ids)
        per_fold, alphas = [], []
        with np.errstate(invalid="ignore", divide="ignore"):  # an undefined r is NaN and stays visible as such
            for t in range(rec.n_times):
                result = fit_encoding(rec.data[:, :, t], y, groups=groups, n_folds=self.n_folds, alphas=self.alphas,
                                      device=device, dtype="float64")
                per_fold.append(result.r_per_fold.mean(axis=1))
                alphas.append(np.median(result.alphas))
        per_fold_course = np.array(per_fold).T  # (n_folds, n_times): each fold's mean r over the features
        course = per_fold_course.mean(axis=0)
        fold_means = per_fold_course[:, inside].mean(axis=1)
        details = {"window": [self.tmin, self.tmax], "times": rec.times.tolist(), "time_course": course.tolist(),
                   "samples_per_time_point": int(self.window), "n_features": int(y.shape[1]),
                   "n_constant_features": n_constant, "n_folds": int(self.n_folds),
                   "median_alpha": float(np.median(alphas)), "interval": "fold spread"}
        return Evaluation(value=float(course[inside].mean()), per_subject=fold_means,
                          samples=fold_means if n_bootstrap else None, details=details)
