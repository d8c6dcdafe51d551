"""``neuroalign list``: the registered models, datasets, metrics and benchmarks, without importing heavy code."""

from __future__ import annotations

import argparse
from typing import Sequence

from neuroalign.plugins.groups import KINDS

#: Choices of the optional KIND argument (plural, as people say them; singular works too).
KIND_CHOICES = (*(f"{k}s" for k in KINDS), *KINDS)


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the ``list`` subcommand."""
    parser = subparsers.add_parser(
        "list", help="list registered models, datasets, metrics and benchmarks",
        description="One line per registered id: kind, id, providing distribution, one-line description. Plugins "
                    "whose entry point fails to import are flagged BROKEN with their error; ids that several "
                    "distributions register are flagged CONFLICT.")
    parser.add_argument("kind", nargs="?", choices=KIND_CHOICES, metavar="KIND",
                        help="only this kind: models, datasets, metrics or benchmarks")
    parser.set_defaults(run=run)


def format_table(rows: Sequence[Sequence[str]]) -> str:
    """Rows as left-aligned columns (the last column is not padded)."""
    widths = [max(len(row[k]) for row in rows) for k in range(len(rows[0]) - 1)]
    return "\n".join("  ".join([*(cell.ljust(w) for cell, w in zip(row, widths)), row[-1]]).rstrip()
                     for row in rows)


def _description(record) -> str:
    if record.broken:
        return f"BROKEN: {record.error}"
    if record.conflict:
        return f"CONFLICT: also registered by {', '.join(d for d in record.conflict if d != record.distribution)}" \
               f" | {record.description}"
    return record.description


def run(args: argparse.Namespace) -> int:
    """Execute ``neuroalign list [KIND]``."""
    from neuroalign.plugins.catalog import list_plugins

    records = list_plugins(args.kind)
    if not records:
        print(f"no {args.kind or 'plugins'} registered")
        if args.kind is not None and args.kind.startswith("model"):
            from neuroalign.plugins.model_ids import HOW_TO_NAME

            print(HOW_TO_NAME)
        return 0
    rows = [("KIND", "ID", "DISTRIBUTION", "DESCRIPTION"),
            *((r.kind, r.id, r.distribution, _description(r)) for r in records)]
    print(format_table(rows))
    if args.kind is None or args.kind.startswith("model"):
        from neuroalign.plugins.model_ids import HOW_TO_NAME

        print(f"\n{HOW_TO_NAME} See docs/models.md.")
    return 0
