"""Optional extras (issue 20, item 6): an export whose package is not installed says which extra to install."""

from __future__ import annotations

import subprocess
import sys

from neuroalign.core.score import Score
from neuroalign.store import ResultRecord, ResultsStore

#: pyarrow made unimportable (as when the ``parquet`` extra is not installed), then the command line.
_WITHOUT_PYARROW = ("import sys; sys.modules['pyarrow'] = None; from neuroalign.cli.main import main; "
                    "sys.exit(main(sys.argv[1:]))")


def test_parquet_export_without_pyarrow_names_the_extra_and_writes_nothing(tmp_path):
    store_path = tmp_path / "results.sqlite"
    with ResultsStore(store_path) as store:
        store.put(ResultRecord(Score(value=0.3, metric="spearman"), "model-a", "bench-1", "1"))
    out = tmp_path / "results.parquet"
    done = subprocess.run([sys.executable, "-c", _WITHOUT_PYARROW, "leaderboard", "--store", str(store_path),
                           "--parquet", str(out)], capture_output=True, text=True)
    assert done.returncode == 2
    assert "neuroalign[parquet]" in done.stderr and str(out) in done.stderr
    assert "model-a" in done.stdout  # the board itself needs no extra
    assert not out.exists() and list(tmp_path.iterdir()) == [store_path]
