"""How much memory a new allocation may take: the machine's available memory, a container's limit, a GPU's.

Every memory preflight (extraction, a scoring task, an RDM computation) asks here, so that they agree on one
number. On Linux the machine's ``MemAvailable`` overstates what a process in a container or a SLURM job may use:
the cgroup limit (``memory.max`` in cgroup v2, ``memory.limit_in_bytes`` in v1) is lower, and the OOM killer
acts on it. The smaller of the two is returned.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from neuroalign.backend import resolve_device

#: cgroup limits at or above this are "no limit" (v1 writes 2^63 rounded down to a page).
_UNLIMITED = 2 ** 60


def _read_int(path: Path) -> int | None:
    try:
        text = path.read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None  # "max" (v2, no limit) is not a number


def _cgroup_dirs(root: Path) -> list[tuple[Path, str, str]]:
    """``(directory, limit file, usage file)`` of this process' memory cgroup, v2 first, then v1."""
    dirs = []
    try:
        lines = (root / "proc" / "self" / "cgroup").read_text().splitlines()
    except OSError:
        lines = []
    for line in lines:
        _, controllers, path = line.split(":", 2)
        relative = path.lstrip("/")
        if controllers == "":
            dirs.append((root / "sys" / "fs" / "cgroup" / relative, "memory.max", "memory.current"))
        elif "memory" in controllers.split(","):
            dirs.append((root / "sys" / "fs" / "cgroup" / "memory" / relative, "memory.limit_in_bytes",
                         "memory.usage_in_bytes"))
    return dirs


def cgroup_headroom(root: str | Path = "/") -> int | None:
    """Bytes left under this process' cgroup memory limit (limit minus usage), or ``None`` without a limit.

    Parameters
    ----------
    root : path
        The file-system root to read ``proc/self/cgroup`` and ``sys/fs/cgroup`` under (tests point it elsewhere).
    """
    root = Path(root)
    for directory, limit_name, usage_name in _cgroup_dirs(root):
        limit, usage = _read_int(directory / limit_name), _read_int(directory / usage_name)
        if limit is not None and usage is not None and limit < _UNLIMITED:
            return max(limit - usage, 0)
    return None


def available_memory() -> int | None:
    """Bytes of memory available to a new allocation, or ``None`` if unknown.

    The smaller of ``MemAvailable`` (Linux; psutil elsewhere) and the headroom under the cgroup limit.
    """
    found = []
    try:
        found += [int(line.split()[1]) * 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemAvailable:")]
    except OSError:
        pass
    if not found:
        try:
            import psutil

            found.append(int(psutil.virtual_memory().available))
        except ImportError:
            pass
    headroom = cgroup_headroom()
    if headroom is not None:
        found.append(headroom)
    return min(found) if found else None


def device_memory(device: Any) -> int | None:
    """Free bytes on a CUDA device (``torch.cuda.mem_get_info``), ``None`` for the CPU.

    Raises
    ------
    DeviceUnavailableError
        For a CUDA device where torch sees none (from :func:`neuroalign.backend.resolve_device`).
    """
    device = resolve_device(device)
    if device.type != "cuda":
        return None
    import torch  # heavy; resolve_device has imported it already

    free, _ = torch.cuda.mem_get_info(device)
    return int(free)
