"""The benchmark contract: stimuli a model sees, and how one layer's features are scored against the brain.

A benchmark fixes everything that makes its number comparable across models: the dataset, the region or time
window, the comparison, the ceiling and the statistics policy, under an id and a version (bumped whenever any of
these changes the numbers). The scoring machinery (:mod:`neuroalign.benchmarks.scoring`) is generic: it extracts
the model's activations for :meth:`Benchmark.stimuli`, and asks :meth:`Benchmark.evaluate` for the score of one
layer on one subset of the stimuli, which is all that layer commitment without double dipping needs.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Sequence


from neuroalign.benchmarks.policy import StatsPolicy
from neuroalign.data.manifest import load_manifest
from neuroalign.errors import InvalidOptionError
from neuroalign.utils.renamed import warn_renamed

if TYPE_CHECKING:
    import numpy as np
    from neuroalign.core.stimuli import StimulusSet


@dataclass(frozen=True)
class Evaluation:
    """One layer scored on one set of stimuli.

    Attributes
    ----------
    value : float
        The raw score (for example the mean Spearman correlation over subjects).
    per_subject : ndarray
        The values the score averages (one per subject, or per split for a single subject).
    ceiling, ceiling_low : float or None
        Upper and lower noise-ceiling bounds on the same stimuli; the score is normalised by ``ceiling``.
    samples : ndarray or None
        Bootstrap samples of ``value`` (resampled stimuli), for the interval.
    details : dict
        Anything else worth keeping with the score (a time course, the time window...), JSON-friendly.
    """

    value: float
    per_subject: np.ndarray
    ceiling: float | None = None
    ceiling_low: float | None = None
    samples: np.ndarray | None = None
    details: dict[str, Any] = field(default_factory=dict)


class Benchmark(abc.ABC):
    """A fixed way of scoring a model against brain data.

    Subclasses set the class attributes below and implement :meth:`stimuli` and :meth:`evaluate`.

    Attributes
    ----------
    id : str
        Stable dotted id (``"kriegeskorte2008.human_it.rsa"``).
    version : str
        Bumped whenever anything that changes the numbers changes; stored with every score.
    description : str
        The first line of the class docstring, shown by ``neuroalign list``.
    citation : str
        BibTeX of the data (and method) the benchmark rests on.
    modality : str
        The payload modality a model must take (``"image"``, ``"text"``, ``"audio"``); see :attr:`modalities`.
    dataset : str or None
        Id of the dataset manifest the benchmark reads.
    metric : str
        The comparison (a comparator or metric id).
    ceiling_method : str
        How the ceiling is estimated (``"loso"``, ``"split_half"``, ``"none"``).
    stats : StatsPolicy
    pooling : str or None
        Pooling the model's layers are read with (the adapter's default when None).
    allow_missing_stimuli : bool
        Whether a model may be scored on a subset of :meth:`stimuli` (False: activations that miss a stimulus are
        refused, naming it). A benchmark that allows it says why in its description; each score then records how
        many stimuli it was computed on (see :mod:`neuroalign.benchmarks.coverage`).
    """

    id: str
    version: str
    citation: str
    modality: str
    dataset: str | None = None
    metric: str
    ceiling_method: str = "none"
    stats: StatsPolicy = StatsPolicy()
    pooling: str | None = None
    allow_missing_stimuli: bool = False

    @property
    def description(self) -> str:
        """One line: the first line of the class docstring."""
        return (type(self).__doc__ or "").strip().splitlines()[0] if type(self).__doc__ else ""

    @property
    def modalities(self) -> tuple[str, ...]:
        """Every payload modality the stimuli carry (a paired set: images and their captions); ``(modality,)``."""
        return (self.modality,)

    @abc.abstractmethod
    def stimuli(self) -> "StimulusSet":
        """The stimuli, with payloads of each of :attr:`modalities`, in a fixed order."""

    @abc.abstractmethod
    def evaluate(self, features: np.ndarray, stimulus_ids: Sequence[str], *, n_bootstrap: int = 0,
                 seed: int = 0) -> Evaluation:
        """Score one layer's features on a subset of the stimuli.

        Parameters
        ----------
        features : ndarray, shape (len(stimulus_ids), n_units)
            The layer's activations, one row per stimulus of ``stimulus_ids``.
        stimulus_ids : sequence of str
            The stimuli scored (a subset of :meth:`stimuli`, in any order); the brain data are restricted to them.
        n_bootstrap : int
            Stimulus resamples for :attr:`Evaluation.samples` (0: none).
        seed : int
            Seeds the resamples.

        Notes
        -----
        A benchmark that can run its numeric work on a GPU also accepts ``device=`` (any spelling of
        ``docs/conventions.md``, "Devices": scoring passes a CUDA ``torch.device``, or ``None`` for the CPU);
        scoring passes it only to benchmarks whose ``evaluate`` takes it (see :mod:`neuroalign.benchmarks.device`).
        """

    def provenance(self) -> dict[str, Any]:
        """What identifies the benchmark's inputs: its id, version, dataset and the dataset's file hashes."""
        info: dict[str, Any] = {"benchmark": self.id, "benchmark_version": self.version, "dataset": self.dataset,
                                "metric": self.metric, "ceiling": self.ceiling_method}
        if self.dataset is not None:
            manifest = load_manifest(self.dataset)
            info["dataset_version"] = manifest.version
            info["dataset_files"] = {f.name: f.sha256 or f.hash_spec for f in manifest.files}
        return info

    def with_mirror(self, mirror: Any) -> "Benchmark":
        """A copy that reads its data from ``mirror``; only benchmarks backed by a dataset manifest read a mirror.

        Raises
        ------
        InvalidOptionError
            For a benchmark that reads no dataset's files (its data ship with it), when ``mirror`` is not None.
        """
        if mirror is None:
            return self
        raise InvalidOptionError(f"benchmark {self.id!r} reads no dataset from a data mirror (its data ship with "
                                 f"it); mirror={mirror!r} does not apply to it")

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id} v{self.version}>"


class ComparatorBenchmark(Benchmark):
    """A benchmark whose comparison is an RDM comparator, named by its :attr:`comparator` attribute.

    :attr:`metric` (the comparison every benchmark declares) is the comparator here. A subclass written before the
    attribute was called ``comparator`` sets ``metric = "pearson"``; that still works (with a
    :class:`FutureWarning` when the benchmark runs).
    """

    #: The comparator's registered name (see :data:`neuroalign.compare.COMPARATORS`).
    comparator: str = "spearman"

    @property  # type: ignore[override]
    def metric(self) -> str:
        """The comparison: this benchmark's comparator."""
        return self.comparator

    def resolved_comparator(self) -> str:
        """The comparator to run: :attr:`comparator`, or a subclass's deprecated ``metric`` class attribute."""
        for cls in type(self).__mro__:
            if cls is ComparatorBenchmark:
                break
            if "comparator" in vars(cls):
                return self.comparator
            legacy = vars(cls).get("metric")
            if isinstance(legacy, str):
                warn_renamed("metric", "comparator", f"benchmark class {type(self).__name__}")
                return legacy
        return self.comparator
