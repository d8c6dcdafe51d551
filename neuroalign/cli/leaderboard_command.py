"""``neuroalign leaderboard``: models x benchmarks from the results store, normalised scores with intervals."""

from __future__ import annotations

import argparse

from neuroalign.cli.run_command import add_store_argument


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the ``leaderboard`` subcommand."""
    parser = subparsers.add_parser(
        "leaderboard", help="print the stored results as a models x benchmarks table",
        description="Ceiling-normalised scores (raw where a benchmark has no ceiling) with their intervals, the "
                    "latest result per model and benchmark; '*' marks a score above its ceiling.")
    add_store_argument(parser)
    parser.add_argument("--csv", default=None, metavar="PATH", help="also export every stored result as CSV")
    parser.add_argument("--parquet", default=None, metavar="PATH", help="also export every stored result as Parquet")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Execute ``neuroalign leaderboard``."""
    from neuroalign.store.default_store import open_store
    from neuroalign.store import format_leaderboard

    store = open_store(args.store, create=False)  # reading only: a mistyped path must not become a store
    print(format_leaderboard(store.board()))
    if args.csv:
        store.export_csv(args.csv)
    if args.parquet:
        store.export_parquet(args.parquet)
    return 0
