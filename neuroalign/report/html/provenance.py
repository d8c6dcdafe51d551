"""A stored score's provenance as ``(term, value)`` items for the page's collapsed provenance block.

A value is plain text, or a :class:`Code` (drawn in ``<code>``), or a list of ``(name, digest)`` pairs (file
hashes); the template escapes all of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from neuroalign.report.html.markup import MISSING, compact_json, is_missing

if TYPE_CHECKING:
    from neuroalign.store import StoredResult


@dataclass(frozen=True)
class Code:
    """Text drawn as code (a key, a hash, JSON)."""

    text: str


def _packages(environment: dict[str, Any]) -> str:
    packages = environment.get("packages") or {}
    return ", ".join(f"{name} {version}" for name, version in sorted(packages.items()) if version) or MISSING


def _hashes(files: Any) -> Any:
    if not isinstance(files, dict) or not files:
        return MISSING
    return sorted((str(name), str(digest)) for name, digest in files.items())


def _commitment(commitment: Any) -> Any:
    if not isinstance(commitment, dict):
        return MISSING
    return Code(compact_json({k: v for k, v in commitment.items() if k != "folds"}))  # folds are drawn


def _revision(provenance: dict[str, Any], fingerprint: Any) -> Any:
    """A hub model's revision (commit), where the fingerprint or the provenance records one."""
    if isinstance(fingerprint, dict) and fingerprint.get("revision"):
        return fingerprint["revision"]
    return provenance.get("revision")


def _or_missing(value: Any, unit: str = "") -> str:
    return MISSING if is_missing(value) else f"{value}{unit}"


def provenance_items(result: "StoredResult") -> list[tuple[str, Any]]:
    """Versions, revision, weights hash (fingerprint), dataset file hashes, seed, parameters, time and duration."""
    p = result.provenance
    environment = p.get("environment") if isinstance(p.get("environment"), dict) else {}
    dataset = p.get("dataset")
    if dataset and p.get("dataset_version"):
        dataset = f"{dataset} (version {p['dataset_version']})"
    duration = None if result.duration_s is None else f"{result.duration_s:.2f}"
    fingerprint = p.get("model_fingerprint", result.parameters.get("model_fingerprint"))
    return [
        ("request key", Code(result.request_key)),
        ("benchmark version", result.benchmark_version),
        ("model fingerprint (weights hash)", MISSING if fingerprint is None else Code(compact_json(fingerprint))),
        ("model revision", _or_missing(_revision(p, fingerprint))),
        ("dataset", _or_missing(dataset)),
        ("dataset file hashes (sha256)", _hashes(p.get("dataset_files"))),
        ("seed", _or_missing(result.seed)),
        ("parameters", Code(compact_json(result.parameters))),
        ("commitment", _commitment(p.get("commitment"))),
        ("layers considered", _or_missing(", ".join(map(str, p.get("layers_considered") or ())) or None)),
        ("started", _or_missing(result.started_at)),
        ("duration", _or_missing(duration, " s")),
        ("stored", result.created_at),
        ("neuroalign", _or_missing((environment.get("packages") or {}).get("neuroalign"))),
        ("python", _or_missing(" ".join(str(environment[k]) for k in ("python_implementation", "python")
                                        if environment.get(k)) or None)),
        ("platform", _or_missing(environment.get("platform"))),
        ("packages", _packages(environment)),
    ]
