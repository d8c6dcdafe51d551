"""``neuroalign extract MODEL STIMULI -o OUT.h5``: a model's activations over your stimuli, into one file."""

from __future__ import annotations

import argparse
from typing import Any

#: ``--pooling`` values: one pooling for every layer, or ``PATTERN=POOLING`` pairs.
_POOLING_HELP = ("pooling of every layer (flatten, spatial_mean, token_mean, first_token, last_token), or "
                 "PATTERN=POOLING per layer (repeat); default: the model's per layer (docs/models.md)")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the ``extract`` subcommand."""
    parser = subparsers.add_parser(
        "extract", help="extract a model's activations over stimuli into an HDF5 file",
        description="Run MODEL over STIMULI and write one HDF5 file: a dataset per layer, the stimulus ids, and as "
                    "attributes the model id, its revision and commit, the pooling and the versions. Batches "
                    "stream through the activation cache, so an interrupted run (even kill -9) resumes where it "
                    "stopped and a repeated one is instant. The file reads back as a model: `neuroalign run -m "
                    "OUT.h5 -b BENCHMARK` scores it anywhere.",
        epilog="MODEL: a plugin id (neuroalign list models), hf:ORG/NAME[@REVISION], hf:/path/to/folder. STIMULI: a "
               "folder of images (or WAV files), a .tsv/.csv/.txt table of sentences or files, an .h5/.npz array "
               "of images, or a dataset id. See docs/models.md.")
    parser.add_argument("model", metavar="MODEL", help="the model id")
    parser.add_argument("stimuli", metavar="STIMULI", help="folder, table, image array or dataset id")
    parser.add_argument("-o", "--output", required=True, metavar="OUT",
                        help="the HDF5 file to write (a folder with --format npz or rsatoolbox)")
    parser.add_argument("--layers", nargs="+", metavar="LAYER", help="layer names or globs (default: the model's "
                                                                      "main layers)")
    parser.add_argument("--pooling", action="append", metavar="POOLING", help=_POOLING_HELP)
    parser.add_argument("--batch-size", type=int, default=None, metavar="N", help="stimuli per forward pass")
    parser.add_argument("--device", default="auto", help="'auto' (CUDA when available), 'cpu', 'cuda', 'cuda:1'...")
    parser.add_argument("--dtype", default=None, choices=("float32", "float16", "bfloat16", "auto"),
                        help="weights dtype of an hf: model (default float32)")
    parser.add_argument("--cache", default="default", metavar="DIR",
                        help="activation cache directory, or 'none' (default: the user cache)")
    parser.add_argument("--format", default="hdf5", choices=("hdf5", "npz", "rsatoolbox"),
                        help="hdf5 (one file), npz (one file per layer) or rsatoolbox (one Dataset file per layer)")
    parser.set_defaults(run=run)


def parse_pooling(values: list[str] | None) -> Any:
    """``None``, one pooling name, or ``{pattern: pooling}`` from ``--pooling`` values.

    Raises
    ------
    ValueError
        When a single name is mixed with ``PATTERN=POOLING`` pairs.
    """
    if not values:
        return None
    pairs = [v.partition("=") for v in values]
    if all(sep for _, sep, _ in pairs):
        return {pattern: how for pattern, _, how in pairs}
    if len(values) == 1:
        return values[0]
    raise ValueError(f"--pooling takes one pooling name, or PATTERN=POOLING pairs; got {values}")


def run(args: argparse.Namespace) -> int:
    """Execute ``neuroalign extract``; prints what was written."""
    from neuroalign.benchmarks.extract import extract

    cache = None if args.cache == "none" else args.cache
    acts = extract(args.model, args.stimuli, args.output, layers=args.layers, pooling=parse_pooling(args.pooling),
                   batch_size=args.batch_size, device=args.device, dtype=args.dtype, cache=cache, format=args.format)
    units = ", ".join(f"{name} ({acts.n_units(name)})" for name in acts.layer_names)
    print(f"{acts.model_id}: {len(acts.stimulus_ids)} stimuli x {len(acts.layer_names)} layers -> {args.output}")
    print(f"layers (units): {units}")
    return 0
