"""``neuroalign report``: the results store as one self-contained HTML page."""

from __future__ import annotations

import argparse

from neuroalign.cli.run_command import add_store_argument


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the ``report`` subcommand."""
    parser = subparsers.add_parser(
        "report", help="write the stored results as one self-contained HTML page",
        description="The leaderboard, a models x benchmarks heatmap, one section per benchmark (its scores, a "
                    "figure per score, each score's provenance) and the benchmarks' citations, in one HTML file "
                    "with every figure and style inline: it opens offline and can be mailed as is.")
    add_store_argument(parser)
    parser.add_argument("--output", "-o", default="report.html", metavar="PATH",
                        help="the HTML file to write (default: report.html)")
    parser.add_argument("--title", default=None, help="page title (default: 'neuroalign report')")
    parser.add_argument("--benchmark", "-b", action="append", dest="benchmarks", metavar="BENCHMARK",
                        help="report only this benchmark id (repeat for several; default: every stored one)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Execute ``neuroalign report``."""
    from neuroalign.store.default_store import open_store
    from neuroalign.report.html import build_report

    with open_store(args.store, create=False) as store:  # a file path or a postgresql:// URL
        path = build_report(store, args.output, title=args.title, benchmarks=args.benchmarks)
    print(f"wrote {path}")
    return 0
