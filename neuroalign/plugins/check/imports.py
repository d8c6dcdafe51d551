"""The check that resolving an entry point imports no heavy library, in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys

from neuroalign.plugins.check.results import require
from neuroalign.plugins.discovery import PluginEntry
from neuroalign.plugins.groups import GROUPS

#: Libraries an entry point's module must not import: listing would pay for them on every call.
HEAVY_MODULES = ("torch", "transformers", "tensorflow", "jax")

_PROBE = """
import json, sys
from importlib.metadata import EntryPoint
EntryPoint(sys.argv[1], sys.argv[2], sys.argv[3]).load()
print(json.dumps([m for m in json.loads(sys.argv[4]) if m in sys.modules]))
"""


def heavy_imports(entry: PluginEntry, *, timeout: float = 120.0) -> list[str]:
    """The heavy modules that resolving ``entry`` imports, measured in a new Python process.

    A subprocess is the only honest measurement: in this process torch may well be imported already.
    """
    args = [sys.executable, "-c", _PROBE, entry.id, entry.value, GROUPS[entry.kind], json.dumps(HEAVY_MODULES)]
    done = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    require(done.returncode == 0, f"resolving failed in a fresh interpreter: {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def check_light_import(entry: PluginEntry) -> str:
    """Fail if the entry point's module imports any of :data:`HEAVY_MODULES` when resolved."""
    heavy = heavy_imports(entry)
    require(not heavy, f"{entry.value} imports {', '.join(heavy)} at module level; import it inside the function "
                       "that needs it")
    return f"{entry.module} imports none of {', '.join(HEAVY_MODULES)}"
