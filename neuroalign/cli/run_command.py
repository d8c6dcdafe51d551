"""``neuroalign run``: score models on benchmarks (a grid), keeping every result in the results store."""

from __future__ import annotations

import argparse
import contextlib

from neuroalign.store.default_store import RESULTS_ENV
from neuroalign.cli.executor_arguments import add_executor_arguments, make_executor

__all__ = ["add_executor_arguments", "add_parser", "add_store_argument", "make_executor", "run"]


def add_store_argument(parser: argparse.ArgumentParser) -> None:
    """The ``--store`` option shared by the commands that read or write results."""
    parser.add_argument("--store", default=None, metavar="PATH_OR_URL",
                        help="results store: an SQLite file, or a shared PostgreSQL database given as "
                             "postgresql://user:password@host:port/database (default: "
                             f"${RESULTS_ENV} or ~/.local/share/neuroalign/results.sqlite)")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the ``run`` subcommand."""
    parser = subparsers.add_parser(
        "run", help="score models on benchmarks and store the results",
        description="Score every model on every benchmark (ids from `neuroalign list`). A request already in the "
                    "store is answered from it unless --force; an interrupted grid resumes where it stopped. A "
                    "request that fails does not stop the others: every failure is listed at the end (exit 1).")
    parser.add_argument("--model", "-m", action="append", required=True, dest="models", metavar="MODEL",
                        help="model id (repeat for several)")
    parser.add_argument("--benchmark", "-b", action="append", required=True, dest="benchmarks",
                        metavar="BENCHMARK", help="benchmark id (repeat for several)")
    parser.add_argument("--layer", action="append", dest="layers", metavar="LAYER",
                        help="candidate layer or glob (repeat; default: the model's main layers)")
    parser.add_argument("--device", default="auto", help="'auto', 'cpu', 'cuda', 'cuda:1'...")
    parser.add_argument("--bootstrap", type=int, default=None, help="bootstrap resamples (default: the benchmark's)")
    parser.add_argument("--seed", type=int, default=None, help="seed of the split and the bootstrap")
    parser.add_argument("--force", action="store_true", help="recompute results already in the store")
    parser.add_argument("--sweep", action="store_true",
                        help="also store each model's layer profile (every layer on every stimulus; descriptive)")
    parser.add_argument("--cache", default="default", metavar="DIR",
                        help="activation cache directory (default: the user cache; on a cluster, a shared "
                             "filesystem every worker sees)")
    add_store_argument(parser)
    add_executor_arguments(parser)
    parser.set_defaults(run=run)


def _policy(args: argparse.Namespace):
    if args.bootstrap is None and args.seed is None:
        return None
    from neuroalign.benchmarks import StatsPolicy

    base = StatsPolicy()
    return StatsPolicy(n_bootstrap=base.n_bootstrap if args.bootstrap is None else args.bootstrap,
                       seed=base.seed if args.seed is None else args.seed)


def run(args: argparse.Namespace) -> int:
    """Execute ``neuroalign run``: print one line per request, then the leaderboard of what was asked.

    Returns 1 when some requests failed (each listed on stderr with its error, after the others' results), or when
    every request was skipped (nothing could be scored).
    """
    import sys

    from neuroalign.errors.benchmarks import GridError
    from neuroalign.store.default_store import open_store
    from neuroalign.runs.grid import run as run_grid
    from neuroalign.store import format_leaderboard
    from neuroalign.utils.progress import progress_lines

    executor = make_executor(args)  # before the store is opened: bad options leave nothing behind
    store = open_store(args.store)
    failure = None
    n_requests = len(args.models) * len(args.benchmarks)
    with executor if executor is not None else contextlib.nullcontext(), \
            progress_lines(n_requests, "run") as finished:  # in a log: a line per request answered
        try:
            table = run_grid(args.models, args.benchmarks, store=store, force=args.force, layers=args.layers,
                             stats=_policy(args), device=args.device, cache=args.cache, executor=executor,
                             on_result=lambda row: finished(1, f"{row.status} {row.model} on {row.benchmark}"))
        except GridError as error:
            failure, table = error, error.table
    for row in table.itertuples():
        print(f"{row.status:8s} {row.model} on {row.benchmark}: {_detail(row)}")
    if args.sweep and failure is None:
        _print_sweeps(args, store)
    elif args.sweep:
        print("profile  layer profiles not computed: some requests failed (listed below)")
    board = store.leaderboard()
    scored = table.loc[~table.status.isin(["skipped", "failed"]), "model"]
    shown = board[board.index.isin(scored)] if len(board) else board
    print()
    print(format_leaderboard(shown))
    if failure is None and (table.status != "skipped").any():
        return 0
    sys.stdout.flush()  # the results first, then what failed
    if failure is None:  # a grid of nothing but modality mismatches scored nothing: not a success
        failure = "no request could be scored: every model x benchmark pair was skipped (the reasons are above)"
    print(f"\nneuroalign run: {failure}", file=sys.stderr)
    return 1


def _detail(row) -> str:
    """What a grid line says after ``model on benchmark:``: the raw score, why it was skipped, or what failed."""
    if row.status == "skipped":
        return row.reason
    if row.status == "failed":
        return f"FAILED, {row.reason}"
    value = f"{row.value:.3f} (raw)"
    return f"{value}, {row.reason}" if row.reason else value


def _print_sweeps(args: argparse.Namespace, store) -> None:
    """Store the layer profiles (serially, reusing the cached activations) and print each profile's best layer."""
    from neuroalign.runs.sweeps import run_sweeps

    profiles = run_sweeps(args.models, args.benchmarks, store=store, force=args.force, layers=args.layers,
                          stats=_policy(args), device=args.device, cache=args.cache)
    for (model, bench), profile in profiles.groupby(["model", "benchmark"], sort=False):
        best = profile.loc[profile.value.idxmax()]
        print(f"profile  {model} on {bench}: {len(profile)} layers, best {best.layer} {best.value:.3f} "
              "(descriptive: chosen on the same stimuli)")
