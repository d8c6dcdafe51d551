"""The first-party benchmarks on the real data: human and monkey IT on the 92 images, the Haxby slice, the EEG.

Each class is registered in neuroalign's own ``pyproject.toml`` under the ``neuroalign.benchmarks`` entry-point
group, exactly as a third-party benchmark would be; the class itself is the zero-argument factory. This module
imports no heavy code, so that listing benchmarks stays fast.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Sequence


from neuroalign.benchmarks.citations import GROOTSWAGERS2017, NILI2014, WALTHER2016
from neuroalign.benchmarks.manifest_backed import ManifestBacked
from neuroalign.benchmarks.policy import StatsPolicy
from neuroalign.benchmarks.predictivity import PredictivityBenchmark
from neuroalign.benchmarks.rsa import RsaBenchmark
from neuroalign.benchmarks.time_resolved import TimeResolvedRsaBenchmark
from neuroalign.benchmarks.time_resolved_predictivity import TimeResolvedPredictivityBenchmark

if TYPE_CHECKING:
    from neuroalign.core.rdms import RDMs
    from neuroalign.core.recording import Recording
    from neuroalign.core.stimuli import StimulusSet


class _Kriegeskorte92(ManifestBacked, RsaBenchmark):
    modality = "image"
    dataset = "kriegeskorte2008_92images"
    method_citations = (NILI2014,)

    @property
    def modalities(self) -> tuple[str, ...]:
        """The images, and one plain caption per image for language models (written for neuroalign)."""
        return ("image", "text")

    def stimuli(self) -> "StimulusSet":
        """The 92 images with their captions, in the dataset's order."""
        return self.adapter().stimulus_set(captions=True)


class HumanIT92(_Kriegeskorte92):
    """Human IT fMRI on the 92 images: RSA (Spearman) with 4 subjects, leave-one-subject-out ceiling.

    The model's RDM (1 - Pearson r between its layer's patterns) is compared with each subject's RDM (the mean of
    the subject's two sessions) by Spearman correlation; the ceiling is the leave-one-subject-out noise ceiling
    on the scored stimuli (Nili et al. 2014).
    """

    id = "kriegeskorte2008.human_it.rsa"
    version = "1"

    def load_target(self) -> "RDMs":
        """One RDM per subject, the mean of its two sessions."""
        return self.adapter().human_it_rdms().mean_by("subject")


class MonkeyIT92(_Kriegeskorte92):
    """Monkey IT cells on the 92 images: RSA (Spearman) with the single monkey IT RDM, no ceiling.

    The monkey IT RDM (674 cells, Kiani et al. 2007, as in Kriegeskorte et al. 2008) is one RDM, so there is no
    leave-one-out ceiling: the score is raw, with a bootstrap interval over stimuli.
    """

    id = "kriegeskorte2008.monkey_it.rsa"
    version = "1"
    ceiling_method = "none"

    def load_target(self) -> "RDMs":
        """The monkey IT RDM."""
        return self.adapter().monkey_it_rdms()


#: What a language model reads for each Haxby condition: the object the photographs of the condition showed.
HAXBY_PHRASES = {
    "bottle": "A photograph of a bottle.",
    "cat": "A photograph of a cat.",
    "chair": "A photograph of a chair.",
    "face": "A photograph of a human face.",
    "house": "A photograph of a house.",
    "scissors": "A photograph of a pair of scissors.",
    "scrambledpix": "A scrambled picture with no recognisable object.",
    "shoe": "A photograph of a shoe.",
}


class HaxbySliceCategories(ManifestBacked, RsaBenchmark):
    """Haxby 2001 VT slice: RSA over 8 categories (crossnobis) named in text; model's last layer; split-half ceiling.

    The brain RDM holds crossnobis distances between the categories' run-wise patterns (leave-one-run-out, so
    noise does not inflate them; Walther et al. 2016). The original photographs are not distributed, so a model
    reads a short phrase naming each category (``HAXBY_PHRASES``; modality text). One subject: the ceiling is the
    square root of the Spearman-Brown-corrected correlation between the odd-run and even-run RDMs, the expected
    correlation of a noise-free RDM with the measured one.

    Eight categories are too few to choose a layer on some and score it on the others (4 held-out categories
    leave 6 pairs, and most bootstrap resamples of 4 stimuli are degenerate), so the policy commits to the
    model's last main layer before any data is seen (``commitment="last"``) and scores all 8 categories; pass
    ``layers`` (``--layer``) to score another layer.
    """

    id = "haxby2001.vt_slice.rsa"
    version = "1"
    modality = "text"
    dataset = "haxby2001_subj1_slice"
    brain_distance = "crossnobis"
    ceiling_method = "split_half"
    method_citations = (WALTHER2016,)
    stats = StatsPolicy(commitment="last")

    def stimuli(self) -> "StimulusSet":
        """The 8 conditions, each with its phrase as the ``text`` payload."""
        from neuroalign.core.stimuli import StimulusSet

        ids = list(self.recording.stimulus_ids)
        return StimulusSet(ids, payloads={"text": [HAXBY_PHRASES[i] for i in ids]}, name=self.dataset)

    @functools.cached_property
    def recording(self) -> "Recording":
        """The slice's run x condition x voxel patterns, loaded once."""
        recording, = self.adapter().recordings()
        return recording

    def load_target(self) -> "RDMs":
        """The crossnobis RDM over the 8 categories."""
        from neuroalign.rdm import compute_rdms

        return compute_rdms(self.recording, self.brain_distance)

    def single_subject_ceiling(self, stimulus_ids: Sequence[str]) -> tuple[float | None, float | None]:
        """``(sqrt(Spearman-Brown(r_odd_even)), None)`` on ``stimulus_ids`` (0 when the halves disagree)."""
        import numpy as np

        from neuroalign.compare import compare
        from neuroalign.rdm import compute_rdms
        from neuroalign.stats.reliability import spearman_brown

        rec = self.recording.select_stimuli(stimulus_ids)
        odd, even = (compute_rdms(rec.select_runs(slice(start, None, 2)), self.brain_distance)
                     for start in (0, 1))
        r = float(compare(odd, even, self.resolved_comparator())[0, 0])
        return float(np.sqrt(max(spearman_brown(r), 0.0))), None


class HaxbySlicePredictivity(ManifestBacked, PredictivityBenchmark):
    """Haxby 2001 VT slice: ridge predictivity of all 530 voxels from the 8 categories named in text; held-out runs.

    Rows are the condition patterns of each run (12 runs x 8 categories), centred within the run; four outer folds
    hold out three runs each, and each voxel's penalty is chosen by leave-one-run-out on the training runs. A
    voxel's ceiling is the expected correlation of its noise-free pattern with one run's, from the split-half
    reliability of the runs (Spearman-Brown to one run); voxels with a ceiling below 0.2 are left out of the score.
    As for the RSA benchmark on these data, eight categories are too few to choose a layer on some and score it on
    the others, so the policy commits to the model's last main layer (``commitment="last"``).
    """

    id = "haxby2001.vt_slice.predictivity"
    version = "1"
    modality = "text"
    dataset = "haxby2001_subj1_slice"
    stats = StatsPolicy(commitment="last")

    def stimuli(self) -> "StimulusSet":
        """The 8 conditions, each with its phrase as the ``text`` payload."""
        from neuroalign.core.stimuli import StimulusSet

        ids = list(self.recording.stimulus_ids)
        return StimulusSet(ids, payloads={"text": [HAXBY_PHRASES[i] for i in ids]}, name=self.dataset)

    def load_recording(self) -> "Recording":
        """The slice's run x condition x voxel patterns."""
        recording, = self.adapter().recordings()
        return recording


#: What a language model reads for each trial of the EEG set: the condition it belongs to.
SSVEP_PHRASES = {
    "1xx": "A steady flickering light, the first stimulation condition.",
    "2xx": "A steady flickering light, the second stimulation condition.",
}


class _SsvepEeg(ManifestBacked):
    """The SSVEP EEG trials as a benchmark's data: one stimulus per trial, read by a model as its condition's text."""

    modality = "text"
    dataset = "ssvep_eeg_64ch"
    decim, lowpass = 8, 10.0

    def load_recording(self) -> "Recording":
        """The 16 trials at 32 Hz (low-passed at 10 Hz, then decimated by 8 from 256 Hz)."""
        recording, = self.adapter().recordings(level="trial", decim=self.decim, lowpass=self.lowpass)
        return recording

    def stimuli(self) -> "StimulusSet":
        """One stimulus per trial, its condition's phrase as the ``text`` payload."""
        from neuroalign.core.stimuli import StimulusSet

        rec = self.recording  # type: ignore[attr-defined]
        conditions = rec.descriptors["conditions"]
        return StimulusSet(list(rec.stimulus_ids), payloads={"text": [SSVEP_PHRASES[c] for c in conditions]},
                           metadata={"condition": list(conditions)}, name=self.dataset)


class SsvepEegTimeResolved(_SsvepEeg, TimeResolvedRsaBenchmark):
    """SSVEP EEG (64 channels, 16 trials): time-resolved RSA, mean over 1-15 s; the model's last layer; no ceiling.

    Trial-level brain RDMs (1 - Pearson r across channels, low-passed at 10 Hz and decimated to 32 Hz, so that the
    50 Hz line noise cannot alias into the band) are compared with the model's RDM over the trials at every time
    point; the score is the mean over 1-15 s. A model reads each trial's condition as text
    (``SSVEP_PHRASES``). With only two conditions, every model that tells them apart makes the same categorical
    RDM: this benchmark measures how strongly the EEG separates the conditions over time, not which model is
    better; it is here to exercise time-resolved scoring on real EEG.

    For the same reason choosing a layer is void (every layer that separates the two phrases gives the same
    ranks), and 8 held-out trials would leave many bootstrap resamples of a single condition, whose categorical
    RDM is constant: the policy commits to the model's last main layer before any data is seen
    (``commitment="last"``) and scores all 16 trials.
    """

    id = "ssvep_eeg.trials.time_resolved_rsa"
    version = "2"  # 2: low-pass before decimation (version 1 let 50 Hz line noise alias to 14 Hz)
    ceiling_method = "none"
    method_citations = (NILI2014,)
    tmin, tmax = 1.0, 15.0
    stats = StatsPolicy(commitment="last")


class SsvepEegTimeResolvedPredictivity(_SsvepEeg, TimeResolvedPredictivityBenchmark):
    """SSVEP EEG (64 channels, 16 trials): ridge decoding of the model's features over time, mean over 1-15 s.

    The trials of :class:`SsvepEegTimeResolved` (low-passed at 10 Hz, 32 Hz), averaged in windows of 0.25 s (8
    samples: 64 time points), are scaled to unit standard deviation; at each time point a ridge map from the 64
    channels to every feature of the layer (a model reads each trial's condition as text, ``SSVEP_PHRASES``) is
    fitted on 12 trials and scored by each feature's Pearson r on the 4 held-out trials: 4 folds, each holding out 2
    trials of each condition (consecutive trials of a condition stay together), each feature's penalty chosen by
    leave-one-fold-out on the other 3 folds. The score is the mean over 1-15 s of the mean r over the features;
    ``per_subject`` holds the 4 folds' window means and the interval their spread; no ceiling (one subject, no
    repeated presentation of a trial; see :mod:`neuroalign.benchmarks.time_resolved_predictivity`).

    What it measures: the features depend on the condition only, and every feature that differs between the two
    phrases is an affine function of the condition, so its ridge prediction is the same decoder of the condition up
    to scale and its held-out r is the same number. The score is therefore the held-out correlation of a linear
    decoder of the condition with the condition, the same for every model that tells the two phrases apart: how
    well single EEG trials carry their condition over time, not which model is better. It exercises time-resolved
    predictivity on real EEG. For the same reasons as the RSA benchmark the policy commits to the model's last main
    layer (``commitment="last"``) and scores all 16 trials (8 held-out trials would often leave a condition with
    fewer trials than folds).
    """

    id = "ssvep_eeg.trials.time_resolved_predictivity"
    version = "1"
    method_citations = (GROOTSWAGERS2017,)
    tmin, tmax = 1.0, 15.0
    window = 8
    stratify_by = "condition"
    stats = StatsPolicy(commitment="last")


FIRST_PARTY = (HumanIT92, MonkeyIT92, HaxbySliceCategories, HaxbySlicePredictivity, SsvepEegTimeResolved,
               SsvepEegTimeResolvedPredictivity)
