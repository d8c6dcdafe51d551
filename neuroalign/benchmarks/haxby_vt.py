"""Haxby 2001 full ventral-temporal RSA: vision models read PyMVPA's category exemplar images.

Registered in neuroalign's ``pyproject.toml`` through :mod:`neuroalign.benchmarks.public` (``PUBLIC``);
importing this module imports no heavy code.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Sequence


from neuroalign.benchmarks.base import Evaluation
from neuroalign.benchmarks.citations import NILI2014, WALTHER2016
from neuroalign.benchmarks.manifest_backed import ManifestBacked
from neuroalign.benchmarks.policy import StatsPolicy
from neuroalign.benchmarks.rsa import RsaBenchmark
from neuroalign.errors import InvalidPatternsError

if TYPE_CHECKING:
    import numpy as np
    from neuroalign.core.rdms import RDMs
    from neuroalign.core.stimuli import StimulusSet
    from neuroalign.datasets.haxby_exemplars import ExemplarImages

#: The manifest file of PyMVPA's stimuli archive.
STIMULI_ARCHIVE = "stimuli/stimuli-2010.01.14.tar.gz"


class HaxbyVtExemplars(ManifestBacked, RsaBenchmark):
    """Haxby 2001 VT, 6 subjects: RSA over the categories (crossnobis), exemplar images averaged per category.

    Each subject's brain RDM holds crossnobis distances (leave-one-run-out; Walther et al. 2016) between the
    categories' run-wise GLM betas in PyMVPA's ventral-temporal mask. The presentation order of the photographs
    is not available, so a vision model reads every exemplar image of PyMVPA's stimuli archive and its features
    are **averaged per category** before its RDM (1 - Pearson r) is computed; that RDM is compared with each
    subject's by Spearman correlation; the score is the mean over subjects and the ceiling the
    leave-one-subject-out noise ceiling. A category without an exemplar folder in the archive is not scored
    (``details["categories_without_exemplars"]``). As for the slice, eight categories are too few to choose a
    layer on some and score it on the others: the policy commits to the last main layer.
    """

    id = "haxby2001.vt.rsa"
    version = "1"
    modality = "image"
    dataset = "haxby2001"
    brain_distance = "crossnobis"
    method_citations = (WALTHER2016, NILI2014)
    stats = StatsPolicy(commitment="last")

    @functools.cached_property
    def exemplars(self) -> "ExemplarImages":
        """The exemplar images, extracted once from the stimuli archive into the dataset's cache folder."""
        from neuroalign.datasets.haxby_exemplars import exemplar_images

        adapter = self.adapter()
        return exemplar_images(adapter.path(STIMULI_ARCHIVE), adapter.cache_dir / "exemplars",
                               list(adapter.conditions), name=f"{self.dataset}_exemplars")

    def stimuli(self) -> "StimulusSet":
        """Every exemplar image (``image`` payloads; ``category`` metadata)."""
        return self.exemplars.stimuli

    def load_target(self) -> "RDMs":
        """One crossnobis RDM over the categories per subject (descriptor ``subject``)."""
        from neuroalign.core.rdms import RDMs
        from neuroalign.rdm import compute_rdms

        adapter = self.adapter()
        stacks = [compute_rdms(adapter.recordings(subject=s)[0], self.brain_distance).with_descriptors(subject=s)
                  for s in adapter.subjects()]
        return RDMs.concat(*stacks)

    def category_means(self, features: np.ndarray, stimulus_ids: Sequence[str]) -> tuple[np.ndarray, list[str]]:
        """The mean feature vector of each category's images among ``stimulus_ids`` (ids ``<category>/<file>``),
        categories in the dataset's order."""
        import numpy as np

        labels = np.array([str(i).split("/", 1)[0] for i in stimulus_ids])
        features = np.asarray(features, dtype=np.float64).reshape(len(labels), -1)
        order = [c for c in self.adapter().conditions if (labels == c).any()]
        return np.stack([features[labels == c].mean(axis=0) for c in order]), order

    def evaluate(self, features: np.ndarray, stimulus_ids: Sequence[str], *, n_bootstrap: int = 0,
                 seed: int = 0, device: Any = None) -> Evaluation:
        """RSA of the category-averaged features' RDM with each subject's (see the class); the bootstrap
        resamples categories."""
        means, categories = self.category_means(features, stimulus_ids)
        evaluation = super().evaluate(means, categories, n_bootstrap=n_bootstrap, seed=seed, device=device)
        counts = {c: sum(str(i).startswith(f"{c}/") for i in stimulus_ids) for c in categories}
        return replace(evaluation, details={**evaluation.details, "exemplars_per_category": counts,
                                            "categories_without_exemplars": list(self.exemplars.without)})


def pairwise_decoding_accuracy(patterns: np.ndarray) -> np.ndarray:
    """Leave-one-run-out pairwise decoding accuracy of a correlation classifier (Haxby et al. 2001), condensed.

    Parameters
    ----------
    patterns : ndarray, shape (n_runs, n_conditions, n_channels)
        Run-wise condition patterns, all finite.

    Returns
    -------
    ndarray, shape (n_conditions * (n_conditions - 1) / 2,)
        For each pair ``(a, b)`` (``a < b``, SciPy's condensed order), the fraction of held-out runs and of the
        two conditions whose pattern correlates more with its own centroid (mean of the other runs) than with
        the other's; a tie counts one half. Chance is 0.5.

    Raises
    ------
    InvalidPatternsError
        For fewer than two runs or non-finite patterns.
    """
    import numpy as np

    x = np.asarray(patterns, dtype=np.float64)
    if x.ndim != 3 or x.shape[0] < 2 or not np.isfinite(x).all():
        raise InvalidPatternsError(f"pairwise decoding needs finite (run, condition, channel) patterns from 2 or "
                                   f"more runs; got shape {x.shape}")
    n_runs, n = x.shape[:2]
    wins = np.zeros((n, n))
    for run in range(n_runs):
        centroids = np.delete(x, run, axis=0).mean(axis=0)
        r = np.corrcoef(x[run], centroids)[:n, n:]  # r[a, b]: test pattern a with centroid b
        own = np.diag(r)[:, None]
        wins += (own > r) + 0.5 * (own == r)  # wins[a, b]: a classified as a rather than b
    accuracy = (wins + wins.T) / (2 * n_runs)
    return accuracy[np.triu_indices(n, 1)]


class HaxbyVtDecoding(HaxbyVtExemplars):
    """Haxby 2001 VT, 6 subjects: pairwise category decoding accuracy as the brain RDM, exemplar images averaged.

    Each subject's brain RDM holds, for every pair of categories, the leave-one-run-out accuracy of Haxby et al.'s
    (2001) correlation classifier on the run-wise GLM betas in the VT mask (:func:`pairwise_decoding_accuracy`;
    chance 0.5): how decodable each category is from each other. The model side is that of
    :class:`HaxbyVtExemplars` (every exemplar image, features averaged per category, 1 - Pearson r); Spearman
    per subject, mean over subjects, leave-one-subject-out ceiling, last main layer.
    """

    id = "haxby2001.vt.decoding_rsa"
    version = "1"
    brain_distance = "decoding_accuracy"
    method_citations = (NILI2014,)

    def load_target(self) -> "RDMs":
        """One pairwise decoding-accuracy RDM over the categories per subject (descriptor ``subject``)."""
        import numpy as np

        from neuroalign.core.rdms import RDMs

        adapter, stacks = self.adapter(), []
        for subject in adapter.subjects():
            recording = adapter.recordings(subject=subject)[0]
            patterns = np.moveaxis(recording.data, recording.dims.index("channel"), -1)
            stacks.append(RDMs.from_condensed(pairwise_decoding_accuracy(patterns)[None], recording.stimulus_ids,
                                              descriptors={"subject": [subject]}, distance=self.brain_distance))
        return RDMs.concat(*stacks)
