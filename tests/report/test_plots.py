"""The plots, drawn from real results: the 92-image RDMs, a layer profile of the human IT benchmark, real EEG RSA."""

from __future__ import annotations

import base64
import io
import sys

import numpy as np
import pandas as pd
import pytest
from PIL import Image
from scipy.spatial.distance import pdist, squareform

from neuroalign.analysis.clusters import TimeCluster
from neuroalign.core.rdms import RDMs
from neuroalign.report import classical_mds, metric_mds
from neuroalign.report.errors import PlotInputError
from neuroalign.report.mds import stress
from neuroalign.report.plots import (
    figure_to_base64_png, plot_layer_profile, plot_mds, plot_metric_agreement, plot_rdm, plot_score_matrix,
    plot_time_course, save_figure)
from neuroalign.report.plots.rdm import SEPARATOR_GID
from neuroalign.report.plots.score_matrix import MISSING_GID
from neuroalign.report.plots.time_course import CLUSTER_GID

CATEGORIES = ["human bodypart", "human face", "nonhuman bodypart", "nonhuman face", "natural inanimate",
              "artificial inanimate"]


def _written_png(fig, path):
    fig.canvas.draw()
    out = save_figure(fig, path)
    with Image.open(out) as image:
        assert image.format == "PNG" and image.size[0] > 0 and image.size[1] > 0
    assert not list(path.parent.glob("*.partial"))
    return out


# --- the 92 images ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def k92(data_mirror):
    from neuroalign.datasets import kriegeskorte92

    adapter = kriegeskorte92.adapter(data_mirror)
    return {"human": adapter.human_it_rdms(), "monkey": adapter.monkey_it_rdms(),
            "models": adapter.model_rdms(), "stimuli": adapter.stimulus_set()}


@pytest.mark.realdata
def test_rdm_heatmap_grouped_by_the_real_categories(k92, tmp_path):
    rdm = k92["human"].mean()
    fig = plot_rdm(rdm, categories=k92["stimuli"])
    ax = fig.axes[0]
    image, = ax.images
    assert image.get_array().shape == (92, 92)
    separators = [line for line in ax.lines if line.get_gid() == SEPARATOR_GID]
    assert len(separators) == 2 * (len(CATEGORIES) - 1)  # one horizontal and one vertical per boundary
    assert [t.get_text() for t in ax.get_xticklabels()] == CATEGORIES
    assert [t.get_text() for t in ax.get_yticklabels()] == CATEGORIES
    assert ax.get_xticks()[0] == pytest.approx(5.5)  # the 12 human body parts come first: centre of rows 0..11
    assert ax.get_title() == "RDM (92 stimuli)" and ax.get_xlabel() == "stimulus (by category)" and ax.get_ylabel()
    assert image.colorbar is not None and image.colorbar.ax.get_ylabel() == "dissimilarity (correlation)"
    _written_png(fig, tmp_path / "rdm.png")


@pytest.mark.realdata
def test_rdm_reordering_joins_labels_by_id(k92):
    rdm = k92["human"][0]
    labels = k92["stimuli"].metadata["category"]
    shuffled = labels.sample(frac=1.0, random_state=0)  # a Series indexed by id joins by id whatever its order
    inanimate_first = pd.Categorical(labels, categories=CATEGORIES[::-1])
    fig = plot_rdm(rdm, order_by=pd.Series(inanimate_first, index=labels.index), colorbar=False)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == CATEGORIES[::-1] and len(fig.axes) == 1
    order = np.argsort(pd.Categorical(labels, categories=CATEGORIES[::-1]).codes, kind="stable")
    np.testing.assert_array_equal(ax.images[0].get_array(), rdm.to_square()[0][np.ix_(order, order)])
    same = plot_rdm(rdm, order_by=shuffled.astype(pd.CategoricalDtype(CATEGORIES)), colorbar=False)
    by_metadata = plot_rdm(rdm, categories=k92["stimuli"], colorbar=False)
    np.testing.assert_array_equal(same.axes[0].images[0].get_array(), by_metadata.axes[0].images[0].get_array())


def test_rdm_from_a_square_array_and_bad_input():
    rng = np.random.default_rng(0)
    square = squareform(pdist(rng.normal(size=(6, 3))))
    before = square.copy()
    fig = plot_rdm(square, order_by=list("aabbab"))
    np.testing.assert_array_equal(square, before)
    order = [0, 1, 4, 2, 3, 5]  # "a" stimuli first, then "b"
    np.testing.assert_array_equal(fig.axes[0].images[0].get_array(), square[np.ix_(order, order)])
    ax = fig.axes[0]
    assert len([line for line in ax.lines if line.get_gid() == SEPARATOR_GID]) == 2
    assert ax.images[0].colorbar.ax.get_ylabel() == "dissimilarity"
    stack = RDMs(np.stack([pdist(square), pdist(square)]), list("abcdef"))
    with pytest.raises(PlotInputError, match="stack of 2"):
        plot_rdm(stack)
    with pytest.raises(PlotInputError, match="5 category labels for 6 stimuli"):
        plot_rdm(square, categories=list("aabbb"))
    with pytest.raises(PlotInputError, match="no column 'kind'"):
        plot_rdm(stack[0], categories=pd.DataFrame({"category": list("aabbcc")}, index=list("abcdef")),
                 order_by="kind")
    with pytest.raises(PlotInputError, match="names a metadata column"):
        plot_rdm(stack[0], order_by="category")


def test_classical_mds_reproduces_euclidean_distances_exactly():
    rng = np.random.default_rng(1)
    points = rng.normal(size=(30, 3))
    d = squareform(pdist(points))
    coords = classical_mds(d, 3)
    np.testing.assert_allclose(pdist(coords), pdist(points), atol=1e-10)
    flat = points[:, :2]
    np.testing.assert_allclose(pdist(classical_mds(squareform(pdist(flat)), 2)), pdist(flat), atol=1e-10)
    np.testing.assert_allclose(pdist(metric_mds(squareform(pdist(flat)), 2)), pdist(flat), atol=1e-8)
    with pytest.raises(PlotInputError, match="NaN"):
        classical_mds(np.where(np.eye(3) == 0, np.nan, 0.0))


@pytest.mark.realdata
def test_metric_mds_lowers_the_stress_of_the_real_monkey_rdm(k92):
    d = k92["monkey"].to_square()[0]
    assert stress(d, metric_mds(d)) <= stress(d, classical_mds(d)) * (1 + 1e-12)


@pytest.mark.realdata
def test_mds_scatter_by_category_with_thumbnails(k92, tmp_path):
    from matplotlib.offsetbox import AnnotationBbox

    rdm = k92["human"].mean()
    fig = plot_mds(rdm, categories=k92["stimuli"], images=k92["stimuli"])
    ax = fig.axes[0]
    offsets = ax.collections[0].get_offsets()
    assert offsets.shape == (92, 2)
    # a correlation RDM holds squared distances (its Distance entry says so): double-centred without squaring
    np.testing.assert_allclose(offsets, classical_mds(rdm.to_square()[0], squared=True))
    assert len(np.unique(ax.collections[0].get_facecolors(), axis=0)) == len(CATEGORIES)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == CATEGORIES
    assert sum(isinstance(a, AnnotationBbox) for a in ax.artists) == 92
    assert ax.get_xlabel() == "MDS dimension 1" and ax.get_ylabel() == "MDS dimension 2"
    assert ax.get_title() == "Classical MDS (92 stimuli, correlation)"
    _written_png(fig, tmp_path / "mds.png")
    plain = plot_mds(rdm.to_square()[0], method="metric")
    assert plain.axes[0].get_legend() is None and len(plain.axes[0].collections[0].get_offsets()) == 92
    with pytest.raises(PlotInputError, match="unknown MDS method"):
        plot_mds(rdm, method="tsne")


# --- a layer profile from sweep ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def profile(data_mirror, k92, tmp_path_factory):
    from neuroalign.benchmarks import sweep
    from neuroalign.benchmarks.firstparty import HumanIT92
    from neuroalign.benchmarks.policy import StatsPolicy
    from neuroalign.models import PrecomputedAdapter

    monkey = k92["monkey"].to_square()[0]
    path = tmp_path_factory.mktemp("features") / "monkey_mds.npz"
    rng = np.random.default_rng(0)
    np.savez(path, stimulus_ids=np.array(k92["monkey"].stimulus_ids), noise=rng.normal(size=(92, 40)),
             monkey_it_mds=classical_mds(monkey, 10), monkey_it_mds_2d=classical_mds(monkey, 2))
    return sweep(PrecomputedAdapter(path), HumanIT92(mirror=data_mirror), stats=StatsPolicy(n_bootstrap=50))


@pytest.mark.realdata
def test_layer_profile_of_a_real_sweep(profile, tmp_path):
    fig = plot_layer_profile(profile, committed="monkey_it_mds")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["noise", "monkey_it_mds", "monkey_it_mds_2d"]
    assert ax.get_xticklabels()[0].get_rotation() == pytest.approx(60)
    assert ax.get_xlabel() == "layer" and ax.get_ylabel() == "score (spearman)"
    assert ax.get_title() == "Layer profile of monkey_mds on kriegeskorte2008.human_it.rsa"
    labels = {t.get_text() for t in ax.get_legend().get_texts()}
    assert labels == {"noise ceiling (lower-upper)", "score (bootstrap interval)", "committed: monkey_it_mds"}
    line = ax.lines[0]
    np.testing.assert_allclose(line.get_ydata(), profile["value"])
    band = ax.collections[0].get_paths()[0].vertices[:, 1]
    assert band.min() == pytest.approx(profile["ceiling_low"].min()) and band.max() == pytest.approx(
        profile["ceiling"].max())
    _written_png(fig, tmp_path / "profile.png")
    normalised = plot_layer_profile(profile, normalized=True).axes[0]
    np.testing.assert_allclose(normalised.lines[0].get_ydata(), profile["normalized"])
    assert normalised.get_ylabel() == "normalised score (score / ceiling)"
    with pytest.raises(PlotInputError, match="not in the table"):
        plot_layer_profile(profile, committed="fc7")
    with pytest.raises(PlotInputError, match="missing"):
        plot_layer_profile(profile.drop(columns="ceiling"))


def test_layer_profile_without_a_ceiling_draws_no_band():
    table = pd.DataFrame({"layer": ["a", "b"], "value": [0.1, 0.3], "interval_low": [np.nan, 0.2],
                          "interval_high": [np.nan, 0.4], "ceiling": [None, None], "ceiling_low": [None, None]})
    ax = plot_layer_profile(table).axes[0]
    assert ax.get_title() == "Layer profile" and ax.get_ylabel() == "score"
    assert "noise ceiling (lower-upper)" not in [t.get_text() for t in ax.get_legend().get_texts()]


# --- a time course from real EEG ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def eeg_course(data_mirror):
    from neuroalign.analysis import time_resolved_rsa
    from neuroalign.datasets import load_dataset

    trials, = load_dataset("ssvep_eeg_64ch", mirror=data_mirror).recordings(level="trial", tmin=0.0, tmax=2.0,
                                                                           decim=16)
    labels = np.array([s.split("/")[0] for s in trials.stimulus_ids])
    model = pdist((labels[:, None] == "2xx").astype(float), "cityblock")  # 1 between conditions, 0 within
    return time_resolved_rsa(trials, model, "correlation", "spearman", window=4, step=2)


@pytest.mark.realdata
def test_time_course_of_real_eeg_rsa_with_clusters(eeg_course, tmp_path):
    times, values = eeg_course.times, eeg_course.values[0]
    clusters = [TimeCluster(0, 3, times[0], times[2], p_value=0.01, statistic=9.0),
                TimeCluster(5, 7, times[5], times[6], p_value=0.3, statistic=2.0),  # not significant
                TimeCluster(9, 11, times[9], times[10], p_value=0.05, statistic=4.0),  # p == alpha counts
                (times[13], times[14])]
    interval = np.vstack([values - 0.05, values + 0.05])
    fig = plot_time_course(times, values, interval=interval, clusters=clusters, alpha=0.05)
    ax = fig.axes[0]
    spans = [p for p in ax.patches if p.get_gid() == CLUSTER_GID]
    assert len(spans) == 3
    np.testing.assert_allclose(ax.lines[0].get_ydata(), values)
    zero = [line for line in ax.lines if np.allclose(line.get_ydata(), 0.0)]
    assert len(zero) == 1
    assert ax.get_xlabel() == "time (s)" and ax.get_ylabel() == "score" and ax.get_title() == "Time course"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["cluster p ≤ 0.05", "interval", "score"]
    _written_png(fig, tmp_path / "course.png")
    with pytest.raises(PlotInputError, match=r"shape \(2, 15\)"):
        plot_time_course(times, values, interval=interval.T)


# --- scores and metrics ------------------------------------------------------------------------------------------
def test_score_matrix_annotates_scored_cells_and_hatches_missing_ones(tmp_path):
    table = pd.DataFrame({"human IT": [0.41, 0.12, np.nan], "monkey IT": [0.55, np.nan, 0.2],
                          "EEG": [0.05, 0.3, 0.9]}, index=["alexnet", "vit", "random"])
    fig = plot_score_matrix(table)
    ax = fig.axes[0]
    assert ax.images[0].get_array().shape == (3, 3)
    texts = sorted(t.get_text() for t in ax.texts)
    assert texts == sorted(f"{v:.2f}" for v in table.to_numpy().ravel() if np.isfinite(v))
    assert len([p for p in ax.patches if p.get_gid() == MISSING_GID]) == 2
    assert [t.get_text() for t in ax.get_xticklabels()] == ["human IT", "monkey IT", "EEG"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["alexnet", "vit", "random"]
    assert ax.get_xlabel() == "benchmark" and ax.get_ylabel() == "model" and ax.get_title() == "Scores"
    assert ax.images[0].colorbar.ax.get_ylabel() == "normalised score"
    _written_png(fig, tmp_path / "scores.png")
    assert not plot_score_matrix(table, annotate=False).axes[0].texts


@pytest.mark.realdata
def test_metric_agreement_of_comparators_on_the_real_model_rdms(k92, tmp_path):
    from neuroalign.compare import compare

    human = k92["human"].mean()
    methods = ["spearman", "pearson", "kendall_tau_a"]
    values = pd.DataFrame({m: compare(k92["models"], human, m)[:, 0] for m in methods},
                          index=k92["models"].descriptors["model"])
    fig = plot_metric_agreement(values)
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert len(panels) == 3  # the lower triangle of a 2 x 2 grid
    first = panels[0]
    assert first.get_xlabel() == "spearman" and first.get_ylabel() == "pearson"
    assert len(first.collections[0].get_offsets()) == len(values)
    rho = values.rank().corr().loc["spearman", "pearson"]
    assert first.get_title() == f"Spearman ρ = {rho:.2f} (n = {len(values)})"
    assert fig.get_suptitle() == "Agreement between metrics"
    _written_png(fig, tmp_path / "agreement.png")


def test_metric_agreement_in_one_given_ax_and_bad_input():
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.add_subplot()
    values = pd.DataFrame({"cka": [0.1, 0.4, 0.3, np.nan], "rsa": [0.2, 0.5, 0.1, 0.7]})
    assert plot_metric_agreement(values, ax=ax) is fig
    assert ax.get_title() == "Spearman ρ = 0.50 (n = 3)" and len(ax.collections[0].get_offsets()) == 4
    with pytest.raises(PlotInputError, match="leave ax=None"):
        plot_metric_agreement(values.assign(knn=1.0), ax=ax)
    with pytest.raises(PlotInputError, match="at least two"):
        plot_metric_agreement(values[["cka"]])


# --- output ------------------------------------------------------------------------------------------------------
def test_save_figure_formats_and_base64(tmp_path):
    fig = plot_time_course([0.0, 0.1, 0.2], [0.0, 0.5, 0.2])
    svg = save_figure(fig, tmp_path / "sub" / "course.svg")
    assert svg.read_text().lstrip().startswith("<?xml") and "<svg" in svg.read_text()
    with pytest.raises(PlotInputError, match="suffix"):
        save_figure(fig, tmp_path / "course.jpeg")
    encoded = figure_to_base64_png(fig)
    with Image.open(io.BytesIO(base64.b64decode(encoded))) as image:
        assert image.format == "PNG"


def test_importing_the_report_package_loads_neither_matplotlib_nor_torch():
    import subprocess

    code = ("import sys, neuroalign, neuroalign.report, neuroalign.report.plots; "
            "print('matplotlib' in sys.modules, 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
