"""Every tutorial runs to the end on the real data, prints its key results and writes its figures.

Each script runs in its own interpreter with the data mirror, and with its figures, activation cache, data cache
and results store in the test's temporary folder (nothing is written to the user's folders or the repository).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

TUTORIALS = sorted((Path(__file__).resolve().parents[1] / "tutorials").glob("*.py"))


@dataclass(frozen=True)
class Expected:
    """What a tutorial must print (regular expressions, each matching a whole line) and write (file names)."""

    lines: tuple[str, ...] = ()
    figures: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    slow: bool = True  # more than 10 s on the project's 2-core machine


NUMBER = r"-?\d+\.\d+"
EXPECTED = {
    "rsa_92_images": Expected(
        lines=(rf"noise ceiling \(Spearman\): \[{NUMBER}, {NUMBER}\]",
               rf"between-subject agreement, +spearman: mean {NUMBER}"),
        slow=False),
    "vision_model_vs_human_it": Expected(
        lines=(r"committed layer: \S+ \(chosen on 46 images, scored on 46 held-out images\)",
               rf"committed score: {NUMBER}, 95% interval \[{NUMBER}, {NUMBER}\]; held-out ceiling "
               rf"\[{NUMBER}, {NUMBER}\]; normalised {NUMBER}",
               rf"noise ceiling \(Spearman, 92 images\): lower {NUMBER}, upper {NUMBER}",
               rf"ceiling over the same resamples: lower {NUMBER} \[{NUMBER}, {NUMBER}\], upper {NUMBER} .*",
               rf"sweep maximum \(chosen and scored on all 92 images\): \S+ {NUMBER}, normalised {NUMBER}; .*",
               r"over 100 random 46/46 splits: the selection-half maximum exceeds .*"),
        figures=("vision_model_vs_human_it_rdms.png", "vision_model_vs_human_it_layer_profile.png")),
    "fmri_haxby_searchlight": Expected(
        lines=(r"12 runs x 8 categories x 530 voxels",
               rf"animacy vs  crossnobis RDM, +spearman: {NUMBER} \(permutation p = {NUMBER}\)",
               rf"odd vs even runs \(crossnobis, Spearman\): {NUMBER}; Spearman-Brown to 12 runs: {NUMBER}; .*",
               r"530 spheres of 6 mm: .*",
               rf"searchlight: peak Spearman {NUMBER} at voxel \(i, j, k\) = \(\d+, \d+, 0\), .*",
               rf"exact null over the 28 two-category models: searchlight peak p = {NUMBER} .*"),
        figures=("fmri_haxby_rdms.png", "fmri_haxby_searchlight.png"),
        files=("fmri_haxby_searchlight_animacy.nii.gz",),
        slow=False),
    "eeg_time_resolved_rsa": Expected(
        lines=(r"after a 1-20 Hz band-pass and decimation by 4: 1024 samples at 64 Hz",
               rf"time course: 1024 RDMs of 120 trial pairs; mean Spearman {NUMBER}, .*",
               r"cluster test over 1024 time points .*: \d+ supra-threshold clusters, \d+ with p < 0.05",
               r"with shuffled condition labels, a significant cluster appeared in \d+ of 100 shuffles .*",
               rf"label-permutation test of the largest cluster \(t-mass {NUMBER}\): p = {NUMBER} over 100 shuffles",
               rf"temporal generalisation \(1024 x 1024\): mean off-diagonal Pearson {NUMBER}; .*"),
        figures=("eeg_time_resolved_rsa.png", "eeg_temporal_generalisation.png")),
    "extract_and_score_your_own_model": Expected(
        lines=(r"92 images from my_images/, modalities \['image', 'text'\], metadata .*'category', 'caption'\]",
               r"extracted 3 layers x 92 stimuli into vit.h5; pooling .*first_token.*",
               r"the same extraction again took \d+\.\d+ s \(served from the activation cache\)",
               rf"score of the model itself: {NUMBER}; identical: True",
               r"clip.h5: 8 layers, image.projection \(92, 16\), text.projection \(92, 16\)",
               rf"hidden_states.2: rsatoolbox's correlation RDM vs neuroalign's, max abs difference "
               r"(\d\.\de-1[5-9]|0\.0e\+00)")),
    "encoding_and_fitted_rdm_models": Expected(
        lines=(r"12 runs x 8 categories x 530 voxels",
               rf"hidden_states.6: mean held-out r {NUMBER} over \d+ reliable voxels; ceiling-normalised {NUMBER}",
               r"hidden_states.\d, leave-one-out penalties: scikit-learn RidgeCV max abs difference in voxel r "
               r"\d\.\de-1[2-9]",
               r"wrote encoding_haxby_r.nii.gz \(hidden_states.\d, held-out r per voxel\)",
               rf"hidden_states.1 vs hidden_states.\d over reliable voxels: R2 joint {NUMBER}, unique .*",
               r"R2 of hidden_states.1 alone: scikit-learn RidgeCV max abs difference \d\.\de-1[2-9]",
               rf"weighted model \(NNLS\), bootstrap cross-validated Pearson: {NUMBER} \+- {NUMBER}; "
               rf"cross-validated ceiling \[{NUMBER}, {NUMBER}\]",
               rf"least-squares weights, the same 10 bootstrap samples: rsatoolbox {NUMBER}, neuroalign {NUMBER}, "
               r"max abs difference per fold \d\.\de-1[2-9]"),
        files=("encoding_haxby_r.nii.gz",)),
    "write_a_plugin": Expected(
        lines=(r'"tutorial-net" = "neuroalign_tutorial_net:load"',
               r"-> listed: tutorial-net from neuroalign-tutorial-net",
               r"-> conformance: [1-9]\d* checks passed, 0 failed",
               rf"-> tutorial-net on kriegeskorte2008.human_it.rsa: committed layer \S+, held-out score {NUMBER}, "
               rf"normalised {NUMBER}")),
}


def _params():
    for script in TUTORIALS:
        expected = EXPECTED.get(script.stem, Expected())  # a tutorial not listed here gets the generic checks
        yield pytest.param(script, expected, id=script.stem, marks=[pytest.mark.slow] if expected.slow else [])


@pytest.mark.parametrize(("script", "expected"), list(_params()))
def test_tutorial_runs(script, expected, data_mirror, tmp_path):
    from PIL import Image

    output = tmp_path / "figures"
    env = {**os.environ, "NEUROALIGN_DATA_MIRROR": str(data_mirror), "NEUROALIGN_TUTORIAL_OUTPUT": str(output),
           "NEUROALIGN_CACHE_DIR": str(tmp_path / "activations"), "NEUROALIGN_DATA_CACHE": str(tmp_path / "data"),
           "NEUROALIGN_RESULTS": str(tmp_path / "results.sqlite"), "MPLBACKEND": "Agg"}
    started = time.perf_counter()
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, cwd=tmp_path,
                         timeout=600)
    print(f"{script.name}: {time.perf_counter() - started:.1f} s")
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.strip().endswith("done")
    printed = out.stdout.splitlines()
    for pattern in expected.lines:
        assert any(re.fullmatch(pattern, line.strip()) for line in printed), f"no line matches {pattern!r}"
    for name in expected.figures:
        with Image.open(output / name) as image:
            image.verify()
            assert image.format == "PNG" and min(image.size) > 100
    for name in expected.files:
        assert (output / name).stat().st_size > 0
    for figure in output.glob("*.png") if output.exists() else ():
        with Image.open(figure) as image:
            image.verify()
