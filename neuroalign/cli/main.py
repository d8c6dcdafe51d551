"""Entry point of the ``neuroalign`` command: parses arguments and dispatches to subcommands."""

from __future__ import annotations

import argparse
import sys

from neuroalign import __version__
from neuroalign.cli import (align_command, cache_command, data_command, demo_command, info_command,
                            leaderboard_command, list_command, plugin_command, rdm_command, report_command, run_command)
from neuroalign.errors import NeuroAlignError

#: Each subcommand module exposes ``add_parser(subparsers)`` and ``run(args) -> int``.
SUBCOMMANDS = (demo_command, list_command, info_command, run_command, leaderboard_command, rdm_command, cache_command,
               data_command, plugin_command, report_command, align_command)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="neuroalign",
        description="Compare brains with models: RDMs, RSA comparators, alignment metrics and noise ceilings.",
    )
    parser.add_argument("--version", action="version", version=f"neuroalign {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in SUBCOMMANDS:
        module.add_parser(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (2 for bad input, with the reason on stderr)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return args.run(args)
    except (NeuroAlignError, KeyError, ValueError, FileNotFoundError) as error:
        message = error.args[0] if isinstance(error, KeyError) and error.args else error
        print(f"neuroalign {args.command}: error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
