"""``neuroalign data``: list, describe, fetch and validate the datasets described by manifests."""

from __future__ import annotations

import argparse

from neuroalign.data.settings import CACHE_ENV, MIRROR_ENV, OFFLINE_ENV


def _where(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--mirror", action="append", help=f"mirror directory, repeatable (default: ${MIRROR_ENV})")
    parser.add_argument("--cache", help=f"cache directory (default: ${CACHE_ENV} or the user cache)")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the ``data`` subcommand and its actions."""
    parser = subparsers.add_parser("data", help="list, describe, fetch and validate datasets",
                                   description="Datasets are described by manifests (data_manifests/*.toml); files "
                                               "are verified by sha256, read from mirrors first, then the cache, "
                                               "then downloaded unless offline.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="the datasets with a manifest, and where their files are")
    listing.add_argument("--adapters", action="store_true", help="list the registered dataset adapters instead")
    _where(listing)
    info = actions.add_parser("info", help="a dataset's manifest: source, licence, files, citation")
    info.add_argument("dataset")
    _where(info)
    fetch = actions.add_parser("fetch", help="make a dataset's files available locally (verified)")
    fetch.add_argument("dataset")
    fetch.add_argument("--file", dest="files", action="append", help="only this file (repeatable)")
    fetch.add_argument("--offline", action="store_true", default=None, help=f"never download (also ${OFFLINE_ENV})")
    _where(fetch)
    validate = actions.add_parser("validate", help="check every manifest (schema, ids, adapters, checksums)")
    validate.add_argument("paths", nargs="*", help="manifest files (default: all)")
    actions.add_parser("schema", help="print the manifest JSON Schema")
    parser.set_defaults(run=run)


def _size(n: int | None) -> str:
    if n is None:
        return "?"
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return ""


def _list(args: argparse.Namespace) -> int:
    from neuroalign.data import ManifestError, file_status, list_manifests, load_manifest
    from neuroalign.datasets.registry import DATASET_ADAPTERS

    if args.adapters:
        for name in DATASET_ADAPTERS.names():
            print(f"{name:<22} {DATASET_ADAPTERS.get(name)}")
        return 0
    broken = 0
    for dataset_id in list_manifests():
        try:  # one broken manifest must not hide the others
            manifest = load_manifest(dataset_id)
        except ManifestError as error:
            broken += 1
            print(f"{dataset_id:<28} BROKEN  {error}")
            continue
        status = file_status(manifest, mirror=args.mirror, cache=args.cache)
        here = sum(s.kind != "missing" for s in status)
        total = _size(sum(f.size or 0 for f in manifest.files))
        print(f"{dataset_id:<28} {manifest.version:<7} {manifest.modality:<5} {here}/{len(status)} files local "
              f"({total})  {manifest.title}")
    if broken:
        print(f"{broken} manifest(s) BROKEN: their datasets cannot be loaded; `neuroalign data validate` lists "
              "every problem")
    return 0


def _info(args: argparse.Namespace) -> int:
    from neuroalign.data import file_status, load_manifest

    manifest = load_manifest(args.dataset)
    print(f"{manifest.id} {manifest.version}: {manifest.title}")
    print(f"modality: {manifest.modality}   licence: {manifest.licence}   adapter: {manifest.adapter.name}")
    print(f"source: {manifest.source['description']}")
    print(f"stimuli: {manifest.stimuli['count']}; ids: {manifest.stimuli['ids']}")
    print("\n" + manifest.description + "\n\nfiles:")
    for entry, status in zip(manifest.files, file_status(manifest, mirror=args.mirror, cache=args.cache)):
        origin = entry.url or (f"{entry.archive}:{entry.member}" if entry.archive else f"by hand: {entry.origin}")
        print(f"  {entry.name}  {_size(entry.size)}  sha256 {entry.sha256}\n    from {origin}\n    "
              f"{status.kind}{'' if status.location is None else f': {status.location}'}")
    print("\ncitation:\n" + manifest.citation)
    return 0


def _fetch(args: argparse.Namespace) -> int:
    from neuroalign.data import fetch_dataset

    paths = fetch_dataset(args.dataset, args.files, mirror=args.mirror, cache=args.cache, offline=args.offline)
    for name, path in paths.items():
        print(f"{name}  {path}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from neuroalign.datasets import validate_manifests
    from neuroalign.data.manifest import manifest_paths

    paths = args.paths or manifest_paths()
    problems = validate_manifests(paths)
    for problem in problems:
        print(problem)
    print(f"{len(paths)} manifest(s) checked, {len(problems)} problem(s)")
    return 1 if problems else 0


def _schema(args: argparse.Namespace) -> int:
    import json

    from neuroalign.data.schema import MANIFEST_SCHEMA

    print(json.dumps(MANIFEST_SCHEMA, indent=2))
    return 0


_ACTIONS = {"list": _list, "info": _info, "fetch": _fetch, "validate": _validate, "schema": _schema}


def run(args: argparse.Namespace) -> int:
    """Execute ``neuroalign data ACTION``."""
    return _ACTIONS[args.action](args)
