"""``neuroalign cache``: list, inspect and clear the activation cache."""

from __future__ import annotations

import argparse
import json

_MB = 1024 ** 2


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the ``cache`` subcommand and its ``list`` / ``info`` / ``clear`` actions."""
    parser = subparsers.add_parser(
        "cache", help="list, inspect and clear cached model activations",
        description="The activation cache holds one HDF5 file per model and stimulus set, keyed by a content hash "
                    "of the weights, preprocessing, pooling, stimuli, layers and neuroalign version.")
    parser.add_argument("--dir", default=None, help="cache directory (default: $NEUROALIGN_CACHE_DIR or "
                        "~/.cache/neuroalign/activations)")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="one line per entry: key, model, stimuli, layers, size, state "
                                              "(damaged files too, with what is wrong)")
    listing.add_argument("--verify", action="store_true", help="also hash every complete entry (reads all data)")
    actions.add_parser("verify", help="hash every complete entry against its seal and quarantine damaged ones; "
                                      "exit status 1 if any file is damaged")
    info = actions.add_parser("info", help="everything an entry was keyed on")
    info.add_argument("key", help="the entry's key or a unique prefix of it")
    clear = actions.add_parser("clear", help="delete entries (all by default)")
    clear.add_argument("--model", default=None, help="only this model id's entries")
    clear.add_argument("--partial", action="store_true", help="only unfinished (resumable or damaged partial) "
                                                              "entries")
    clear.add_argument("--damaged", action="store_true", help="only damaged and quarantined files")
    clear.add_argument("--key", default=None, help="only the entry with this key (or unique prefix)")
    parser.set_defaults(run=run)


def _state(entry) -> str:
    if entry.state == "damaged":
        return f"DAMAGED: {entry.problem}"
    if entry.complete:
        return "complete"
    return f"partial {entry.n_done}/{entry.n_stimuli}" + (f" ({entry.problem})" if entry.problem else "")


def _print_entries(entries, root) -> None:
    for e in entries:
        what = e.model_id or ("-" if e.state != "damaged" else e.path.name)
        print(f"{e.key[:12]}  {what:<28} {e.n_stimuli:>7} stimuli  {len(e.layers):>3} layers  "
              f"{e.size_bytes / _MB:>9.1f} MB  {_state(e)}")
    damaged = sum(e.state == "damaged" for e in entries)
    print(f"{len(entries)} entries, {sum(e.size_bytes for e in entries) / _MB:.1f} MB in {root}"
          + (f"; {damaged} damaged (`neuroalign cache clear --damaged` deletes them)" if damaged else ""))


def run(args: argparse.Namespace) -> int:
    """Execute ``neuroalign cache``."""
    from neuroalign.cache import ActivationCache  # imported here so ``neuroalign --help`` stays light

    cache = ActivationCache(args.dir)
    if args.action == "list":
        entries = cache.entries(verify=args.verify)
        if not entries:
            print(f"no cached activations in {cache.root}")
            return 0
        _print_entries(entries, cache.root)
        return 0
    if args.action == "verify":
        damaged = cache.verify()
        for e in damaged:
            print(f"DAMAGED {e.path}: {e.problem}")
        print(f"{len(damaged)} damaged file(s) in {cache.root}" + (" (quarantined as *.damaged; `neuroalign cache "
                                                                   "clear --damaged` deletes them)" if damaged else ""))
        return 1 if damaged else 0
    if args.action == "info":
        e = cache.find(args.key)
        print(json.dumps({"key": e.key, "path": str(e.path), "state": _state(e), "size_bytes": e.size_bytes,
                          "layers": list(e.layers), **dict(e.doc)}, indent=2, sort_keys=False, default=str))
        return 0
    if args.key:
        removed = [cache.find(args.key)]
        cache.remove(removed[0])
    else:
        removed = cache.clear(model_id=args.model, partial_only=args.partial, damaged_only=args.damaged)
    print(f"removed {len(removed)} entr{'y' if len(removed) == 1 else 'ies'} "
          f"({sum(e.size_bytes for e in removed) / _MB:.1f} MB) from {cache.root}")
    return 0
