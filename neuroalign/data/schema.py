"""The JSON Schema of a dataset manifest (``data_manifests/<id>.toml``).

Kept as a Python mapping so it ships with the package; ``neuroalign data schema`` prints it as JSON for editors.
Cross-file rules a schema cannot state (unique ids across manifests, registered adapters, archives referenced by
name) are checked by :func:`neuroalign.datasets.validate_manifests`.
"""

from __future__ import annotations

from typing import Any

SHA256 = {"type": "string", "pattern": "^[0-9a-f]{64}$",
          "description": "lower-case hex sha256 computed from the real file; never invented"}
MD5 = {"type": "string", "pattern": "^[0-9a-f]{32}$",
       "description": "lower-case hex md5 as the source publishes it (an OpenNeuro MD5E annex key, MNE's registry)"}
_NAME = {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9._+-]*$",
         "description": "a plain file name: no directories, no leading dot"}
_SEGMENT = r"[A-Za-z0-9][A-Za-z0-9._+-]*"
_RELPATH = {"type": "string", "pattern": rf"^{_SEGMENT}(/{_SEGMENT})*$",
            "description": "a file name or a relative path inside the dataset (sub-1/func/...): '/'-separated, "
                           "no segment starting with a dot, so no '..' and no hidden files"}
#: ``hash = "unpublished"``: the source publishes no checksum; the fetcher trusts the first download (see trust.py).
UNPUBLISHED = "unpublished"
_HASH_CHOICE = [{"required": ["sha256"]}, {"required": ["md5"]}, {"required": ["hash"]}]
#: A published hash comes with the byte size the source publishes with it (checked in manifest.py, because a
#: library's registry -- MNE's -- publishes an md5 without a size).
_SIZE_WITH_HASH: dict[str, list[str]] = {}
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
                "type": "object", "required": ["name", "url", "format"],
                "additionalProperties": False,
                "properties": {"name": _NAME, "sha256": SHA256, "md5": MD5, "hash": {"const": UNPUBLISHED},
                               "size": {"type": "integer", "minimum": 0},
                               "url": _URL, "format": {"enum": list(ARCHIVE_FORMATS)}},
                "oneOf": _HASH_CHOICE, "dependentRequired": _SIZE_WITH_HASH,
            },
        },
        "files": {
            "type": "array", "minItems": 1,
            "items": {
                "type": "object", "required": ["name"],
                "additionalProperties": False,
                "properties": {
                    "name": _RELPATH, "sha256": SHA256, "md5": MD5,
                    "hash": {"const": UNPUBLISHED, "description": "the source publishes no checksum: trusted on "
                                                                  "first download, verified on every later read"},
                    "size": {"type": "integer", "minimum": 0},
                    "description": _TEXT,
                    "url": _URL,
                    "archive": _NAME, "member": _TEXT,
                    "origin": {"type": "string", "minLength": 1,
                               "description": "where to obtain the file by hand when it has no download address"},
                },
                "allOf": [{"oneOf": [{"required": ["url"]}, {"required": ["archive", "member"]},
                                     {"required": ["origin"]}]},
                          {"oneOf": _HASH_CHOICE}],
                "dependentRequired": {"archive": ["member"], "member": ["archive"], **_SIZE_WITH_HASH},
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
        "fetcher": {
            "type": "object", "required": ["library", "dataset"], "additionalProperties": False,
            "description": "the field's own library fetches the files into its own cache (with its registry's "
                           "hashes); neuroalign then never keeps a second copy",
            "properties": {"library": {"enum": ["mne"]},
                           "dataset": {"type": "string", "pattern": "^[a-z0-9_]+$",
                                       "description": "the library's dataset name (mne.datasets.<dataset>)"},
                           "folder": _TEXT},
        },
        "adapter": {
            "type": "object", "required": ["name"], "additionalProperties": False,
            "properties": {"name": {"type": "string", "minLength": 1,
                                    "description": "a registered dataset adapter (neuroalign data list --adapters)"},
                           "params": {"type": "object", "description": "keyword arguments of the adapter"}},
        },
    },
}
