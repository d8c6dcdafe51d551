"""Where the activation cache lives by default."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "NEUROALIGN_CACHE_DIR"


def default_cache_dir() -> Path:
    """``$NEUROALIGN_CACHE_DIR``, else ``$XDG_CACHE_HOME/neuroalign/activations`` (``~/.cache`` by default)."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "neuroalign" / "activations"
