"""``neuroalign align``: alignment between every pair of models (any modality) and brain regions on paired stimuli."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from neuroalign.data.mirror import MIRROR_ENV


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the ``align`` subcommand."""
    parser = subparsers.add_parser(
        "align", help="align every pair of models and brain regions on paired stimuli (CKA, kNN, RSA, ...)",
        description="Compute every metric between every pair of sources (models of any modality, each reading its "
                    "own payload of the same stimuli, and brain regions). The layer pair is chosen on half of the "
                    "stimuli and scored on the other half, with a permutation null and a bootstrap interval; the "
                    "layer x layer matrices are kept. See docs/alignment.md.")
    parser.add_argument("--model", "-m", action="append", default=[], dest="models", metavar="MODEL",
                        help="model id (repeat for several; see `neuroalign list models`); an image-text model "
                             "(hf:ORG/NAME of CLIP, SigLIP...) gives two sources, its image and text reads")
    parser.add_argument("--brain", action="append", default=[], dest="brains", metavar="BRAIN",
                        help="brain source (repeat), e.g. kriegeskorte2008.human_it")
    parser.add_argument("--metric", action="append", required=True, dest="metrics", metavar="METRIC",
                        help="metric id (repeat), e.g. cka.linear, cka.debiased, knn.mutual.10, "
                             "rsa.correlation.spearman")
    parser.add_argument("--stimuli", required=True, metavar="DATASET",
                        help="paired stimulus set: a dataset id, e.g. kriegeskorte2008_92images")
    parser.add_argument("--layers", type=int, default=None, metavar="N",
                        help="compare N layers per model, spread over its main layers (default: all main layers)")
    parser.add_argument("--random-twins", action="store_true",
                        help="add a random-initialised twin of every model as a control")
    parser.add_argument("--twin-seed", type=int, default=0, help="seed of the twins' initialisation (default 0)")
    parser.add_argument("--permutations", type=int, default=1000, help="permutations of the null (default 1000)")
    parser.add_argument("--bootstrap", type=int, default=1000, help="bootstrap resamples (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the split, permutations and resamples")
    parser.add_argument("--selection-fraction", type=float, default=0.5,
                        help="share of the stimuli that choose the layer pair (default 0.5)")
    parser.add_argument("--device", default="auto", help="extraction device: 'auto', 'cpu', 'cuda', ...")
    parser.add_argument("--cache", default="default", metavar="DIR", help="activation cache directory")
    parser.add_argument("--mirror", help=f"data mirror directory (default: ${MIRROR_ENV})")
    parser.add_argument("--store", default=None, help="results database (default: the user's results store)")
    parser.add_argument("--plots", default=None, metavar="DIR",
                        help="write the figures meaningful for the pairs here (held-out scores, source matrices "
                             "from 3 sources, layer x layer matrices, twins, metric agreement from 3 pairs); "
                             "say why the others are not drawn")
    parser.set_defaults(run=run)


def load_stimuli(dataset_id: str, modalities: set[str], mirror: Any = None) -> Any:
    """The paired stimulus set of a dataset, with captions when a model reads text and the dataset ships them."""
    from neuroalign.benchmarks.extract import dataset_stimuli

    return dataset_stimuli(dataset_id, modalities, mirror)


def model_reads(adapter: Any) -> list[Any]:
    """The adapters one ``--model`` stands for: both reads of an image-text dual encoder named without ``#image`` /
    ``#text`` (one paired model, two sources), else the adapter itself."""
    reads = getattr(adapter, "reads", None)
    if isinstance(reads, dict) and getattr(adapter, "paired", False):
        return list(reads.values())
    return [adapter]


def build_sources(args: argparse.Namespace) -> list[Any]:
    """Model sources (with twins when asked) and brain sources, in the order given."""
    from neuroalign.alignment import ModelSource, brain_source, random_twin, spread_layers
    from neuroalign.plugins import load_model

    sources = []
    for model_id in args.models:
        for adapter in model_reads(load_model(model_id)):
            layers = spread_layers(getattr(adapter, "main_layers", None) or adapter.layers, args.layers)
            twins = [random_twin(adapter, args.twin_seed)] if args.random_twins else []
            sources += [ModelSource(a, layers, cache=None if args.cache == "none" else args.cache,
                                    device=args.device) for a in (adapter, *twins)]
    sources += [brain_source(b, args.mirror) for b in args.brains]
    return sources


def _write_plots(study: Any, folder: Path) -> tuple[list[Path], list[str]]:
    """The figures meaningful for the study's pairs (see neuroalign.report.alignment_figures), and why others are
    not drawn."""
    from neuroalign.report.aligned_pairs import pairs_from_study
    from neuroalign.report.alignment_figures import alignment_figures
    from neuroalign.report.plots import save_figure

    drawn = alignment_figures(pairs_from_study(study))
    folder.mkdir(parents=True, exist_ok=True)
    return [save_figure(d.figure, folder / f"{d.name}.png") for d in drawn.figures], drawn.notes


def run(args: argparse.Namespace) -> int:
    """Execute ``neuroalign align``: print one line per pair and metric, store every result."""
    from neuroalign.alignment import align
    from neuroalign.store.default_store import open_store
    from neuroalign.metrics import get_metric

    metrics = [get_metric(m) for m in args.metrics]  # unknown ids fail before any model is loaded
    if len(args.models) + len(args.brains) < 2:
        raise ValueError("give at least two sources (--model / --brain)")
    sources = build_sources(args)
    stimuli = load_stimuli(args.stimuli, {s.modality for s in sources if s.modality}, args.mirror)
    store = open_store(args.store)
    study = align(sources, stimuli, metrics, n_permutations=args.permutations, n_bootstrap=args.bootstrap,
                  seed=args.seed, selection_fraction=args.selection_fraction, store=store)
    print(f"{len(study.selection)} selection / {len(study.held_out)} held-out stimuli; "
          f"{args.permutations} permutations, {args.bootstrap} bootstrap resamples")
    for row in study.to_frame().itertuples():
        print(f"{row.metric:26s} {row.source_a} ~ {row.source_b}: {row.value:.3f} (null {row.null_mean:.3f}, "
              f"p {row.p_value:.3g}, CI [{row.ci_low:.3f}, {row.ci_high:.3f}]) layers {row.layer_a} | {row.layer_b}")
    print(f"\n{len(study.pairs)} results stored in {store.location}")
    if args.plots:
        written, notes = _write_plots(study, Path(args.plots))
        for path in written:
            print(f"plot: {path}")
        for note in notes:
            print(f"not drawn: {note}")
    return 0
