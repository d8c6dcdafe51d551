"""``neuroalign extract``, ``run -m hf:...``, ``info hf:...``, ``list models`` and ``align`` with a paired model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest

from neuroalign.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
pytest.importorskip("transformers")


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", **extra}


@pytest.fixture
def picture_folder(tmp_path):
    from PIL import Image

    rng = np.random.default_rng(3)
    folder = tmp_path / "images"
    folder.mkdir()
    for k in range(6):
        Image.fromarray(rng.integers(0, 256, (40, 30 + k, 3), dtype=np.uint8)).save(folder / f"pic{k}.png")
    return folder


@pytest.mark.slow
def test_extract_in_a_fresh_process(tiny_models, picture_folder, tmp_path):
    """The issue's first 'done when' command, as a user runs it (a new interpreter, offline)."""
    out = subprocess.run([sys.executable, "-m", "neuroalign", "extract", f"hf:{tiny_models['tiny-vit']}",
                          str(picture_folder), "-o", str(tmp_path / "acts.h5")], capture_output=True, text=True,
                         env=_env(NEUROALIGN_CACHE_DIR=str(tmp_path / "cache")), timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "6 stimuli x 3 layers" in out.stdout
    with h5py.File(tmp_path / "acts.h5") as f:
        assert [s.decode() for s in f["stimulus_ids"][()]] == [f"pic{k}" for k in range(6)]
        assert f.attrs["model_id"] == f"hf:{tiny_models['tiny-vit']}" and f["layers/hidden_states.2"].shape == (6, 32)


def test_extract_options_and_errors(tiny_models, picture_folder, tmp_path, capsys):
    out = tmp_path / "acts.h5"
    assert main(["extract", f"hf:{tiny_models['tiny-convnext']}", str(picture_folder), "-o", str(out),
                 "--layers", "hidden_states.4", "encoder.stages.1", "--pooling", "encoder.**=flatten",
                 "--pooling", "*=spatial_mean", "--batch-size", "4", "--cache", "none", "--device", "cpu"]) == 0
    with h5py.File(out) as f:
        assert f["layers/hidden_states.4"].shape == (6, 32) and f["layers/encoder.stages.1"].shape == (6, 16 * 4 * 4)
    # stderr is no terminal here: one progress line per batch of 4 images extracted (issue 19, item 8)
    lines = [line for line in capsys.readouterr().err.splitlines() if "stimuli extracted" in line]
    assert [line.split(": ")[-1].split(" ")[0] for line in lines] == ["4/6", "6/6"]
    assert main(["info", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"model_id: hf:{tiny_models['tiny-convnext']}" in printed and "stimuli: 6" in printed
    assert main(["extract", f"hf:{tiny_models['tiny-vit']}", str(tmp_path / "texts.tsv"), "-o", str(out)]) == 2
    assert "texts.tsv: no such file" in capsys.readouterr().err
    (tmp_path / "texts.tsv").write_text("stimulus_id\ttext\na\ta cat\n")
    assert main(["extract", f"hf:{tiny_models['tiny-vit']}", str(tmp_path / "texts.tsv"), "-o", str(out)]) == 2
    assert "reads 'image' stimuli, but the stimulus set has no 'image' payloads" in capsys.readouterr().err
    assert main(["extract", "hf:nobody/none", str(picture_folder), "-o", str(out)]) == 2
    assert "`hf download nobody/none`" in capsys.readouterr().err
    assert main(["extract", f"hf:{tiny_models['tiny-vit']}", str(picture_folder), "-o", str(out),
                 "--layers", "hidden_states.9"]) == 2
    assert "unknown layer 'hidden_states.9'" in capsys.readouterr().err


@pytest.mark.realdata
def test_run_an_hf_model_on_the_human_it_benchmark(tiny_models, data_mirror, tmp_path, monkeypatch, capsys):
    """The issue's second 'done when' command: a text model by path, on the captions of the 92 images."""
    monkeypatch.setenv("NEUROALIGN_DATA_MIRROR", str(data_mirror))
    monkeypatch.setenv("NEUROALIGN_DATA_CACHE", str(tmp_path / "data"))
    monkeypatch.setenv("NEUROALIGN_CACHE_DIR", str(tmp_path / "activations"))
    model_id = f"hf:{tiny_models['tiny-bert']}"
    assert main(["run", "-m", model_id, "-b", "kriegeskorte2008.human_it.rsa", "--store",
                 str(tmp_path / "results.sqlite"), "--bootstrap", "50"]) == 0
    captured = capsys.readouterr()
    printed = captured.out
    assert f"scored   {model_id} on kriegeskorte2008.human_it.rsa:" in printed
    # in a log (stderr no terminal): a line per request answered, as it is answered (issue 19, item 8)
    assert "run: 1/1 (" in captured.err and f"scored {model_id} on kriegeskorte2008.human_it.rsa" in captured.err
    from neuroalign.store import ResultsStore

    (row,) = ResultsStore(tmp_path / "results.sqlite").results().itertuples()
    assert row.model_id == model_id
    source = json.loads(row.provenance_json)["model_fingerprint"]["source"]
    assert source["path"] == str(tiny_models["tiny-bert"]) and len(source["weights_files_sha256"]) == 64


def test_info_and_list_say_how_to_name_hub_models(tiny_models, hf_home, capsys):
    assert main(["list", "models"]) == 0
    assert "hf:ORG/NAME[@REVISION]" in capsys.readouterr().out
    assert main(["info", "hf:tiny-org/tiny-clip"]) == 0
    printed = capsys.readouterr().out
    commit = (hf_home / "hub" / "models--tiny-org--tiny-clip" / "refs" / "main").read_text()
    assert f"commit={commit}" in printed and "image-text-dual-encoder" in printed
    assert "text.projection         (16,)  pooling flatten" in printed
    assert main(["info", f"hf:{tiny_models['tiny-bert']}"]) == 0
    printed = capsys.readouterr().out
    assert "pooler_output" not in printed and "untrained: left out" in printed


def test_align_takes_both_reads_of_a_paired_model(tiny_models, tmp_path, capsys):
    from neuroalign.cli.align_command import build_sources
    from neuroalign.cli.main import build_parser

    args = build_parser().parse_args(["align", "-m", f"hf:{tiny_models['tiny-clip']}", "-m",
                                      f"hf:{tiny_models['tiny-siglip']}#text", "--metric", "cka.linear",
                                      "--stimuli", "x", "--cache", "none"])
    sources = build_sources(args)
    assert [(s.name, s.modality) for s in sources] == [
        (f"hf:{tiny_models['tiny-clip']}#image", "image"), (f"hf:{tiny_models['tiny-clip']}#text", "text"),
        (f"hf:{tiny_models['tiny-siglip']}#text", "text")]
    assert sources[0].adapter.model is sources[1].adapter.model
