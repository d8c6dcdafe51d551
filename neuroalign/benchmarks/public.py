"""First-party benchmarks on public datasets: human similarity judgements on the 92 images, MEG on the 92 images
(Cichy et al. 2014), EEG to 960 printed words (Kiloword), and the full Haxby 2001 VT (defined in
:mod:`neuroalign.benchmarks.haxby_vt`, registered from here with the others).

Registered in neuroalign's ``pyproject.toml`` like :mod:`neuroalign.benchmarks.firstparty`; importing this module
imports no heavy code. A benchmark whose data are not on the machine raises the data layer's
:class:`~neuroalign.data.MissingDataError`, which says how to fetch them (offline) or fetches them (online).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING


from neuroalign.benchmarks.citations import NILI2014
from neuroalign.benchmarks.firstparty import _Kriegeskorte92
from neuroalign.benchmarks.haxby_vt import HaxbyVtDecoding, HaxbyVtExemplars
from neuroalign.benchmarks.manifest_backed import ManifestBacked
from neuroalign.benchmarks.time_resolved import TimeResolvedRsaBenchmark

if TYPE_CHECKING:
    from neuroalign.core.rdms import RDMs
    from neuroalign.core.recording import Recording
    from neuroalign.core.stimuli import StimulusSet

MUR2013 = """@article{mur2013human,
  title   = {Human object-similarity judgments reflect and transcend the primate-{IT} object representation},
  author  = {Mur, Marieke and Meys, Mirjam and Bodurka, Jerzy and Goebel, Rainer and Bandettini, Peter A. and
             Kriegeskorte, Nikolaus},
  journal = {Frontiers in Psychology},
  volume  = {4},
  pages   = {128},
  year    = {2013},
  doi     = {10.3389/fpsyg.2013.00128}
}"""


class HumanBehaviour92(_Kriegeskorte92):
    """Human similarity judgements on the 92 images: RSA (Spearman) with 16 subjects, leave-one-subject-out ceiling.

    The model's RDM (1 - Pearson r between its layer's patterns) is compared with each subject's dissimilarity
    judgements (``92_behavRDMs.mat``, Mur et al. 2013) by Spearman correlation; the score is the mean over the 16
    subjects and the ceiling the leave-one-subject-out noise ceiling on the scored stimuli (Nili et al. 2014).
    """

    id = "kriegeskorte2008.behaviour.rsa"
    version = "1"
    method_citations = (MUR2013, NILI2014)

    def load_target(self) -> "RDMs":
        """The 16 subjects' judgement RDMs."""
        return self.adapter().behaviour_rdms()


class _MneTimeResolved(ManifestBacked, TimeResolvedRsaBenchmark):
    """Time-resolved RSA on a dataset MNE fetches: one recording, trials averaged per stimulus, no ceiling."""

    ceiling_method = "none"
    method_citations = (NILI2014,)

    @functools.cached_property
    def _stimuli(self) -> "StimulusSet":
        return self.adapter().stimulus_set()

    def stimuli(self) -> "StimulusSet":
        """The dataset's stimuli (read once)."""
        return self._stimuli

    def load_recording(self) -> "Recording":
        """Stimulus x channel x time, each stimulus's trials averaged."""
        recording, = self.adapter().recordings()
        return _trial_mean(recording)


def _trial_mean(recording: "Recording") -> "Recording":
    """``stimulus x channel x time``: the mean over the trials (run axis) of each stimulus."""
    import numpy as np

    from neuroalign.core.recording import Recording

    if "run" not in recording.dims:
        return recording
    return Recording(np.nanmean(recording.data, axis=0), recording.stimulus_ids, dims=recording.dims[1:],
                     channels=recording.channels, times=recording.times, descriptors=recording.descriptors)


class CichyMeg92TimeResolved(_MneTimeResolved):
    """MEG on the 92 images (Cichy et al. 2014): time-resolved RSA, mean over 50-300 ms; vision models; no ceiling.

    Gradiometer patterns (low-passed at 40 Hz, decimated to 100 Hz, averaged over each image's trials) give one
    brain RDM (1 - Pearson r across sensors) per time point; the model's RDM is compared with each by Spearman
    correlation and the score is the mean over 50-300 ms after image onset. One subject: no ceiling. The images
    are those of ``kriegeskorte2008_92images``; MNE's trigger ``t`` is image ``t + 1``, checked row by row against
    ``visual_stimuli.csv`` when the data load.
    """

    id = "cichy2014.meg92.time_resolved_rsa"
    version = "1"
    modality = "image"
    dataset = "cichy2014_visual92"
    tmin, tmax = 0.05, 0.3


class KilowordEegTimeResolved(_MneTimeResolved):
    """Kiloword EEG to 960 words: time-resolved RSA, mean over 300-500 ms (N400); language models; no ceiling.

    The ERP of each word (averaged over 75 subjects by the dataset's authors) gives one brain RDM (1 - Pearson r
    across electrodes) per time point; a language model reads each word, and its RDM is compared with each by
    Spearman correlation; the score is the mean over 300-500 ms, the N400 window. The subjects are averaged in the
    data, so there is no ceiling.
    """

    id = "kiloword.eeg.time_resolved_rsa"
    version = "1"
    modality = "text"
    dataset = "kiloword"
    tmin, tmax = 0.3, 0.5


#: The benchmarks registered from this module (``pyproject.toml``'s entry points name ``public:<class>``).
PUBLIC = (HumanBehaviour92, CichyMeg92TimeResolved, KilowordEegTimeResolved, HaxbyVtExemplars, HaxbyVtDecoding)
