"""``neuroalign rdm``: compute RDMs from a patterns file and compare them with RDMs from another file."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from neuroalign.core.rdms import RDMs


def _labels(rdms: "RDMs", fallback: str) -> list[str]:
    table = rdms.descriptors
    if table.columns.empty:
        return [fallback] if rdms.n_rdms == 1 else [f"{fallback}[{k}]" for k in range(rdms.n_rdms)]
    return [" ".join(f"{c}={row[c]}" for c in table.columns) for _, row in table.iterrows()]


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the ``rdm`` subcommand."""
    parser = subparsers.add_parser(
        "rdm",
        help="compute RDMs from a patterns file and compare them with target RDMs",
        description="Compute an RDM from response patterns (CSV/NPZ/HDF5 with explicit stimulus ids) and compare "
                    "it with the RDMs of another file (neuroalign HDF5, NPZ or CSV), matching stimuli by id.",
    )
    parser.add_argument("patterns", help="patterns file (.csv, .npz, .h5)")
    parser.add_argument("--compare", dest="targets", metavar="RDM_FILE", help="target RDM file to compare with")
    parser.add_argument("--distance", default="correlation",
                        help="RDM distance (correlation, cosine, euclidean, sqeuclidean, mahalanobis, sqmahalanobis, "
                             "crossnobis, poisson, poisson_cv; see docs/distances.md)")
    parser.add_argument("--comparator", default=None,
                        help="RDM comparator (pearson, spearman, kendall_tau_a, rho_a, cosine, whitened_cosine, "
                             "whitened_pearson, bures_similarity, sqbures; see docs/comparators.md); spearman by "
                             "default")
    # The comparator's old option name: still accepted, with a FutureWarning, and no longer listed.
    parser.add_argument("--method", dest="legacy_method", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--id-column", default="stimulus_id", help="CSV column with stimulus ids")
    parser.add_argument("--run-column", default=None, help="CSV column with run labels (needed by crossnobis)")
    parser.add_argument("--channels", default=None, metavar="NAMES",
                        help="CSV channel columns: comma-separated names or glob patterns ('v*'); by default every "
                             "other column, refusing columns that look like design variables (session, subject)")
    parser.add_argument("--normalize", action="store_true", help="divide squared distances by the channel count")
    parser.add_argument("--output", help="write the computed RDMs to this .h5 file")
    parser.set_defaults(run=run)


def _comparator(args: argparse.Namespace) -> str:
    """``--comparator``, or the deprecated ``--method`` (with a FutureWarning); spearman by default."""
    from neuroalign.compare import DEFAULT_COMPARATOR
    from neuroalign.errors import InvalidOptionError
    from neuroalign.utils.renamed import warn_renamed

    if args.legacy_method is None:
        return args.comparator or DEFAULT_COMPARATOR
    if args.comparator is not None:
        raise InvalidOptionError("give --comparator only (--method is its deprecated spelling)")
    warn_renamed("--method", "--comparator", "neuroalign rdm", stacklevel=2)
    return args.legacy_method


def run(args: argparse.Namespace) -> int:
    """Execute ``neuroalign rdm``."""
    # Imported here so that ``neuroalign --help`` does not pay for torch.
    import pandas as pd

    from neuroalign.compare import COMPARATORS, compare
    from neuroalign.io import read_patterns, read_rdms, write_rdms
    from neuroalign.io.rdm_files import check_output_path
    from neuroalign.rdm import DISTANCES, compute_rdms

    DISTANCES.canonical(args.distance)
    comparator = _comparator(args)
    if args.output:
        check_output_path(args.output)  # before any work, which a bad name would otherwise throw away
    channels = [c.strip() for c in args.channels.split(",") if c.strip()] if args.channels else None
    recording = read_patterns(args.patterns, id_column=args.id_column, run_column=args.run_column,
                              channel_columns=channels)
    targets = read_rdms(args.targets) if args.targets else None
    if targets is not None:
        COMPARATORS.canonical(comparator)  # fail on a bad name before any work
        targets.aligned_to(recording.stimulus_ids)  # fail on mismatched ids before any work
    rdms = compute_rdms(recording, args.distance, normalize=args.normalize)
    if args.output:
        write_rdms(rdms, args.output)
    print(f"{rdms.n_rdms} RDM(s) over {rdms.n_stimuli} stimuli, distance {rdms.distance}")
    if targets is None:
        print(pd.DataFrame(rdms.to_square()[0], index=rdms.stimulus_ids, columns=rdms.stimulus_ids)
              .to_string(float_format=lambda x: f"{x:.4f}"))
        return 0
    scores = compare(rdms, targets, comparator)
    table = pd.DataFrame(scores, index=_labels(rdms, "patterns"), columns=_labels(targets, "target"))
    table.index.name = comparator
    print(table.to_string(float_format=lambda x: f"{x:.4f}"))
    return 0
