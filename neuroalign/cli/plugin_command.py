"""``neuroalign plugin``: scaffold a new plugin package, and check an installed one against the contract."""

from __future__ import annotations

import argparse

from neuroalign.plugins.groups import KINDS


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the ``plugin`` subcommand and its ``new`` / ``check`` actions."""
    parser = subparsers.add_parser(
        "plugin", help="create a new plugin package, or check an installed one",
        description="Plugins are ordinary installable packages registered through the entry-point groups "
                    "neuroalign.models, neuroalign.datasets, neuroalign.metrics and neuroalign.benchmarks.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    new = actions.add_parser("new", help="write a complete, installable plugin package from a template",
                             description="Writes neuroalign-NAME/ with pyproject.toml (entry point), the package, "
                                         "a README and tests. An existing folder is never overwritten.")
    new.add_argument("name", help="the plugin id: lower-case words joined by '-' or '_' (datasets: '_' only)")
    new.add_argument("--kind", required=True, help=f"one of {', '.join(KINDS)}")
    new.add_argument("--directory", default=".", help="where the plugin's folder is created (default: here)")
    check = actions.add_parser("check", help="run the conformance checks on an installed plugin distribution",
                               description="Prints PASS/FAIL per check; exits 1 when any check fails.")
    check.add_argument("package", help="the installed distribution's name (for example neuroalign-my-net)")
    parser.set_defaults(run=run)


def _new(args: argparse.Namespace) -> int:
    from neuroalign.plugins.groups import parse_kind
    from neuroalign.plugins.scaffold import new_plugin
    from neuroalign.plugins.scaffold.names import plugin_names

    kind = parse_kind(args.kind)
    target = new_plugin(args.name, kind, args.directory)
    names = plugin_names(args.name, kind)
    print(f"created {kind} plugin {names.id!r} in {target}\n"
          f"next: pip install -e {target}\n"
          f"      neuroalign plugin check {names.distribution}\n"
          f"      python -m pytest {target / 'tests'}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from neuroalign.plugins.check import check_distribution

    results = check_distribution(args.package)
    for result in results:
        print(result.line(), flush=True)
    failed = sum(not r.passed for r in results)
    skipped = sum(r.skipped for r in results)
    tail = f", {skipped} skipped (their data is not on this machine)" if skipped else ""
    print(f"{len(results) - failed - skipped} passed, {failed} failed{tail}")
    return 1 if failed else 0


_ACTIONS = {"new": _new, "check": _check}


def run(args: argparse.Namespace) -> int:
    """Execute ``neuroalign plugin ACTION``."""
    return _ACTIONS[args.action](args)
