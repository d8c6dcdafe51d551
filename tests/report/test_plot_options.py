"""Plot options: fixed colour scales, a matrix from 1 to 500 models, per-subject points, category bars."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from neuroalign.report.errors import PlotInputError
from neuroalign.report.plots import figure_to_base64_png, plot_rdm, plot_score_matrix, plot_subject_scores
from neuroalign.report.plots.rdm import CATEGORY_BAR_GID
from neuroalign.report.plots.scales import NORMALISED, RAW
from neuroalign.report.plots.score_matrix import MAX_HEIGHT, MISSING_GID


def _colorbars(fig):
    return [ax._colorbar for ax in fig.axes if getattr(ax, "_colorbar", None) is not None]


def test_the_matrix_keeps_its_fixed_scale_for_one_model():
    # the old report drew one cell on a colour bar running 0.13-0.14
    fig = plot_score_matrix(pd.DataFrame({"b": [0.134]}, index=["m"]), vmin=NORMALISED.vmin, vmax=NORMALISED.vmax)
    (bar,) = _colorbars(fig)
    assert (bar.norm.vmin, bar.norm.vmax) == (0.0, 1.0) and bar.extend == "neither"
    assert [t.get_text() for t in fig.axes[0].texts] == ["0.13"]


def test_normalised_and_raw_cells_each_on_their_scale():
    table = pd.DataFrame({"norm": [0.5, 1.2, np.nan], "raw": [-0.3, np.nan, 0.2]}, index=["a", "b", "c"])
    raw = np.array([[False, True], [False, True], [False, True]])
    fig = plot_score_matrix(table, vmin=0, vmax=1, cmap=NORMALISED.cmap, raw=raw, raw_scale=RAW)
    ax = fig.axes[0]
    normalised_image, raw_image = ax.images
    assert normalised_image.get_cmap().name == "viridis" and raw_image.get_cmap().name == "RdBu_r"
    assert np.ma.getmaskarray(normalised_image.get_array())[:, 1].all()  # raw cells are not on the viridis layer
    assert raw_image.norm(0.0) == pytest.approx(0.5)  # diverging, centred on 0
    bars = _colorbars(fig)
    assert [(b.norm.vmin, b.norm.vmax, b.extend) for b in bars] == [(0, 1, "max"), (-1, 1, "neither")]
    assert len([p for p in ax.patches if p.get_gid() == MISSING_GID]) == 2
    with pytest.raises(PlotInputError, match="raw mask has shape"):
        plot_score_matrix(table, raw=np.zeros((2, 2), dtype=bool))


def test_the_matrix_collapses_gracefully_with_500_models():
    rng = np.random.default_rng(0)
    table = pd.DataFrame(rng.uniform(size=(500, 3)), index=[f"model-{k}" for k in range(500)],
                         columns=["b1", "b2", "b3"])
    fig = plot_score_matrix(table, vmin=0, vmax=1)
    ax = fig.axes[0]
    assert fig.get_figheight() == MAX_HEIGHT and not ax.texts  # no overlapping annotations
    assert len(ax.get_yticks()) == 0 and ax.get_ylabel() == "model (500, in the table's order)"
    figure_to_base64_png(fig)  # draws
    hundred = plot_score_matrix(table.iloc[:100], vmin=0, vmax=1)
    assert len(hundred.axes[0].get_yticks()) == 100 and not hundred.axes[0].texts


def test_subject_scores_show_each_subject_the_interval_and_the_ceiling():
    fig = plot_subject_scores([0.1, 0.2, np.nan, 0.3], subjects=["s1", "s2", "s3", "s4"], interval=(0.12, 0.28),
                              ceiling=(0.4, 0.6), vmin=-0.1, vmax=0.8, figsize=(3, 3))
    ax = fig.axes[0]
    assert ax.get_ylim() == (-0.1, 0.8) and tuple(fig.get_size_inches()) == (3, 3)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["s1", "s2", "s3", "s4"]
    mean_line = [line for line in ax.lines if str(line.get_label()).startswith("mean")]
    assert mean_line and mean_line[0].get_ydata()[0] == pytest.approx(0.2)
    assert ax.get_xlabel() == "subject" and ax.get_ylabel() == "score"
    with pytest.raises(PlotInputError, match="3 subject names for 4 values"):
        plot_subject_scores([1, 2, 3, 4], subjects=["a", "b", "c"])


def test_rdms_side_by_side_share_an_order_and_show_category_bars():
    rng = np.random.default_rng(1)
    square = np.abs(rng.normal(size=(6, 6)))
    square = (square + square.T) / 2
    np.fill_diagonal(square, 0)
    labels = ["b", "a", "b", "a", "c", "c"]
    fig = plot_rdm(square, categories=labels, vmin=0, vmax=2, cmap="magma", figsize=(4, 4))
    ax = fig.axes[0]
    assert (ax.images[0].norm.vmin, ax.images[0].norm.vmax) == (0, 2) and ax.images[0].get_cmap().name == "magma"
    bars = [p for p in ax.patches if p.get_gid() == CATEGORY_BAR_GID]
    assert len(bars) == 2 * 3 and len({p.get_facecolor() for p in bars}) == 3
    plain = plot_rdm(square, categories=labels, category_bars=False)
    assert not [p for p in plain.axes[0].patches if p.get_gid() == CATEGORY_BAR_GID]


# --- every plot takes a scale, colours and a size ------------------------------------------------------------


def test_line_plots_take_a_range_a_colour_and_a_size():
    from matplotlib.colors import to_rgba

    from neuroalign.report.plots import plot_layer_profile, plot_pair_scores, plot_time_course

    sweep = pd.DataFrame({"layer": ["a", "b"], "value": [0.1, 0.3], "interval_low": [0.0, 0.2],
                          "interval_high": [0.2, 0.4], "ceiling": [0.6, 0.6], "ceiling_low": [0.4, 0.4]})
    for fig in (plot_layer_profile(sweep, vmin=-0.2, vmax=1.0, color="C2", figsize=(3, 2)),
                plot_time_course([0, 1, 2], [0.1, 0.2, 0.1], vmin=-0.2, vmax=1.0, color="C2", figsize=(3, 2))):
        ax = fig.axes[0]
        assert ax.get_ylim() == (-0.2, 1.0) and tuple(fig.get_size_inches()) == (3, 2)
        assert to_rgba(ax.lines[0].get_color()) == to_rgba("C2")
    table = pd.DataFrame({"label": ["a ~ b"], "value": [0.4], "low": [0.3], "high": [0.5], "null_mean": [0.0]})
    fig = plot_pair_scores(table, vmin=0, vmax=1, figsize=(4, 2), xlabel="cka.linear")
    assert fig.axes[0].get_xlim() == (0, 1) and fig.axes[0].get_xlabel() == "cka.linear"


def test_matrices_take_a_fixed_scale():
    from neuroalign.report.plots import plot_layer_matrix, plot_metric_agreement, plot_mds

    table = pd.DataFrame([[0.41, 0.42], [0.43, 0.44]], index=["l1", "l2"], columns=["m1", "m2"])
    fig = plot_layer_matrix(table, vmin=0, vmax=1, cmap="viridis", figsize=(3, 3))
    assert (fig.axes[0].images[0].norm.vmin, fig.axes[0].images[0].norm.vmax) == (0, 1)
    points = plot_mds(np.array([[0, 1, 2], [1, 0, 1], [2, 1, 0]], dtype=float), categories=["x", "y", "y"],
                      cmap="Set2", vmin=-3, vmax=3, figsize=(3, 3))
    assert points.axes[0].get_xlim() == (-3, 3)
    agreement = plot_metric_agreement(pd.DataFrame({"m1": [0.1, 0.2], "m2": [0.3, 0.1]}), vmin=0, vmax=1)
    assert agreement.axes[0].get_title() == "Spearman ρ undefined (n = 2)"  # never "rho = nan"


def test_the_publication_style_gives_small_editable_vector_text(tmp_path):
    import matplotlib

    from neuroalign.report import save_figure, style
    from neuroalign.report.plots import plot_time_course

    before = matplotlib.rcParams["font.size"]
    with style.publication(font_size=6):
        fig = plot_time_course([0, 1, 2], [0.1, 0.2, 0.1], figsize=style.size("single", 0.6), title="T")
        svg = save_figure(fig, tmp_path / "course.svg").read_text()
        pdf = save_figure(fig, tmp_path / "course.pdf").read_bytes()
    assert matplotlib.rcParams["font.size"] == before  # nothing leaks out of the block
    assert tuple(fig.get_size_inches()) == pytest.approx((3.5, 2.1))
    assert "<text" in svg and "time (s)" in svg and "font-size:6px" in svg.replace(" ", "")
    assert b"/FontFile2" in pdf  # TrueType (Type 42) embedded: the text is editable
    assert style.size(5.0, 0.5) == (5.0, 2.5)


def test_metric_scales_are_fixed_not_fitted():
    from neuroalign.report.plots.scales import metric_scale

    assert (metric_scale([0.13, 0.14], "cka").vmin, metric_scale([0.13, 0.14], "cka").vmax) == (0.0, 1.0)
    diverging = metric_scale([-0.2, 0.5], "rsa")
    assert (diverging.vmin, diverging.vmax, diverging.diverging) == (-1.0, 1.0, True)
    assert (metric_scale([0.5, 3.0], "distance").vmin, metric_scale([0.5, 3.0], "distance").vmax) == (0.0, 3.0)


# --- brain maps on an anatomy --------------------------------------------------------------------------------


@pytest.mark.realdata
def test_a_searchlight_map_is_drawn_by_nilearn_on_the_subjects_anatomy(data_mirror, tmp_path):
    import nibabel as nib
    from nilearn.image import mean_img

    from neuroalign.report.plots import plot_brain_map, save_figure
    from neuroalign.report.plots.brain_map import PEAK_GID

    folder = data_mirror / "haxby2001_subj1_slice"
    mask = nib.load(folder / "mask.nii.gz")
    inside = np.asarray(mask.dataobj) > 0
    values = np.where(inside, np.random.default_rng(0).uniform(-0.4, 0.7, mask.shape), np.nan)
    stat = nib.Nifti1Image(values, mask.affine)
    fig = plot_brain_map(stat, bg_img=mean_img(nib.load(folder / "bold.nii.gz"), copy_header=True), vmin=-1, vmax=1,
                         peaks=[(10.0, 5.0, 0.0)], label="Spearman", title="searchlight", figsize=(5, 3))
    assert tuple(fig.get_size_inches()) == (5, 3) and fig.axes[-1].get_title() == "Spearman"
    assert any(c.get_gid() == PEAK_GID for ax in fig.axes for c in ax.collections)
    drawn = [ax for ax in fig.axes if ax.images]  # the cut: the anatomy, then the map on the fixed scale
    assert drawn and (drawn[0].images[-1].norm.vmin, drawn[0].images[-1].norm.vmax) == (-1, 1)
    shown = np.ma.getmaskarray(drawn[0].images[-1].get_array())
    assert shown.sum() > 0 and (~shown).sum() == inside.sum()  # the voxels outside the mask are transparent
    save_figure(fig, tmp_path / "map.png")
    with pytest.raises(PlotInputError, match="one 3-D image"):
        plot_brain_map(nib.Nifti1Image(np.zeros((4, 4, 4, 2)), np.eye(4)))
    with pytest.raises(PlotInputError, match="no finite value"):
        plot_brain_map(nib.Nifti1Image(np.full((4, 4, 1), np.nan), np.eye(4)))
