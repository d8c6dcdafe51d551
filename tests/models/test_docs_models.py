"""The commands of docs/models.md ("Score any Hugging Face model", "Bring your own stimuli") run as written."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import h5py
import pytest

from neuroalign.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "models.md"
SECTIONS = ("## Score any Hugging Face model", "## Bring your own stimuli")
_ASSIGNMENT = re.compile(r"^([A-Z_]+)=(\S*)$")


def _bash_blocks(section: str) -> list[str]:
    text = DOC.read_text().split(section, 1)[1].split("\n## ", 1)[0]
    return [line for block in re.findall(r"```bash\n(.*?)```", text, re.S) for line in block.splitlines() if line]


def _run(line: str, monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    """A ``neuroalign`` command runs in this process (with its ``VAR=value`` prefixes); anything else in bash."""
    words = shlex.split(line)
    assignments = {}
    while words and _ASSIGNMENT.match(words[0]):
        name, value = _ASSIGNMENT.match(words[0]).groups()
        assignments[name] = value
        words.pop(0)
    if words[0] != "neuroalign":
        out = subprocess.run(["bash", "-c", line], capture_output=True, text=True, env=env, timeout=300)
        assert out.returncode == 0, f"{line}\n{out.stderr[-2000:]}"
        return
    with monkeypatch.context() as m:
        for name, value in assignments.items():
            m.setenv(name, str(Path(value).absolute()) if name == "HF_HOME" else value)
        assert main(words[1:]) == 0, line


@pytest.mark.slow
@pytest.mark.realdata
def test_docs_commands_run(data_mirror, tmp_path, monkeypatch):
    pytest.importorskip("transformers")
    (tmp_path / "scripts").symlink_to(ROOT / "scripts")
    monkeypatch.chdir(tmp_path)
    settings = {"NEUROALIGN_DATA_MIRROR": str(data_mirror), "NEUROALIGN_DATA_CACHE": str(tmp_path / "data"),
                "NEUROALIGN_CACHE_DIR": str(tmp_path / "activations"),
                "NEUROALIGN_RESULTS": str(tmp_path / "results.sqlite"), "HF_HUB_OFFLINE": "1"}
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "PYTHONPATH": str(ROOT)}
    lines = [line for section in SECTIONS for line in _bash_blocks(section)]
    assert len(lines) >= 12
    for line in lines:
        _run(line, monkeypatch, env)
    with h5py.File(tmp_path / "clip.h5") as f:
        assert set(f["layers"]) == {"image.hidden_states.0", "image.hidden_states.1", "image.hidden_states.2",
                                    "image.last_hidden_state", "image.projection", "text.projection"}
    assert sorted(p.name for p in (tmp_path / "bert_layers").iterdir()) == [f"hidden_states.{i}.npz" for i in range(3)]
    with h5py.File(tmp_path / "vit.h5") as f:
        assert [s.decode() for s in f["stimulus_ids"][()]] == ["shape0", "shape1", "shape2", "shape3", "shape4"]
    with h5py.File(tmp_path / "clip_text.h5") as f:
        assert f.attrs["model_id"] == "hf:my-lab/tiny-clip#text" and len(f["stimulus_ids"]) == 92
