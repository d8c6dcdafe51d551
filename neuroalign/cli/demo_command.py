"""``neuroalign demo``: the README's demo on real data."""

from __future__ import annotations

import argparse

from neuroalign.data.mirror import MIRROR_ENV


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the ``demo`` subcommand."""
    parser = subparsers.add_parser(
        "demo",
        help="RSA on the real 92-image human IT data",
        description="Human IT RDMs of 4 subjects (Kriegeskorte et al. 2008): session reliability, between-subject "
                    "agreement, the noise ceiling, and how the model RDMs shipped with the data compare.",
    )
    parser.add_argument("--mirror", help=f"data mirror directory (default: ${MIRROR_ENV})")
    parser.add_argument("--method", default="spearman", help="RDM comparator")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Execute ``neuroalign demo``."""
    from neuroalign.demo.rsa92 import format_rsa92, run_rsa92

    print(format_rsa92(run_rsa92(args.mirror, method=args.method)))
    return 0
