"""``neuroalign info ID``: where a model, dataset, metric or benchmark comes from, and what it is."""

from __future__ import annotations

import argparse

from neuroalign.plugins.groups import KINDS


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the ``info`` subcommand."""
    parser = subparsers.add_parser(
        "info", help="describe one registered model, dataset, metric or benchmark",
        description="Kind, providing distribution and version, entry point and full docstring; for a benchmark its "
                    "version, modality, dataset, metric, ceiling method and citation; for a dataset its manifest's "
                    "title, version and files.")
    parser.add_argument("id", help="the id, as `neuroalign list` shows it, or a model as hf:ORG/NAME[@REVISION] / "
                                   "hf:/path/to/folder (its family, source and layers, from its config)")
    parser.add_argument("--kind", choices=KINDS, help="the kind, when the id is registered for several")
    parser.set_defaults(run=run)


def format_fields(fields: list[tuple[str, str]]) -> str:
    """``field: value`` lines; a multi-line value starts on its own line, indented."""
    lines = []
    for name, value in fields:
        if "\n" in value:
            lines.append(f"{name}:")
            lines.extend(f"  {line}" for line in value.splitlines())
        else:
            lines.append(f"{name}: {value}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Execute ``neuroalign info ID``; exits 1 for a broken or conflicting plugin (after describing it)."""
    from neuroalign.models.hf.ids import is_hf_id
    from neuroalign.plugins.catalog import find_plugin
    from neuroalign.plugins.model_ids import is_features_file
    from neuroalign.plugins.details import plugin_details

    if is_hf_id(args.id):
        from neuroalign.models.hf.describe import describe_hf

        print(format_fields(describe_hf(args.id)))
        return 0
    if is_features_file(args.id) and args.kind in (None, "model"):
        from neuroalign.models.export import describe_features_file

        print(format_fields(describe_features_file(args.id)))
        return 0
    record = find_plugin(args.id, args.kind)
    print(format_fields(plugin_details(record)))
    return 1 if record.broken or record.conflict else 0
