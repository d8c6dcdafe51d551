"""The JSON Schema of a dataset manifest (``data_manifests/<id>.toml``).

Kept as a Python mapping so it ships with the package; ``neuroalign data schema`` prints it as JSON for editors.
Cross-file rules a schema cannot state (unique ids across manifests, registered adapters, archives referenced by
name) are checked by :func:`neuroalign.datasets.validate_manifests`.
"""

from __future__ import annotations

from typing import Any

SHA256 = {"type": "string", "pattern": "^[0-9a-f]{64}$",
          "description": "lower-case hex sha256 computed from the real file; never invented"}
_NAME = {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9._+-]*$",
         "description": "a plain file name: no directories, no leading dot"}
_TEXT = {"type": "string", "minLength": 1}
_URL = {"type": "string", "pattern": "^(https?|ftp|sftp|file)://", "description": "public download address"}

#: Modalities a dataset can declare (what the recordings measure).
MODALITIES = ("fmri", "meg", "eeg", "ecog", "ephys", "behaviour", "rdm", "mixed")

#: Archive formats the fetcher unpacks.
ARCHIVE_FORMATS = ("zip", "tar", "tar.gz", "tar.bz2", "tar.xz")

MANIFEST_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "neuroalign dataset manifest",
    "type": "object",
    "required": ["id", "version", "title", "description", "citation", "licence", "modality", "source", "files",
                 "stimuli", "adapter"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9_]*$",
               "description": "the dataset id; equals the manifest's file name without .toml"},
        "version": {"type": "string", "pattern": r"^\d+\.\d+\.\d+$"},
        "title": _TEXT,
        "description": _TEXT,
        "citation": {"type": "string", "pattern": r"^\s*@[A-Za-z]+\{", "description": "BibTeX entries"},
        "licence": _TEXT,
        "modality": {"enum": list(MODALITIES)},
        "source": {
            "type": "object", "required": ["description"],
            "description": "where the files come from publicly (repository and commit, package and version, DOI)",
            "properties": {"description": _TEXT, "repository": _TEXT, "commit": {"type": "string",
                           "pattern": "^[0-9a-f]{40}$"}, "package": _TEXT, "doi": _TEXT, "url": _URL},
            "additionalProperties": False,
        },
        "archives": {
            "type": "array",
            "items": {
                "type": "object", "required": ["name", "sha256", "size", "url", "format"],
                "additionalProperties": False,
                "properties": {"name": _NAME, "sha256": SHA256, "size": {"type": "integer", "minimum": 0},
                               "url": _URL, "format": {"enum": list(ARCHIVE_FORMATS)}},
            },
        },
        "files": {
            "type": "array", "minItems": 1,
            "items": {
                "type": "object", "required": ["name", "sha256", "size"],
                "additionalProperties": False,
                "properties": {
                    "name": _NAME, "sha256": SHA256, "size": {"type": "integer", "minimum": 0},
                    "description": _TEXT,
                    "url": _URL,
                    "archive": _NAME, "member": _TEXT,
                    "origin": {"type": "string", "minLength": 1,
                               "description": "where to obtain the file by hand when it has no download address"},
                },
                "oneOf": [{"required": ["url"]}, {"required": ["archive", "member"]}, {"required": ["origin"]}],
                "dependentRequired": {"archive": ["member"], "member": ["archive"]},
            },
        },
        "stimuli": {
            "type": "object", "required": ["count", "ids", "source"],
            "additionalProperties": False,
            "properties": {"count": {"type": "integer", "minimum": 1},
                           "ids": {"type": "string", "minLength": 1, "description": "how stimulus ids are formed"},
                           "source": {"type": "string", "minLength": 1,
                                      "description": "where the stimuli (and their payloads) come from"},
                           "metadata": _TEXT},
        },
        "adapter": {
            "type": "object", "required": ["name"], "additionalProperties": False,
            "properties": {"name": {"type": "string", "minLength": 1,
                                    "description": "a registered dataset adapter (neuroalign data list --adapters)"},
                           "params": {"type": "object", "description": "keyword arguments of the adapter"}},
        },
    },
}
