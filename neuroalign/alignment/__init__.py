"""Cross-model and cross-modal alignment: every pair of models (and brains) on paired stimuli, honestly scored.

>>> from neuroalign.alignment import BrainSource, ModelSource, align, random_twin       # doctest: +SKIP
>>> study = align([ModelSource(vision), ModelSource(language), brain], stimuli,
...               ["cka.linear", "knn.mutual.10"], n_permutations=200, n_bootstrap=200)  # doctest: +SKIP
>>> study.to_frame()                                                                   # doctest: +SKIP

See ``docs/alignment.md``.
"""

from neuroalign.alignment.brains import BRAIN_SOURCES, brain_source
from neuroalign.alignment.embedding import Embedding, double_centred_gram, embed_rdm
from neuroalign.errors.applications import (AlignmentError, MissingPayloadError, StimulusOverlapError,
                                            TooFewStimuliError, TwinError)
from neuroalign.alignment.results import AlignmentStudy, PairAlignment
from neuroalign.alignment.sources import (BrainSource, ModelSource, Representation, Source, check_payloads,
                                          spread_layers)
from neuroalign.alignment.storage import alignment_records, stored_alignments, write_study
from neuroalign.alignment.study import align
from neuroalign.alignment.twins import random_twin

__all__ = ["AlignmentError", "AlignmentStudy", "BRAIN_SOURCES", "BrainSource", "Embedding", "MissingPayloadError",
           "ModelSource", "PairAlignment", "Representation", "Source", "StimulusOverlapError", "TooFewStimuliError",
           "TwinError", "align", "alignment_records", "brain_source", "check_payloads", "double_centred_gram",
           "embed_rdm", "random_twin", "spread_layers", "stored_alignments", "write_study"]
