"""``neuroalign demo``: the README's demo on real data, a leaderboard of two models on the human IT benchmark."""

from __future__ import annotations

import argparse

from neuroalign.data.mirror import MIRROR_ENV


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the ``demo`` subcommand."""
    parser = subparsers.add_parser(
        "demo",
        help="score EfficientNet-Lite0 (images) and MiniLM (captions) on the 92-image human IT benchmark",
        description="EfficientNet-Lite0 sees the 92 images, MiniLM reads one plain caption per image; both are "
                    "scored by RSA against the human IT RDMs of 4 subjects (Kriegeskorte et al. 2008) with the "
                    "layer chosen on held-out stimuli, the noise ceiling and bootstrap intervals.",
    )
    parser.add_argument("--mirror", help=f"data mirror directory (default: ${MIRROR_ENV})")
    parser.add_argument("--store", default=None, help="results database (default: the user's results store)")
    parser.add_argument("--figure", default="neuroalign-demo.png",
                        help="where the layer profiles of both models are drawn (PNG or SVG; '' for none)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Execute ``neuroalign demo``."""
    from neuroalign.demo.leaderboard92 import draw_profiles, format_demo, run_demo

    from neuroalign.demo.leaderboard92 import MODELS
    from neuroalign.utils.progress import progress_lines

    # in a log (stderr not a terminal): a line per model scored and per layer profile, on stderr
    with progress_lines(len(MODELS), "demo") as scored:
        table, benchmark = run_demo(args.mirror, args.store,
                                    on_result=lambda row: scored(1, f"{row.status} {row.model}"))
    print(format_demo(table, benchmark))
    if args.figure:
        with progress_lines(len(table), "demo profiles") as drawn:
            draw_profiles(table, benchmark, args.figure, store=args.store,
                          on_done=lambda model, _: drawn(1, model))
        print(f"\nLayer profiles of both models: {args.figure}")
    return 0
