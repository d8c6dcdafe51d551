"""``neuroalign align`` end to end on a tiny image model, its random twin and human IT (real data)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "models"))

from models_helpers import tiny_adapter  # noqa: E402

from neuroalign.cli.main import main  # noqa: E402
from neuroalign.store import ResultsStore  # noqa: E402


def test_align_command_runs_stores_and_plots(data_mirror, tmp_path, monkeypatch, capsys):
    import neuroalign.plugins

    monkeypatch.setattr(neuroalign.plugins, "load_model", lambda model_id: tiny_adapter())
    store = tmp_path / "results.sqlite"
    code = main(["align", "-m", "tiny-net", "--brain", "kriegeskorte2008.human_it", "--metric", "cka.linear",
                 "--metric", "rsa.correlation.spearman", "--stimuli", "kriegeskorte2008_92images", "--layers", "2",
                 "--random-twins", "--permutations", "10", "--bootstrap", "10", "--cache", "none", "--device", "cpu",
                 "--mirror", str(data_mirror), "--store", str(store), "--plots", str(tmp_path / "plots")])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "46 selection / 46 held-out" in out
    assert "tiny-net ~ tiny-net~random0" in out and "tiny-net~random0 ~ kriegeskorte2008.human_it" in out
    with ResultsStore(store) as opened:
        assert len(opened.results(kind="alignment")) == 6
    assert (tmp_path / "plots" / "alignment_cka.linear.png").is_file()
    assert (tmp_path / "plots" / "metric_agreement.png").is_file()


def test_align_command_reports_bad_input(capsys):
    assert main(["align", "--brain", "kriegeskorte2008.human_it", "--metric", "cka.linear", "--stimuli", "x"]) == 2
    assert "at least two sources" in capsys.readouterr().err
    assert main(["align", "-m", "a", "-m", "b", "--metric", "cka.nope", "--stimuli", "x"]) == 2
    assert "unknown metric" in capsys.readouterr().err


@pytest.mark.parametrize("flag", ["--help"])
def test_align_help(flag, capsys):
    with pytest.raises(SystemExit):
        main(["align", flag])
    assert "--random-twins" in capsys.readouterr().out


def test_align_plots_draw_only_what_one_pair_makes_meaningful(data_mirror, tmp_path, monkeypatch, capsys):
    """Two sources are one pair: no 2 x 2 source matrix on a fitted scale and no "rho = nan (n = 1)" agreement
    panel (what --plots drew before), but the pair's held-out score and its layer x layer matrix, each on a fixed
    scale, and a line saying why the rest is not drawn."""
    import neuroalign.plugins
    from PIL import Image

    monkeypatch.setattr(neuroalign.plugins, "load_model", lambda model_id: tiny_adapter())
    plots = tmp_path / "plots"
    code = main(["align", "-m", "tiny-net", "--brain", "kriegeskorte2008.human_it", "--metric", "cka.linear",
                 "--metric", "rsa.correlation.spearman", "--stimuli", "kriegeskorte2008_92images", "--layers", "2",
                 "--permutations", "10", "--bootstrap", "10", "--cache", "none", "--device", "cpu",
                 "--mirror", str(data_mirror), "--store", str(tmp_path / "r.sqlite"), "--plots", str(plots)])
    captured = capsys.readouterr()
    out = captured.out
    assert code == 0, out
    # in a log (stderr no terminal): a line per pair and metric aligned (issue 19, item 8)
    assert [line.split(") ")[-1] for line in captured.err.splitlines() if line.startswith("alignment: ")] == [
        "cka.linear tiny-net ~ kriegeskorte2008.human_it",
        "rsa.correlation.spearman tiny-net ~ kriegeskorte2008.human_it"]
    written = sorted(p.name for p in plots.iterdir())
    assert written == ["alignment_cka.linear_pairs.png", "alignment_cka.linear_tiny-net_kriegeskorte2008.human_it.png",
                       "alignment_rsa.correlation.spearman_pairs.png",
                       "alignment_rsa.correlation.spearman_tiny-net_kriegeskorte2008.human_it.png"]
    assert "not drawn: cka.linear: no source x source matrix: 2 sources give 1 pair(s)" in out
    assert "not drawn: no metric agreement: 1 pair(s) of sources" in out
    for path in plots.iterdir():
        with Image.open(path) as image:
            assert image.format == "PNG" and min(image.size) > 200
