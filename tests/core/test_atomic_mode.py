"""Files written through atomic_path get the permissions of a plain open(), not mkstemp's 0600."""

import os

from neuroalign.utils.atomic import atomic_path


def test_atomic_file_has_the_umask_mode(tmp_path):
    umask = os.umask(0o022)
    try:
        with atomic_path(tmp_path / "out.txt") as tmp:
            tmp.write_text("x")
        plain = tmp_path / "plain.txt"
        plain.write_text("x")
    finally:
        os.umask(umask)
    assert (tmp_path / "out.txt").stat().st_mode & 0o777 == plain.stat().st_mode & 0o777 == 0o644
