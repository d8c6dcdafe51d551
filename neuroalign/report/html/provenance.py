"""A stored score's provenance as a compact, collapsed ``<details>`` block."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from neuroalign.report.html.markup import MISSING, compact_json, definitions, element, esc, is_missing, text

if TYPE_CHECKING:
    from neuroalign.store import StoredResult


def _packages(environment: dict[str, Any]) -> str:
    packages = environment.get("packages") or {}
    installed = [f"{name} {version}" for name, version in sorted(packages.items()) if version]
    return esc(", ".join(installed) or MISSING)


def _hashes(files: Any) -> str:
    if not isinstance(files, dict) or not files:
        return esc(MISSING)
    return element("ul", "".join(element("li", esc(name) + ": " + text("code", digest))
                                 for name, digest in sorted(files.items())))


def _commitment(commitment: Any) -> str:
    if not isinstance(commitment, dict):
        return esc(MISSING)
    shown = {k: v for k, v in commitment.items() if k != "folds"}  # the folds are drawn as layer profiles
    return compact_json(shown)


def _or_missing(value: Any, unit: str = "") -> str:
    return esc(MISSING if is_missing(value) else f"{value}{unit}")


def provenance_block(result: "StoredResult") -> str:
    """``<details class="provenance">``: versions, weights hash, dataset file hashes, seed, parameters, timing."""
    p = result.provenance
    environment = p.get("environment") if isinstance(p.get("environment"), dict) else {}
    dataset = p.get("dataset")
    if dataset and p.get("dataset_version"):
        dataset = f"{dataset} (version {p['dataset_version']})"
    duration = None if result.duration_s is None else f"{result.duration_s:.2f}"
    items = [
        ("request key", text("code", result.request_key)),
        ("model fingerprint (weights hash)", compact_json(p["model_fingerprint"]) if "model_fingerprint" in p
         else esc(MISSING)),
        ("dataset", _or_missing(dataset)),
        ("dataset file hashes (sha256)", _hashes(p.get("dataset_files"))),
        ("seed", _or_missing(result.seed)),
        ("parameters", compact_json(result.parameters)),
        ("commitment", _commitment(p.get("commitment"))),
        ("layers considered", _or_missing(", ".join(map(str, p.get("layers_considered") or ())) or None)),
        ("started", _or_missing(result.started_at)),
        ("duration", _or_missing(duration, " s")),
        ("stored", esc(result.created_at)),
        ("python", _or_missing(" ".join(str(environment[k]) for k in ("python_implementation", "python")
                                        if environment.get(k)) or None)),
        ("platform", _or_missing(environment.get("platform"))),
        ("packages", _packages(environment)),
    ]
    return element("details", text("summary", "Provenance") + definitions(items), class_="provenance")
