"""What the report tests share: the names in the test store, and precomputed-feature models."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from neuroalign.benchmarks.firstparty import HaxbySliceCategories, HumanIT92, MonkeyIT92, SsvepEegTimeResolved
from neuroalign.models import PrecomputedAdapter

IMAGE_MODELS = ("alpha", "beta<b>", "gamma")  # "beta<b>" must stay literal text, never become markup
EEG_MODEL = "eeg-condition"
RETIRED = "retired.benchmark"  # stored scores of a benchmark id no plugin registers any more
FIRST_PARTY = (HaxbySliceCategories.id, HumanIT92.id, MonkeyIT92.id, SsvepEegTimeResolved.id)
ALIGNED = ("tiny-net", "tiny-net~random0", "kriegeskorte2008.human_it")


def features(path: Path, ids, model_id: str, **layers) -> PrecomputedAdapter:
    """A precomputed-feature model: ``layers`` saved with the stimulus ids in an ``.npz``."""
    np.savez(path, stimulus_ids=np.array(ids), **layers)
    return PrecomputedAdapter(path, model_id=model_id)
