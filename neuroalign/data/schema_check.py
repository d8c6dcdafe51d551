"""Check a parsed manifest against :data:`~neuroalign.data.schema.MANIFEST_SCHEMA`, naming the field at fault."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import jsonschema

from neuroalign.errors.adapters import ManifestError
from neuroalign.data.schema import MANIFEST_SCHEMA

_VALIDATOR = jsonschema.Draft202012Validator(MANIFEST_SCHEMA)


def _dotted(parts: Iterable[Any]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "<root>"


def _describe(error: jsonschema.ValidationError) -> tuple[str, str]:
    """(field, message) for one schema violation, phrased for a person editing TOML."""
    where = list(error.absolute_path)
    if error.validator == "required":
        missing = [k for k in error.validator_value if k not in error.instance]
        return _dotted([*where, missing[0]]), "is required but missing"
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return _dotted([*where, extra[0]]), "is not a known field (check its spelling)"
    if error.validator == "oneOf" and {"required": ["sha256"]} in error.validator_value:
        return _dotted(where), ("needs exactly one checksum: 'sha256' or 'md5' as the source publishes it (with "
                                "'size'), or hash = \"unpublished\" when the source publishes none")
    if error.validator == "oneOf":
        return _dotted(where), "needs exactly one source: 'url', 'archive' with 'member', or 'origin'"
    if error.validator == "dependentRequired":
        return _dotted(where), error.message
    if error.validator == "type":
        return _dotted(where), f"must be of type {error.validator_value}; got {error.instance!r}"
    return _dotted(where), error.message


def check_schema(raw: Any, path: Path) -> None:
    """Raise :class:`ManifestError` for the first schema violation of ``raw`` (read from ``path``)."""
    errors = sorted(_VALIDATOR.iter_errors(raw), key=lambda e: (len(e.absolute_path), _dotted(e.absolute_path)))
    if errors:
        field, message = _describe(errors[0])
        raise ManifestError(path, field, message)


def schema_problems(raw: Any) -> list[tuple[str, str]]:
    """Every schema violation of ``raw`` as ``(field, message)`` pairs (for ``neuroalign data validate``)."""
    return [_describe(e) for e in _VALIDATOR.iter_errors(raw)]
