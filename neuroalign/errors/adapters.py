"""Exception types of the adapters (docs/architecture.md): the data layer (manifests, checksums, files, archives),
the activation cache, the dataset adapters and the model adapters. Each names the file, field, stimulus or model at
fault and says what to do.

They derive from the base types in :mod:`neuroalign.errors`; the packages' former ``errors`` modules
(``neuroalign.data.errors``, ``neuroalign.cache.errors``, ``neuroalign.datasets.errors``,
``neuroalign.models.errors``) re-export them.
"""

from __future__ import annotations

import os

from neuroalign.errors import DataFormatError, NeuroAlignError, ShapeMismatchError, _message_as_given
from neuroalign.utils.atomic import FileWriteError


# --- the data layer: manifests, checksums, missing files, archives ---


class ManifestError(NeuroAlignError, ValueError):
    """A manifest is malformed: a missing field, a wrong type, an unknown adapter, a duplicate id.

    Parameters
    ----------
    path : path-like
        The manifest file.
    field : str
        Dotted path of the offending field (``"files[2].sha256"``); ``"<root>"`` for the whole document.
    message : str
        What is wrong and what to do.
    """

    def __init__(self, path: str | os.PathLike[str], field: str, message: str) -> None:
        self.path = os.fspath(path)
        self.field = field
        self.message = message
        super().__init__(f"{self.path}: field {field!r}: {message}")


class DataFileError(NeuroAlignError, FileNotFoundError):
    """A dataset file is missing, cannot be obtained, or does not match its manifest checksum."""

    __str__ = _message_as_given  # OSError would otherwise format (errno, strerror) pairs


class ChecksumMismatchError(DataFileError, ValueError):
    """A file's checksum differs from the manifest's (or from the one trusted on first use); the file is not kept
    as a valid copy.

    Parameters
    ----------
    path : str
        The file that was checked (or the URL it was downloaded from).
    expected, actual : str
        The manifest's digest and the file's.
    note : str, optional
        What happened to the file and what to do.
    algorithm : str
        ``"sha256"`` or ``"md5"``.
    """

    def __init__(self, path: str, expected: str, actual: str, note: str = "", *, algorithm: str = "sha256") -> None:
        self.path, self.expected, self.actual, self.note = path, expected, actual, note
        self.algorithm = algorithm
        super().__init__(f"{path} does not match its manifest: expected {algorithm} {expected}, got {actual}."
                         + (f" {note}" if note else ""))


class MissingDataError(DataFileError):
    """Files could not be found locally and could not (offline mode) or may not be downloaded."""


class DownloadError(DataFileError):
    """A download failed (network, HTTP status); nothing was kept."""


class DamagedArchiveError(DataFileError, ValueError):
    """An archive cannot be read to the end (truncated, or not the format its manifest declares).

    Parameters
    ----------
    archive : path-like
        The archive file.
    fmt : str
        The format it was read as.
    error : Exception
        The decompressor's or archive reader's error.
    """

    def __init__(self, archive: str | os.PathLike[str], fmt: str, error: BaseException) -> None:
        self.archive = os.fspath(archive)
        detail = str(error) or "unexpected end of data"
        super().__init__(f"{self.archive} cannot be read as a {fmt} archive ({type(error).__name__}: {detail}); "
                         "it is truncated or damaged. If it came from the cache or a mirror, replace it with a good "
                         "copy; if its manifest's sha256 was computed from this file, recompute it from a complete "
                         "download.")


class UnsafeArchiveError(NeuroAlignError, ValueError):
    """An archive member would land outside the extraction directory, or is a link or a device."""

    def __init__(self, archive: str | os.PathLike[str], member: str, reason: str) -> None:
        self.archive, self.member = os.fspath(archive), member
        super().__init__(f"{self.archive}: member {member!r} {reason}; refusing to extract this archive")


# --- the activation cache ---


class CacheError(NeuroAlignError, ValueError):
    """A cache file or request is unusable (unknown key, a file of another format, an ambiguous key prefix)."""


class DamagedCacheEntryError(CacheError):
    """A cache file fails its integrity check (flipped bytes, truncated, empty, missing datasets).

    Raised by the checks themselves (the cache then quarantines the file and recomputes), and to the caller only
    where that is impossible: a read-only cache, or a file damaged while it was being read.

    Parameters
    ----------
    path : path-like
        The damaged file.
    reason : str
        What is wrong with it.
    advice : str, optional
        What to do, appended to the message.
    """

    def __init__(self, path: str | os.PathLike[str], reason: str, advice: str = "") -> None:
        self.path, self.reason = os.fspath(path), reason
        super().__init__(f"damaged activation cache file {self.path}: {reason}" + (f"; {advice}" if advice else ""))


class CacheWriteError(FileWriteError):
    """Writing a cache entry failed (disk full, quota, I/O error); the message names the file."""


class DamagedCacheWarning(RuntimeWarning):
    """A damaged cache file was quarantined (renamed ``*.damaged``) and its entry is being recomputed."""


class InconsistentShapeError(ShapeMismatchError):
    """A layer gave a different number of units for one batch than for an earlier one."""


# --- dataset adapters and loaders ---


class GridMismatchError(DataFormatError, ShapeMismatchError):
    """A NIfTI image and its mask (or atlas) are not on the same voxel grid (shape or affine)."""


class NotProvidedError(NeuroAlignError, LookupError):
    """A dataset does not provide what was asked (recordings from an RDM-only dataset, or the reverse)."""

    __str__ = _message_as_given  # LookupError would otherwise quote the message like a dict key




# --- model adapters and extraction ---


class EmptyStimulusSetError(NeuroAlignError, ValueError):
    """Extraction was asked for a stimulus set without stimuli."""


class PayloadError(NeuroAlignError, ValueError):
    """A stimulus payload (image, text, audio) is missing, unreadable or of an unsupported kind.

    Parameters
    ----------
    stimulus_id : str
        The stimulus whose payload failed.
    source : object
        The file or value that could not be used.
    reason : str
        What was wrong and, where possible, what to do.
    """

    def __init__(self, stimulus_id: str, source: object, reason: str) -> None:
        self.stimulus_id = stimulus_id
        self.source = source
        super().__init__(f"stimulus {stimulus_id!r}: cannot use payload {str(source)!r}: {reason}")


class LayerCallError(NeuroAlignError, RuntimeError):
    """A hooked module ran a number of times per forward pass other than once (shared or skipped modules)."""


class StimulusModalityError(PayloadError):
    """The stimuli carry no payload of the modality the model reads (text for a vision model)."""

    def __init__(self, model_id: str, modality: str, available: tuple[str, ...], stimulus_id: str) -> None:
        self.model_id, self.modality, self.available = model_id, modality, available
        NeuroAlignError.__init__(
            self, f"model {model_id!r} reads {modality!r} stimuli, but the stimulus set has no {modality!r} payloads; "
                  f"it has {list(available)}. Give it {modality} stimuli (docs/models.md, 'Bring your own stimuli'), "
                  f"or choose a model that reads {' or '.join(map(repr, available)) or 'what the set carries'}.")
        self.stimulus_id, self.source = stimulus_id, f"<{modality} payload>"


class ModelIdError(NeuroAlignError, ValueError):
    """A model id that fits no form of the model-id grammar (a plugin id, ``hf:ORG/NAME[@REV]``, ``hf:/path``)."""


class ModelNotFoundError(NeuroAlignError, LookupError):
    """A model id names a folder that does not exist or holds no model (no ``config.json``)."""

    __str__ = _message_as_given  # LookupError would otherwise quote the message like a dict key


class HubModelNotCachedError(ModelNotFoundError):
    """A Hugging Face hub model is not in the local cache and the hub must not (or cannot) be reached."""


class UnsupportedModelError(NeuroAlignError, ValueError):
    """A transformers model type that no neuroalign adapter reads (the message lists the supported families)."""


class ModelLoadError(NeuroAlignError, RuntimeError):
    """A model folder that exists but cannot be loaded (damaged weights, a tokenizer needing a missing package)."""


class UninitializedWeightsError(NeuroAlignError, ValueError):
    """A model holds parameters that are not materialised yet (``torch.nn.LazyLinear`` and other lazy modules).

    Its weights are drawn at the first forward pass, so no hash can name them beforehand, and a cache key made before
    that pass would stand for numbers that do not exist yet.
    """
