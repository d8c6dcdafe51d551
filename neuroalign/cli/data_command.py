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
    fetch.add_argument("--subjects", type=_labels, help="only these subjects' files (BIDS sub-<label>; 1,2)")
    fetch.add_argument("--sessions", type=_labels, help="only these sessions' files (BIDS ses-<label>)")
    fetch.add_argument("--runs", type=_labels, help="only these runs' files (BIDS run-<index>; 1,2 matches run-01)")
    fetch.add_argument("--dry-run", action="store_true", help="list the files that would be fetched, fetch none")
    fetch.add_argument("--no-progress", dest="progress", action="store_false", help="no download progress bars")
    fetch.add_argument("--offline", action="store_true", default=None, help=f"never download (also ${OFFLINE_ENV})")
    _where(fetch)
    validate = actions.add_parser("validate", help="check every manifest (schema, ids, adapters, checksums) and say "
                                                   "which files a published hash verifies")
    validate.add_argument("paths", nargs="*", help="manifest files (default: all)")
    validate.add_argument("--cache", help=f"cache directory holding trust records (default: ${CACHE_ENV})")
    actions.add_parser("schema", help="print the manifest JSON Schema")
    parser.set_defaults(run=run)


def _labels(text: str) -> list[str]:
    """``"1,2"`` -> ``["1", "2"]`` (subject, session and run labels)."""
    labels = [part.strip() for part in text.split(",") if part.strip()]
    if not labels:
        raise argparse.ArgumentTypeError(f"expected labels separated by commas, got {text!r}")
    return labels


def _size(n: int | None) -> str:
    if n is None:
        return "?"
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return ""


def _list(args: argparse.Namespace) -> int:
    from neuroalign.data import ManifestError, list_manifests, load_manifest
    from neuroalign.data.coverage import hash_coverage
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
        sizes = [f.size for f in manifest.files]
        total = _size(sum(n or 0 for n in sizes)) + ("+" if None in sizes else "")
        print(f"{dataset_id:<28} {manifest.version:<7} {manifest.modality:<5} {total:>9}  {_presence(manifest, args)}"
              f"\n    {manifest.title}\n    licence: {manifest.licence}   hashes: "
              f"{hash_coverage(manifest, cache=args.cache).summary()}")
    if broken:
        print(f"{broken} manifest(s) BROKEN: their datasets cannot be loaded; `neuroalign data validate` lists "
              "every problem")
    return 0


def _presence(manifest, args: argparse.Namespace) -> str:
    """``"on this machine"``, ``"3/12 files here"`` or ``"not on this machine"``."""
    from neuroalign.data import file_status
    from neuroalign.data.library import library_present

    if manifest.fetcher:
        return "on this machine (MNE)" if library_present(manifest) else "not on this machine"
    status = file_status(manifest, mirror=args.mirror, cache=args.cache)
    here = sum(s.kind != "missing" for s in status)
    if here == len(status):
        return "on this machine"
    return f"{here}/{len(status)} files here" if here else "not on this machine"


def _info(args: argparse.Namespace) -> int:
    from neuroalign.data import file_status, load_manifest
    from neuroalign.data.coverage import hash_coverage

    manifest = load_manifest(args.dataset)
    print(f"{manifest.id} {manifest.version}: {manifest.title}")
    print(f"modality: {manifest.modality}   licence: {manifest.licence}   adapter: {manifest.adapter.name}")
    print(f"source: {manifest.source['description']}")
    if manifest.fetcher:
        from neuroalign.data.library import library_description, library_present

        where = library_present(manifest)
        state = f"present: {where}" if where else "not on this machine"
        print(f"fetcher: {library_description(manifest)}\n    {state}")
    print(f"stimuli: {manifest.stimuli['count']}; ids: {manifest.stimuli['ids']}")
    print(f"hashes: {hash_coverage(manifest, cache=args.cache).summary()}")
    print("\n" + manifest.description + "\n\nfiles:")
    for entry, status in zip(manifest.files, file_status(manifest, mirror=args.mirror, cache=args.cache)):
        origin = entry.url or (f"{entry.archive}:{entry.member}" if entry.archive else f"by hand: {entry.origin}")
        print(f"  {entry.name}  {_size(entry.size)}  {entry.hash_spec}\n    from {origin}\n    "
              f"{status.kind}{'' if status.location is None else f': {status.location}'}")
    print("\ncitation:\n" + manifest.citation)
    return 0


def _fetch(args: argparse.Namespace) -> int:
    from neuroalign.data import fetch_dataset, load_manifest
    from neuroalign.data.subsets import select_files

    manifest = load_manifest(args.dataset)
    if manifest.fetcher:
        from neuroalign.data.library import library_data_path, library_description

        print(f"{manifest.id}: {library_description(manifest)}")
        print(library_data_path(manifest, offline=args.offline))
        return 0
    chosen = {"subjects": args.subjects, "sessions": args.sessions, "runs": args.runs}
    if args.dry_run:
        names = args.files or [f.name for f in manifest.files]
        names = select_files(manifest.id, names, **chosen) if any(v is not None for v in chosen.values()) else names
        for name in names:
            entry = manifest.file(name)
            print(f"{name}  {_size(entry.size)}  {entry.hash_spec}")
        print(f"{len(names)} file(s), {_size(sum(manifest.file(n).size or 0 for n in names))}")
        return 0
    paths = fetch_dataset(manifest, args.files, mirror=args.mirror, cache=args.cache, offline=args.offline,
                          progress=args.progress, **chosen)
    for name, path in paths.items():
        print(f"{name}  {path}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from neuroalign.data.coverage import hash_coverage
    from neuroalign.data.manifest import manifest_paths, read_manifest_file
    from neuroalign.datasets import validate_manifests

    paths = args.paths or manifest_paths()
    problems = validate_manifests(paths)
    for problem in problems:
        print(problem)
    broken = {str(p.path) for p in problems}
    print("hash coverage (published: checked against the hash the source publishes; trust on first use: the sha256 "
          "seen on the first download is recorded and every later read is checked against it):")
    for path in paths:
        if str(path) not in broken:
            print("\n".join(hash_coverage(read_manifest_file(path), cache=args.cache).lines()))
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
