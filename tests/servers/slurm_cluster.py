"""A throwaway single-node SLURM cluster for tests (Debian's slurm-wlm 22.05 + munge).

Usage::

    from servers.slurm_cluster import SlurmCluster, slurm_unavailable_reason

    reason = slurm_unavailable_reason()          # None when it can run here
    with SlurmCluster(cpus=2) as cluster:         # munged + slurmctld + slurmd, node idle
        out = cluster.run("sbatch", "--parsable", "--wrap", "hostname")
        job = out.stdout.strip()
        print(cluster.wait_job(job))              # -> "COMPLETED"
        env = cluster.env                          # SLURM_CONF=... for any other client (dask-jobqueue)

Everything lives in one temp dir (config, munge key/socket, state, spool, logs); daemons run in the foreground
as children of this process, on 127.0.0.1 with free ports, so several clusters (or a system SLURM) do not clash.
Teardown cancels jobs, stops the daemons, kills any left-over slurmstepd/job process that belongs to this
cluster (found by the SLURM_CONF path in its environment) and removes the dir, also when startup failed.

Needs: Linux and the binaries munged, slurmctld, slurmd, sinfo, squeue, sbatch, scancel, scontrol (installing
them needs root). The daemons run as the current user (SlurmUser=SlurmdUser=<you>): as root here, and it was also
checked as the unprivileged user nobody, where jobs run as that same user (one user only: slurmd cannot setuid to
another job owner without root).
Debian 12: ``apt-get install -y --no-install-recommends slurmctld slurmd slurm-client munge``.
"""

from __future__ import annotations

import atexit
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from servers.slurm_setup import (SEARCH_PATH, die_with_parent, free_ports, kill_strays, mem_mb, remove_stale_dirs,
                                 slurm_conf, slurm_unavailable_reason, which)

__all__ = ["SlurmCluster", "SlurmError", "slurm_unavailable_reason"]


class SlurmError(RuntimeError):
    """A SLURM command failed, or a daemon did not start (the message holds its log)."""


class SlurmCluster:
    """Single-node SLURM cluster in a temp dir. Use as a context manager or call start()/stop()."""

    def __init__(self, cpus: int = 2, partition: str = "debug", *, real_memory_mb: int | None = None,
                 kill_wait: int = 2, over_time_limit: int = 0, min_job_age: int = 300,
                 startup_timeout: float = 60.0, base_dir: str | None = None, keep_dir: bool = False,
                 scheduler_parameters: str = "batch_sched_delay=0", extra_conf: str = "",
                 die_with_parent: bool = True):
        self.cpus = cpus
        self.die_with_parent = die_with_parent
        self.partition = partition
        self.real_memory_mb = real_memory_mb or max(256, int(mem_mb() * 0.8))
        self.kill_wait = kill_wait
        self.over_time_limit = over_time_limit
        self.min_job_age = min_job_age
        self.startup_timeout = startup_timeout
        self.base_dir = base_dir
        self.keep_dir = keep_dir
        self.scheduler_parameters = scheduler_parameters  # batch_sched_delay=0: a job starts ~1 s sooner
        self.extra_conf = extra_conf
        self.nodename = socket.gethostname().split(".")[0]
        self.user = pwd.getpwuid(os.geteuid()).pw_name  # root here; see slurm_unavailable_reason()
        self.dir: Path | None = None
        self.conf: Path | None = None
        self._procs: dict[str, subprocess.Popen] = {}
        self._logs: dict[str, object] = {}
        self.startup_s: float | None = None
        self.teardown_s: float | None = None

    # ----------------------------------------------------------------------------------------------- public API
    @property
    def env(self) -> dict[str, str]:
        """Environment for client commands (sbatch, squeue, dask-jobqueue's subprocesses)."""
        env = dict(os.environ)
        env["SLURM_CONF"] = str(self.conf)
        env["PATH"] = SEARCH_PATH
        return env

    def run(self, *cmd: str, check: bool = True, timeout: float = 30, **kw) -> subprocess.CompletedProcess:
        """Run a SLURM client command against this cluster."""
        res = subprocess.run(list(cmd), env=self.env, capture_output=True, text=True, timeout=timeout, **kw)
        if check and res.returncode != 0:
            raise SlurmError(f"{' '.join(cmd)} -> rc {res.returncode}: {res.stderr.strip() or res.stdout.strip()}")
        return res

    def sbatch(self, *args: str) -> str:
        """Submit with sbatch, return the job id."""
        return self.run("sbatch", "--parsable", *args).stdout.strip().split(";")[0]

    def job_info(self, job_id: str) -> dict[str, str]:
        """`scontrol show job` as a dict (available until MinJobAge after the job ends); {} if unknown."""
        res = self.run("scontrol", "show", "job", "-o", str(job_id), check=False)
        if res.returncode != 0:
            return {}
        info = {}
        for tok in res.stdout.split():
            if "=" in tok:
                k, v = tok.split("=", 1)
                info.setdefault(k, v)
        return info

    def job_state(self, job_id: str) -> str | None:
        """The job's ``JobState`` (``RUNNING``, ``COMPLETED``, ``CANCELLED``, ``TIMEOUT``...), or None."""
        return self.job_info(job_id).get("JobState")

    def wait_job(self, job_id: str, timeout: float = 120, poll: float = 0.5) -> str:
        """Wait until the job has ended (not PENDING/RUNNING/COMPLETING/...); return its final state."""
        end_states_exclude = {"PENDING", "CONFIGURING", "RUNNING", "COMPLETING", "SUSPENDED", "REQUEUED",
                              "RESIZING", "SIGNALING", "STAGE_OUT"}
        deadline = time.monotonic() + timeout
        state = None
        while time.monotonic() < deadline:
            state = self.job_state(job_id)
            if state and state not in end_states_exclude:
                return state
            time.sleep(poll)
        raise TimeoutError(f"job {job_id} still {state} after {timeout}s")

    def wait_state(self, job_id: str, state: str, timeout: float = 60, poll: float = 0.25) -> None:
        """Wait until the job is in ``state``; TimeoutError after ``timeout`` s."""
        deadline = time.monotonic() + timeout
        cur = None
        while time.monotonic() < deadline:
            cur = self.job_state(job_id)
            if cur == state:
                return
            time.sleep(poll)
        raise TimeoutError(f"job {job_id} is {cur}, not {state}, after {timeout}s")

    def node_state(self) -> str:
        """The node's state as sinfo shows it (``idle``, ``mixed``, ``allocated``...)."""
        return self.run("sinfo", "-h", "-N", "-n", self.nodename, "-o", "%T", check=False).stdout.strip()

    # ---------------------------------------------------------------------------------------------- lifecycle
    def __enter__(self) -> "SlurmCluster":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> "SlurmCluster":
        """Start munged, slurmctld and slurmd, and wait until the node is idle (new ports if one was taken)."""
        reason = slurm_unavailable_reason()
        if reason:
            raise SlurmError(reason)
        t0 = time.monotonic()
        remove_stale_dirs(self.base_dir)
        atexit.register(self.stop)  # a forgotten stop() or an exception outside a with-block
        for attempt in range(3):
            try:
                self._prepare_dir()
                self._start_munge()
                self._start_daemon("slurmctld", [which("slurmctld"), "-D", "-c", "-f", str(self.conf)])
                self._start_daemon("slurmd", [which("slurmd"), "-D", "-f", str(self.conf), "-N", self.nodename])
                self._wait_idle()
                break
            except SlurmError as e:
                self.stop()
                # a free port found by free_ports() was taken before the daemon bound it: new dir, new ports
                if attempt < 2 and "Address already in use" in str(e):
                    atexit.register(self.stop)
                    continue
                raise
            except BaseException:
                self.stop()
                raise
        self.startup_s = time.monotonic() - t0
        return self

    def stop(self) -> None:
        """Idempotent: cancel jobs, stop daemons, kill leftovers, remove the dir."""
        atexit.unregister(self.stop)
        if self.dir is None or (not self._procs and not self.dir.exists()):
            return
        t0 = time.monotonic()
        try:
            if self.conf is not None and self._alive("slurmctld"):
                self._cancel_all_jobs()
            for name in ("slurmd", "slurmctld", "munged"):
                self._terminate(name)
            kill_strays(self.conf)
        finally:
            for f in self._logs.values():
                try:
                    f.close()
                except Exception:
                    pass
            self._logs.clear()
            self._procs.clear()
            if self.dir is not None and not self.keep_dir:
                shutil.rmtree(self.dir, ignore_errors=True)
            self.teardown_s = time.monotonic() - t0

    # --------------------------------------------------------------------------------------------- internals
    def _prepare_dir(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="slurm-test-", dir=self.base_dir))
        # munged insists that every directory above its socket is executable by all (o+x).
        os.chmod(self.dir, 0o711)
        for sub in ("munge", "state", "spool", "log", "jobs"):
            (self.dir / sub).mkdir()
        os.chmod(self.dir / "munge", 0o711)
        os.chmod(self.dir / "jobs", 0o777)
        ctld_port, slurmd_port = free_ports(2)
        self.ctld_port, self.slurmd_port = ctld_port, slurmd_port
        d = self.dir
        (d / "plugstack.conf").write_text("")  # do not pick up /etc/slurm/plugstack.conf.d
        conf = slurm_conf(d, nodename=self.nodename, user=self.user, cpus=self.cpus,
                          real_memory_mb=self.real_memory_mb, partition=self.partition, ctld_port=ctld_port,
                          slurmd_port=slurmd_port, kill_wait=self.kill_wait, over_time_limit=self.over_time_limit,
                          min_job_age=self.min_job_age, scheduler_parameters=self.scheduler_parameters,
                          extra_conf=self.extra_conf)
        self.conf = d / "slurm.conf"
        self.conf.write_text(conf)

    def _start_munge(self) -> None:
        d = self.dir / "munge"
        key = d / "munge.key"
        # What `mungekey --create` does (1024 random bytes), without needing that tool; 0600, owned by us.
        fd = os.open(key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(os.urandom(1024))
        self._start_daemon("munged", [
            which("munged"), "--foreground", f"--socket={d}/munge.socket", f"--key-file={key}",
            f"--pid-file={d}/munged.pid", f"--seed-file={d}/munged.seed", f"--log-file={self.dir}/log/munged.log",
            "--num-threads=2"])
        sock = d / "munge.socket"
        self._wait(lambda: sock.exists(), 10, "munged socket", "munged")

    def _start_daemon(self, name: str, argv: list[str]) -> None:
        log = open(self.dir / "log" / f"{name}.stdout", "wb")
        self._logs[name] = log
        env = dict(os.environ, SLURM_CONF=str(self.conf), PATH=SEARCH_PATH)
        # Own session: a Ctrl-C in the test runner does not hit the daemons before stop() does.
        self._procs[name] = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                             env=env, cwd=self.dir, start_new_session=True,
                                             preexec_fn=die_with_parent if self.die_with_parent else None)

    def _alive(self, name: str) -> bool:
        p = self._procs.get(name)
        return p is not None and p.poll() is None

    def _wait(self, pred, timeout: float, what: str, *daemons: str) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if pred():
                return
            for name in daemons or self._procs:
                if not self._alive(name):
                    raise SlurmError(f"{name} exited (rc {self._procs[name].returncode}) while waiting for "
                                     f"{what}:\n{self.log_tail(name)}")
            time.sleep(0.2)
        raise SlurmError(f"timed out after {timeout}s waiting for {what}:\n"
                         + "\n".join(self.log_tail(n) for n in self._procs))

    def _wait_idle(self) -> None:
        self._wait(lambda: self.node_state() == "idle", self.startup_timeout, f"node {self.nodename} idle")

    def log_tail(self, name: str, lines: int = 30) -> str:
        """The last lines of a daemon's log and output, for error messages."""
        out = []
        for f in (self.dir / "log" / f"{name}.log", self.dir / "log" / f"{name}.stdout"):
            try:
                out += f.read_text(errors="replace").splitlines()[-lines:]
            except OSError:
                pass
        return f"--- {name} ---\n" + "\n".join(out)

    def queued(self) -> list[str]:
        """Ids of the jobs pending, running or completing."""
        return self.run("squeue", "-h", "-o", "%i", check=False, timeout=10).stdout.split()

    def wait_queue_empty(self) -> bool:
        """Wait (up to KillWait + 10 s) until no job is queued, running or completing; whether it emptied."""
        deadline = time.monotonic() + self.kill_wait + 10
        while time.monotonic() < deadline:
            if not self.queued():
                return True
            time.sleep(0.3)
        return False

    def _cancel_all_jobs(self) -> None:
        try:
            ids = self.queued()
            if ids:
                self.run("scancel", *ids, check=False, timeout=10)
                self.wait_queue_empty()
        except (subprocess.TimeoutExpired, OSError):
            pass

    def _terminate(self, name: str, timeout: float = 10) -> None:
        p = self._procs.get(name)
        if p is None or p.poll() is not None:
            return
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(5)
