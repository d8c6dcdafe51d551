"""environment_provenance, file_sha256, merge_provenance; importing the store stays light."""

from __future__ import annotations

import hashlib
import platform
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

from neuroalign.store import environment_provenance, file_sha256, merge_provenance

ROOT = Path(__file__).resolve().parents[2]


def test_environment_provenance_names_versions_without_importing():
    env = environment_provenance()
    assert env["python"] == platform.python_version() and env["hostname"] and env["platform"]
    assert env["packages"]["numpy"] == version("numpy") and env["packages"]["neuroalign"] == version("neuroalign")
    assert set(env["packages"]) >= {"torch", "transformers", "mne", "nilearn", "rsatoolbox", "himalaya", "h5py"}
    assert environment_provenance(("numpy", "no-such-distribution-xyz"))["packages"]["no-such-distribution-xyz"] is None


def test_importing_the_store_and_recording_the_environment_imports_no_model_library():
    code = ("import sys, neuroalign.store as s; s.environment_provenance(); "
            "print([m for m in ('torch', 'transformers', 'mne', 'nilearn', 'rsatoolbox', 'himalaya') "
            "if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_file_sha256_streams_and_matches_hashlib(tmp_path):
    path = tmp_path / "weights.bin"
    data = bytes(range(256)) * 5000  # larger than one chunk
    path.write_bytes(data)
    assert file_sha256(path, chunk_size=4096) == hashlib.sha256(data).hexdigest() == file_sha256(str(path))
    empty = tmp_path / "empty"
    empty.touch()
    assert file_sha256(empty) == hashlib.sha256(b"").hexdigest()


def test_merge_provenance_merges_nested_and_later_wins_without_touching_inputs():
    general = {"seed": 1, "environment": {"python": "3.11", "packages": {"numpy": "2.0"}}}
    specific = {"seed": 2, "environment": {"packages": {"torch": "2.3"}}, "files": {"w": "abc"}}
    merged = merge_provenance(general, None, specific)
    assert merged == {"seed": 2, "environment": {"python": "3.11", "packages": {"numpy": "2.0", "torch": "2.3"}},
                      "files": {"w": "abc"}}
    merged["environment"]["packages"]["numpy"] = "changed"
    assert general["environment"]["packages"]["numpy"] == "2.0" and specific["files"] == {"w": "abc"}
    assert merge_provenance() == {}
