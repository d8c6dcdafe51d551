"""``store copy``: results move between SQLite and PostgreSQL with every column intact, checked row by row."""

from __future__ import annotations

import numpy as np
import pytest
from pandas.testing import assert_frame_equal

from neuroalign.cli.main import main
from neuroalign.core import Score
from neuroalign.store import ResultRecord, ResultsStore
from neuroalign.store.copying import copy_results
from neuroalign.store.errors import StoreCopyError


def _records(make_record, prefix: str = "model") -> list[ResultRecord]:
    """Results with every kind of column value: NaN and None, intervals, raw values with NaN, JSON, timestamps."""
    return [
        make_record(f"{prefix}-a", value=0.1 + 0.2, ceiling=0.5, interval=(0.2, 0.4), seed=2 ** 40, layer="fc6",
                    started_at="2026-01-02T03:04:05.123456Z", duration_s=1 / 3),
        make_record(f"{prefix}-b", value=float("nan"), ceiling=float("nan")),
        make_record(f"{prefix}-c", value=-0.0, ceiling=0.3, parameters={"x": [1, 2.5e-300, "é"]}),
        ResultRecord(Score(value=1e-17, metric="cka", raw=np.array([0.1, np.nan, np.inf]), null={"p_value": 0.04},
                           provenance={"stimuli": {"scored": 90, "total": 92}, "git": "abc"}),
                     f"{prefix}-d", "bench-2", "1", {"alpha": 0.1}, kind="alignment"),
    ]


def _without_id(store: ResultsStore):
    return store.results().drop(columns="id").reset_index(drop=True)


def test_sqlite_to_postgresql_and_back_keeps_every_column(tmp_path, postgres_url, make_record):
    with ResultsStore(tmp_path / "laptop.sqlite") as laptop, ResultsStore(postgres_url) as shared, \
            ResultsStore(tmp_path / "back.sqlite") as back:
        laptop.put_many(_records(make_record))
        report = copy_results(laptop, shared)
        assert (report.copied, report.present, report.verified, report.conflicts) == (4, 0, 4, [])
        assert copy_results(shared, back).verified == 4
        for store in (shared, back):
            assert_frame_equal(_without_id(store), _without_id(laptop), check_exact=True)
        for record in _records(make_record):
            a, b = laptop.get(record.request_key), shared.get(record.request_key)
            assert a.created_at == b.created_at and a.score().interval == b.score().interval
            np.testing.assert_array_equal(a.score().raw if a.raw is not None else [], b.raw if b.raw is not None
                                          else [])
        again = copy_results(laptop, shared)  # nothing new: every row is there already, identical
        assert (again.copied, again.present, again.verified) == (0, 4, 4) and len(shared.results()) == 4


def test_results_of_two_laptops_merge_and_a_differing_result_is_a_conflict_kept_unless_replaced(
        tmp_path, postgres_url, make_record):
    first, second = ResultsStore(tmp_path / "one.sqlite"), ResultsStore(tmp_path / "two.sqlite")
    first.put_many(_records(make_record, "one"))
    second.put_many(_records(make_record, "two"))
    second.put(make_record("one-a", value=0.9))  # the same request as one of first's, another result
    with ResultsStore(postgres_url) as shared:
        assert copy_results(first, shared).copied == 4
        report = copy_results(second, shared)
        assert (report.copied, report.present, report.verified) == (4, 0, 4)
        (key, columns), = report.conflicts
        assert key == make_record("one-a").request_key and "value" in columns
        assert shared.get(key).value == 0.1 + 0.2  # kept as the shared store had it
        replaced = copy_results(second, shared, replace=True)
        assert (replaced.replaced, replaced.conflicts, replaced.verified) == (1, [], 5)
        assert shared.get(key).value == 0.9 and len(shared.results()) == 8


def test_a_row_that_reads_back_differently_is_reported(tmp_path, postgres_url, make_record):
    """The check after the copy is real: a destination that alters rows as they are written (here a trigger)
    is caught, with the column named."""
    import psycopg

    with ResultsStore(tmp_path / "r.sqlite") as source, ResultsStore(postgres_url) as shared:
        source.put_many(_records(make_record))
        with psycopg.connect(postgres_url, autocommit=True) as conn:
            conn.execute("CREATE FUNCTION nudge() RETURNS trigger AS $$ BEGIN NEW.ceiling := NEW.ceiling + 1e-12; "
                         "RETURN NEW; END $$ LANGUAGE plpgsql")
            conn.execute("CREATE TRIGGER nudge BEFORE INSERT ON results FOR EACH ROW EXECUTE FUNCTION nudge()")
        with pytest.raises(StoreCopyError, match="2 of 4 rows copied from .* read back differently .*ceiling"):
            copy_results(source, shared)


def test_the_command_copies_reports_and_refuses_what_it_cannot(tmp_path, postgres_url, make_record, capsys):
    laptop = tmp_path / "laptop.sqlite"
    with ResultsStore(laptop) as store:
        store.put_many(_records(make_record))
    assert main(["store", "copy", str(laptop), postgres_url]) == 0
    out = capsys.readouterr().out
    assert "copied 4 of 4 results from" in out and "4 of 4 rows verified column by column" in out
    assert "postgresql://neuroalign:***@127.0.0.1" in out
    with ResultsStore(laptop) as store:
        store.put(make_record("model-a", value=0.7), replace=True)
    assert main(["store", "copy", str(laptop), postgres_url]) == 1
    captured = capsys.readouterr()
    assert "1 conflicts kept" in captured.out and "--replace overwrites them" in captured.err
    assert main(["store", "copy", str(laptop), postgres_url, "--replace"]) == 0
    assert main(["store", "copy", str(tmp_path / "missing.sqlite"), postgres_url]) == 2
    assert "no results store at" in capsys.readouterr().err and not (tmp_path / "missing.sqlite").exists()
    assert main(["store", "copy", postgres_url, postgres_url]) == 2
    assert "are the same store" in capsys.readouterr().err
