"""The README's demo: EfficientNet-Lite0 (the images) and MiniLM (their captions) on the 92-image human IT benchmark.

Both models are first-party plugins found through their entry points; each is scored with a layer chosen on half
of the stimuli and scored on the other half, with the leave-one-subject-out ceiling on those stimuli and a
bootstrap interval over them; the results go to a results store and come back as a leaderboard.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pandas as pd

from neuroalign.benchmarks import StatsPolicy
from neuroalign.benchmarks.registry import load_benchmark
from neuroalign.demo.figure_cache import figure_key, keep_figure, restore_figure
from neuroalign.runs.grid import run
from neuroalign.runs.sweeps import stored_sweep
from neuroalign.utils.docs import fill_doc

BENCHMARK = "kriegeskorte2008.human_it.rsa"
MODELS = ("efficientnet-lite0", "all-minilm-l6-v2")


@fill_doc
def run_demo(mirror: Any = None, store: Any = None, *, progress: bool | None = None,
             on_result: Any = None) -> tuple[pd.DataFrame, Any]:
    """Score the demo's models on the human IT benchmark; returns the grid table and the benchmark.

    Parameters
    ----------
    %(mirror)s
    store : path-like or ResultsStore, optional
        Results database (default: see :func:`neuroalign.runs.grid.default_store_path`).
    progress : bool, optional
        Progress bars (by default on a terminal).
    on_result : callable, optional
        Called with each model's :class:`~neuroalign.runs.grid.GridRow` as soon as it is scored.
    """
    benchmark = load_benchmark(BENCHMARK, mirror=mirror)
    return run(list(MODELS), [benchmark], store=store, progress=progress, on_result=on_result), benchmark


def draw_profiles(table: pd.DataFrame, benchmark: Any, path: Any, *, store: Any = None, n_bootstrap: int = 200,
                  on_done: Any = None) -> Any:
    """Save one figure with each demo model's layer profile (every layer on every stimulus, descriptive) and its
    committed layer marked; returns the path written.

    The profiles are kept in the results store (:func:`neuroalign.runs.sweeps.stored_sweep`) and the figure beside
    the activation cache (:mod:`neuroalign.demo.figure_cache`, keyed by every value drawn): a second demo reads
    them back without loading a model or drawing. ``on_done(model_id, seconds)`` is called after each profile.
    """
    panels = []
    for row in table.itertuples():
        started = time.perf_counter()
        profile = stored_sweep(row.model, benchmark, store=store, stats=StatsPolicy(n_bootstrap=n_bootstrap))
        if on_done is not None:
            on_done(row.model, time.perf_counter() - started)
        panels.append((profile, row.layer, f"{row.model} ({MODALITY[row.model]}s), every layer on all 92 stimuli"))
    key = figure_key(path, [[title, committed, _drawn(profile)] for profile, committed, title in panels], dpi=_DPI)
    if restore_figure(key, path):
        return Path(path)
    # The plots import matplotlib's figure machinery: loaded when the demo draws.
    from neuroalign.report.plots import new_figure, save_figure
    from neuroalign.report.plots.layer_profile import plot_layer_profile

    fig = new_figure((11.0, 4.2))
    axes = fig.subplots(1, len(table), sharey=True)
    for ax, (profile, committed, title) in zip(axes, panels):
        plot_layer_profile(profile, ax=ax, committed=committed, title=title)
    written = save_figure(fig, path, dpi=_DPI)
    keep_figure(key, written)
    return written


def _drawn(profile: pd.DataFrame) -> list:
    """What :func:`~neuroalign.report.plots.layer_profile.plot_layer_profile` draws of a profile (the figure's key
    hashes it): every layer's values, and the provenance it labels the axes with."""
    provenance = profile.attrs.get("provenance") or {}
    return [{name: provenance.get(name) for name in ("metric", "model", "benchmark")},
            profile[["layer", "value", "interval_low", "interval_high", "ceiling", "ceiling_low"]].to_numpy().tolist()]


_DPI = 150


def _cell(value: float | None, fmt: str = "{:.3f}") -> str:
    return "-" if value is None or pd.isna(value) else fmt.format(value)


def format_demo(table: pd.DataFrame, benchmark: Any) -> str:
    """The demo's printout: what was measured, the ceiling, then one line per model, best first."""
    policy = benchmark.stats
    first = table.iloc[0]
    lines = [
        f"{benchmark.id} v{benchmark.version}: {benchmark.description}",
        f"Each model's layer is chosen on half of the 92 stimuli and scored on the other half; "
        f"{policy.level:.0%} intervals from",
        f"{policy.n_bootstrap} bootstrap resamples of those stimuli (seed {policy.seed}). Noise ceiling on them: "
        f"lower {_cell(first.ceiling_low)}, upper {_cell(first.ceiling)};",
        "raw = mean Spearman correlation with the subjects; normalised = raw / upper ceiling.",
        "",
        f"{'model':20s} {'reads':8s} {'committed layer':16s} {'raw':>6s} {'95% interval':>16s} {'normalised':>10s} "
        f"{'95% interval':>16s}",
    ]
    for row in table.sort_values("normalized", ascending=False).itertuples():
        lines.append(f"{row.model:20s} {MODALITY[row.model]:8s} {str(row.layer):16s} {_cell(row.value):>6s} "
                     f"{_interval(row.interval_low, row.interval_high):>16s} {_cell(row.normalized):>10s} "
                     f"{_interval(row.interval_low, row.interval_high, row.ceiling):>16s}")
    return "\n".join(lines)


def _interval(low: float | None, high: float | None, scale: float | None = 1.0) -> str:
    if low is None or pd.isna(low) or scale is None or pd.isna(scale):
        return "-"
    return f"[{low / scale:.3f}, {high / scale:.3f}]"


#: What each demo model reads of a stimulus.
MODALITY = {"efficientnet-lite0": "image", "all-minilm-l6-v2": "caption"}
