"""Leave-one-subject-out noise ceilings against rsatoolbox's boot_noise_ceiling."""

from __future__ import annotations

import numpy as np
import pytest
import rsatoolbox

from neuroalign import RDMs
from neuroalign.stats.ceiling import NotEnoughSubjectsError, rdm_noise_ceiling


@pytest.fixture
def subjects():
    rng = np.random.default_rng(5)
    truth = rng.random(45)
    return RDMs(truth + 0.3 * rng.random((6, 45)), [f"s{k}" for k in range(10)])


@pytest.mark.parametrize(("ours", "theirs"), [("spearman", "spearman"), ("pearson", "corr"), ("cosine", "cosine")])
def test_matches_rsatoolbox(subjects, ours, theirs):
    from rsatoolbox.inference.noise_ceiling import boot_noise_ceiling

    lower, upper = boot_noise_ceiling(subjects.to_rsatoolbox(), method=theirs, rdm_descriptor="index")
    ceiling = rdm_noise_ceiling(subjects, method=ours)
    assert ceiling.lower == pytest.approx(lower, rel=1e-12)
    assert ceiling.upper == pytest.approx(upper, rel=1e-12)
    assert ceiling.lower < ceiling.upper


def test_needs_three_subjects(subjects):
    with pytest.raises(NotEnoughSubjectsError, match="needs >= 3 subjects; got 2"):
        rdm_noise_ceiling(subjects[:2])


def test_real_92_image_ceiling(data_mirror):
    from neuroalign.datasets import kriegeskorte92
    from neuroalign.demo.rsa92 import subject_rdms

    subjects = subject_rdms(kriegeskorte92.human_it_rdms(data_mirror))
    ceiling = rdm_noise_ceiling(subjects, "spearman")
    from rsatoolbox.inference.noise_ceiling import boot_noise_ceiling

    lower, upper = boot_noise_ceiling(subjects.to_rsatoolbox(), method="spearman", rdm_descriptor="index")
    assert (ceiling.lower, ceiling.upper) == pytest.approx((lower, upper), rel=1e-12)
    assert 0.0 < ceiling.lower < ceiling.upper < 1.0
    assert rsatoolbox  # the reference implementation is the one imported at the top
