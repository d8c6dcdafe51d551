"""``neuroalign store copy SRC DST``: move results between stores (SQLite files, PostgreSQL databases)."""

from __future__ import annotations

import argparse
import sys


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the ``store`` subcommand and its ``copy`` action."""
    parser = subparsers.add_parser(
        "store", help="copy results between stores (SQLite files and PostgreSQL databases)",
        description="A store is an SQLite file (a path) or a shared PostgreSQL database "
                    "(postgresql://user:password@host:port/database).")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    copy = actions.add_parser(
        "copy", help="copy every result of SRC into DST, then check each one there column by column",
        description="Each result keeps all its columns (scores, provenance, timestamps); DST numbers it anew. A "
                    "request DST holds already is kept: identical rows count as present, differing ones are "
                    "conflicts (listed; exit status 1) unless --replace. DST is created if missing.")
    copy.add_argument("source", metavar="SRC", help="the store to read (file path or postgresql:// URL)")
    copy.add_argument("destination", metavar="DST", help="the store to write (file path or postgresql:// URL)")
    copy.add_argument("--replace", action="store_true",
                      help="overwrite DST's result of a request where it differs from SRC's")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Execute ``neuroalign store copy``: 0 when every row is in DST as in SRC, 1 when conflicts were kept."""
    from neuroalign.store.default_store import open_store
    from neuroalign.store.copying import copy_results

    with open_store(args.source, create=False) as source, open_store(args.destination) as destination:
        report = copy_results(source, destination, replace=args.replace)
        total = report.copied + report.present + report.replaced + len(report.conflicts)
        print(f"copied {report.copied} of {total} results from {source.location} to {destination.location} "
              f"({report.present} already there, {report.replaced} replaced, {len(report.conflicts)} conflicts "
              f"kept); {report.verified} of {total} rows verified column by column")
    if not report.conflicts:
        return 0
    sys.stdout.flush()
    for key, columns in report.conflicts:
        print(f"conflict {key}: DST holds another result for this request (differs in {', '.join(columns)}); "
              "kept", file=sys.stderr)
    print(f"neuroalign store: {len(report.conflicts)} requests differ between the stores and were kept as DST has "
          "them; --replace overwrites them with SRC's", file=sys.stderr)
    return 1
