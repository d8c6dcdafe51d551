"""atomic_path: the old file or the complete new one, never a half-written file; links kept; errors name the path."""

from __future__ import annotations

import pytest

from neuroalign.utils.atomic import atomic_path
from neuroalign.utils.directories import UnwritableDirectoryError


def test_a_symlinked_target_is_written_through_and_the_link_kept(tmp_path):
    real = tmp_path / "big-disk" / "results.csv"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "results.csv"
    link.symlink_to(real)
    with atomic_path(link) as tmp:
        tmp.write_text("new")
    assert link.is_symlink() and real.read_text() == "new"
    assert sorted(p.name for p in real.parent.iterdir()) == ["results.csv"]  # no temporary left


def test_a_failing_writer_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(ZeroDivisionError):
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            1 / 0
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_an_unwritable_directory_is_named(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(UnwritableDirectoryError, match=f"the output directory {blocker / 'sub'} is not writable"):
        with atomic_path(blocker / "sub" / "out.txt"):
            pass
