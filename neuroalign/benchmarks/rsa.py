"""Benchmarks that compare a layer's RDM with one RDM per subject (RSA), with a ceiling and a stimulus bootstrap."""

from __future__ import annotations

import abc
import functools
from typing import TYPE_CHECKING, Any, Sequence


from neuroalign.benchmarks.base import ComparatorBenchmark, Evaluation
from neuroalign.benchmarks.kept_rdms import kept_rdms, stimulus_categories

if TYPE_CHECKING:  # the containers import pandas; listing benchmarks imports this module and must stay light
    import numpy as np
    from neuroalign.core.rdms import RDMs

# The RDM engine imports torch when its package loads, and the comparators and the statistics import pandas: they are
# imported where they are used, so that defining (and listing) benchmarks stays light.


class RsaBenchmark(ComparatorBenchmark):
    """RSA against subject RDMs: a layer's RDM (``model_distance``) compared with each subject's by ``comparator``.

    The score is the mean over subjects; the ceiling is the leave-one-subject-out noise ceiling (Nili et al. 2014)
    on the same stimuli when there are 3 or more subjects (``ceiling_method = "loso"``), else
    :meth:`single_subject_ceiling` (none by default); the interval bootstraps the stimuli (a stimulus drawn twice
    never pairs with its own copy; a resample on which the comparison is undefined is redrawn and counted in
    ``details["bootstrap_redrawn"]``, see :func:`~neuroalign.stats.bootstrap.bootstrap_rdm_comparison`).
    Subclasses implement :meth:`stimuli` and :meth:`load_target`.
    """

    comparator = "spearman"
    model_distance = "correlation"
    ceiling_method = "loso"

    @abc.abstractmethod
    def load_target(self) -> RDMs:
        """One RDM per subject over the benchmark's stimuli (descriptor ``subject`` where there are several)."""

    @functools.cached_property
    def target(self) -> RDMs:
        """The subject RDMs, loaded once."""
        return self.load_target()

    @functools.cached_property
    def categories(self) -> dict[str, str] | None:
        """``{stimulus id: category}`` of the benchmark's stimuli (their ``category`` metadata), read once."""
        return stimulus_categories(self.stimuli())

    def single_subject_ceiling(self, stimulus_ids: Sequence[str]) -> tuple[float | None, float | None]:
        """``(upper, lower)`` ceiling when a leave-one-subject-out ceiling is impossible (None: no ceiling)."""
        return None, None

    def model_rdm(self, features: np.ndarray, stimulus_ids: Sequence[str], device: Any = None) -> RDMs:
        """The layer's RDM over ``stimulus_ids`` (computed on ``device``, the CPU default path by default)."""
        import numpy as np

        from neuroalign.rdm import compute_rdms

        return compute_rdms(np.asarray(features, dtype=np.float64), self.model_distance,
                            stimulus_ids=list(stimulus_ids), device=device)

    def evaluate(self, features: np.ndarray, stimulus_ids: Sequence[str], *, n_bootstrap: int = 0,
                 seed: int = 0, device: Any = None) -> Evaluation:
        """Mean comparison of the layer's RDM with each subject's RDM on ``stimulus_ids`` (see the class).

        ``device`` (a CUDA device, or ``"auto"`` with a GPU; ``docs/conventions.md``, "Devices") runs the RDM and
        the comparison there; the bootstrap and the ceiling stay on the CPU (batched NumPy).
        """
        from neuroalign import compare as comparisons  # the engine, looked up when called (so a spy sees the device)
        from neuroalign.stats.bootstrap import bootstrap_rdm_comparison
        from neuroalign.stats.ceiling import rdm_noise_ceiling

        comparator = self.resolved_comparator()
        target = self.target.reorder(stimulus_ids)
        model = self.model_rdm(features, stimulus_ids, device)
        per_subject = comparisons.compare(model, target, comparator, device=device)[0]
        if self.ceiling_method == "loso" and target.n_rdms >= 3:
            ceiling = rdm_noise_ceiling(target, comparator)
            upper, lower = ceiling.upper, ceiling.lower
        else:
            upper, lower = self.single_subject_ceiling(stimulus_ids)
        samples, details = None, {}
        kept = kept_rdms(model, target, self.categories)  # small sets: the report draws both RDMs side by side
        if kept is not None:
            details["rdms"] = kept
        if n_bootstrap:
            boot = bootstrap_rdm_comparison(model, target, comparator, over="stimuli", n_bootstrap=n_bootstrap,
                                            seed=seed)
            samples, details["bootstrap_redrawn"] = boot.samples[:, 0], boot.n_redrawn
        return Evaluation(value=float(per_subject.mean()), per_subject=per_subject, ceiling=upper,
                          ceiling_low=lower, samples=samples, details=details)
