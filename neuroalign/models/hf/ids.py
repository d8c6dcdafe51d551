"""The ``hf:`` model-id grammar: a Hugging Face hub id or a local ``save_pretrained`` folder.

- ``hf:ORG/NAME`` (or ``hf:NAME``): a hub repository at ``main``; ``hf:ORG/NAME@REVISION`` at a branch, a tag or
  a full 40-hex commit.
- ``hf:/abs/path``, ``hf:./rel/path``, ``hf:../rel/path``, ``hf:~/path``: a local folder (an ``@`` or ``#`` in a
  local path is part of the path when that path exists).
- ``#image`` / ``#text`` at the end picks one read of an image-text dual encoder
  (``hf:openai/clip-vit-base-patch32#text``).

A relative folder written like a hub id (``hf:models/bert`` while ``./models/bert`` exists) is refused as ambiguous:
write ``hf:./models/bert`` for the folder.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from neuroalign.errors.adapters import ModelIdError

PREFIX = "hf:"
#: The reads of an image-text dual encoder, in the order a model id without ``#READ`` offers them.
READS = ("image", "text")
_REPO = re.compile(r"^[A-Za-z0-9][\w.-]*(/[A-Za-z0-9][\w.-]*)?$")
_LOCAL_STARTS = ("/", "./", "../", "~")

GRAMMAR = ("hf:ORG/NAME[@REVISION] (a Hugging Face hub model), hf:/path/to/folder or hf:./folder (a local "
           "save_pretrained folder); add #image or #text to pick one read of an image-text model")


@dataclass(frozen=True)
class HFModelRef:
    """A parsed ``hf:`` id.

    Attributes
    ----------
    repo_id : str or None
        ``"ORG/NAME"`` for a hub model; None for a local folder.
    revision : str or None
        The revision asked for (None: ``main``).
    path : Path or None
        The absolute folder of a local model; None for a hub model.
    read : str or None
        ``"image"`` or ``"text"`` when the id picks one read of a dual encoder.
    """

    repo_id: str | None
    revision: str | None
    path: Path | None
    read: str | None = None

    @property
    def local(self) -> bool:
        """Whether the id names a local folder."""
        return self.path is not None

    @property
    def base_id(self) -> str:
        """The canonical id without the read: ``hf:ORG/NAME[@REV]`` or ``hf:/absolute/path``."""
        if self.path is not None:
            return f"{PREFIX}{self.path}"
        return f"{PREFIX}{self.repo_id}" + (f"@{self.revision}" if self.revision else "")

    @property
    def model_id(self) -> str:
        """The canonical id, with ``#READ`` when one read was picked."""
        return self.base_id + (f"#{self.read}" if self.read else "")


def is_hf_id(text: object) -> bool:
    """Whether ``text`` uses the ``hf:`` form."""
    return isinstance(text, str) and text.startswith(PREFIX)


def _split_read(body: str) -> tuple[str, str | None]:
    head, sep, tail = body.rpartition("#")
    if sep and tail in READS:
        return head, tail
    return body, None


def parse_hf_id(text: str) -> HFModelRef:
    """Parse an ``hf:`` model id (the grammar is in this module's docstring).

    Raises
    ------
    ModelIdError
        For text that is not an ``hf:`` id, a malformed hub id, an empty revision, or a relative folder written
        like a hub id.
    """
    if not is_hf_id(text):
        raise ModelIdError(f"{text!r} is not an hf: model id; write {GRAMMAR}")
    body = text[len(PREFIX):]
    if body.startswith(_LOCAL_STARTS) or body in (".", ".."):
        folder = Path(os.path.expanduser(body)).absolute()
        if folder.exists():  # a '#' that belongs to an existing path is part of it
            return HFModelRef(None, None, Path(os.path.normpath(folder)))
        head, read = _split_read(body)
        return HFModelRef(None, None, Path(os.path.normpath(Path(os.path.expanduser(head)).absolute())), read)
    head, read = _split_read(body)
    repo, at, revision = head.partition("@")
    if not _REPO.match(repo) or (at and not revision) or "@" in revision:
        raise ModelIdError(f"{text!r} is not a valid hf: model id; write {GRAMMAR}")
    if os.path.isdir(repo):
        raise ModelIdError(f"{text!r} is ambiguous: it reads as the hub model {repo!r}, but ./{repo} is a folder "
                           f"here. Write hf:./{repo} for the folder, or run from another directory for the hub model")
    return HFModelRef(repo, revision or None, None, read)
