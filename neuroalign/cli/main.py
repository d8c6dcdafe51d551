"""Entry point of the ``neuroalign`` command: parses arguments and dispatches to subcommands."""

from __future__ import annotations

import argparse
import sys

from neuroalign.cli import (align_command, cache_command, data_command, demo_command, extract_command, failures,
                            info_command, leaderboard_command, list_command, plugin_command, rdm_command,
                            report_command, run_command, store_command)

#: Each subcommand module exposes ``add_parser(subparsers)`` and ``run(args) -> int``.
SUBCOMMANDS = (demo_command, list_command, info_command, run_command, extract_command, leaderboard_command,
               rdm_command, cache_command, data_command, plugin_command, report_command, align_command, store_command)

_DEBUG_HELP = "show the Python traceback of a failure (for reporting a bug)"


class _VersionAction(argparse.Action):
    """``--version``: reads the version only when asked (reading the installed metadata costs an import)."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, **kwargs) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="show program's version number and exit", **kwargs)

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        import neuroalign

        print(f"neuroalign {neuroalign.__version__}")  # stdout, as argparse's own version action
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="neuroalign",
        description="Compare brains with models: RDMs, RSA comparators, alignment metrics and noise ceilings.",
        epilog="Exit status: 0 success; 1 some tasks or checks failed (each is listed); 2 bad input or a missing, "
               "damaged or unwritable file (one line on stderr names it); 3 an internal error (a bug).",
    )
    parser.add_argument("--version", action=_VersionAction)
    parser.add_argument("--debug", action="store_true", help=_DEBUG_HELP)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in SUBCOMMANDS:
        module.add_parser(subparsers)
    _accept_debug_anywhere(parser)
    return parser


def _accept_debug_anywhere(parser: argparse.ArgumentParser) -> None:
    """Let ``--debug`` also follow a subcommand (``neuroalign run ... --debug``), at every level."""
    for action in parser._actions:  # argparse offers no public walk over its subparsers
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):  # aliases map to the same parser
                # SUPPRESS: a subcommand that does not see --debug leaves the global value alone
                sub.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=_DEBUG_HELP)
                _accept_debug_anywhere(sub)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (see :mod:`neuroalign.cli.failures`)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        status = args.run(args)
        sys.stdout.flush()  # a closed pipe shows here, where it is handled, not in the interpreter's last flush
        return status
    except SystemExit:
        raise
    except BaseException as error:  # noqa: BLE001 - every failure becomes one line (a traceback with --debug)
        return failures.report(error, args)


if __name__ == "__main__":
    raise SystemExit(main())
