"""Helpers of the throwaway SLURM cluster (slurm_cluster.py): availability, ports, slurm.conf, clean-up.

Prototype and measurements: /work/proto/servers/NOTES.md (issue 21).
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import socket
import tempfile
import time
from pathlib import Path

REQUIRED_BINARIES = ("munged", "slurmctld", "slurmd", "sinfo", "squeue", "sbatch", "scancel", "scontrol")
DEBIAN_PACKAGES = ("slurmctld", "slurmd", "slurm-client", "munge")
# Debian puts the daemons in /usr/sbin, which a non-login root shell or a venv's PATH may lack.
SEARCH_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin", "/usr/bin"])


def which(name: str) -> str | None:
    """The path of a program, looked up in /usr/sbin and /sbin too."""
    return shutil.which(name, path=SEARCH_PATH)


def slurm_unavailable_reason() -> str | None:
    """Why a SlurmCluster cannot start here, or None. Meant for ``pytest.skip(reason)``."""
    if not sys_is_linux():
        return "SLURM test cluster needs Linux"
    missing = [b for b in REQUIRED_BINARIES if which(b) is None]
    if missing:
        return (f"SLURM/munge not installed (missing {', '.join(missing)}); install Debian's packages: "
                f"apt-get install -y --no-install-recommends {' '.join(DEBIAN_PACKAGES)} "
                "(scripts/install.sh test does it when it has apt-get and root)")
    return None


def sys_is_linux() -> bool:
    """Whether this is Linux (the daemons, /proc and prctl are)."""
    return os.uname().sysname == "Linux"


def free_ports(n: int) -> list[int]:
    """``n`` distinct TCP ports on 127.0.0.1 that were free a moment ago."""
    socks, ports = [], []
    try:
        for _ in range(n):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            socks.append(s)
            ports.append(s.getsockname()[1])
    finally:
        for s in socks:
            s.close()
    return ports


def mem_mb() -> int:
    """This machine's memory in MB (1024 where /proc/meminfo cannot be read)."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 1024


def die_with_parent() -> None:
    """In the forked child: get SIGTERM when the process that started the daemon dies (even by SIGKILL).

    Linux prctl(PR_SET_PDEATHSIG). Caveat: it fires when the *thread* that forked exits, so start the cluster
    from the main thread (pytest fixtures do). Jobs' slurmstepd processes are not covered: stop() kills them."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except OSError:
        pass


def remove_stale_dirs(base_dir: str | None = None, min_age_s: float = 600) -> list[str]:
    """Remove slurm-test-* dirs left by a test run that was SIGKILLed (its daemons died with it, see
    die_with_parent, but nothing removed the dir). A dir is stale when its slurmctld.pid is gone or names a dead
    process and slurm.conf is older than min_age_s, so a cluster that is just starting is never touched."""
    removed = []
    base = Path(base_dir or tempfile.gettempdir())
    for d in base.glob("slurm-test-*"):
        try:
            if time.time() - (d / "slurm.conf").stat().st_mtime < min_age_s:
                continue
            pid_file = d / "slurmctld.pid"
            if pid_file.exists():
                try:
                    os.kill(int(pid_file.read_text().strip()), 0)
                    continue  # alive
                except (ValueError, ProcessLookupError):
                    pass
                except PermissionError:
                    continue
            shutil.rmtree(d, ignore_errors=True)
            removed.append(str(d))
        except OSError:
            continue
    return removed


def slurm_conf(d: Path, *, nodename: str, user: str, cpus: int, real_memory_mb: int, partition: str,
               ctld_port: int, slurmd_port: int, kill_wait: int, over_time_limit: int, min_job_age: int,
               scheduler_parameters: str, extra_conf: str = "") -> str:
    """The slurm.conf of a one-node cluster living in ``d``: own munge socket, ports, state and logs."""
    return f"""\
# written by slurm_cluster.py for a throwaway test cluster
ClusterName=testcluster
SlurmctldHost={nodename}(127.0.0.1)
SlurmctldPort={ctld_port}
SlurmdPort={slurmd_port}
SlurmUser={user}
SlurmdUser={user}
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={d}/munge/munge.socket
StateSaveLocation={d}/state
SlurmdSpoolDir={d}/spool
SlurmctldPidFile={d}/slurmctld.pid
SlurmdPidFile={d}/slurmd.pid
SlurmctldLogFile={d}/log/slurmctld.log
SlurmdLogFile={d}/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
PlugStackConfig={d}/plugstack.conf
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
MailProg=/bin/true
SchedulerType=sched/backfill
SchedulerParameters={scheduler_parameters}
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SlurmdParameters=config_overrides
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
ReturnToService=2
KillWait={kill_wait}
OverTimeLimit={over_time_limit}
MinJobAge={min_job_age}
InactiveLimit=0
SlurmctldTimeout=30
SlurmdTimeout=30
MessageTimeout=10
NodeName={nodename} NodeAddr=127.0.0.1 NodeHostname={nodename} CPUs={cpus} RealMemory={real_memory_mb} State=UNKNOWN
PartitionName={partition} Nodes={nodename} Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
{extra_conf}
"""


def kill_strays(conf: Path | None) -> None:
    """Kill slurmstepd and job processes left behind (they are not children of slurmd once daemonized).

    They are recognised by SLURM_CONF=<our conf> in their initial environment, a path no other process has."""
    if conf is None:
        return
    marker = f"SLURM_CONF={conf}".encode()
    me = os.getpid()
    for attempt in range(3):
        found = []
        for pid_s in os.listdir("/proc"):
            if not pid_s.isdigit() or int(pid_s) == me:
                continue
            try:
                with open(f"/proc/{pid_s}/environ", "rb") as f:
                    if marker in f.read().split(b"\0"):
                        found.append(int(pid_s))
            except OSError:
                continue
        if not found:
            return
        for pid in found:
            try:
                os.kill(pid, signal.SIGKILL if attempt else signal.SIGTERM)
            except (ProcessLookupError, PermissionError):
                pass
        time.sleep(0.5)
