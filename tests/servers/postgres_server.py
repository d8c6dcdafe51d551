"""A throwaway PostgreSQL server for tests (Debian's postgresql package; stdlib only, no driver needed).

Usage::

    from servers.postgres_server import PostgresServer, postgres_unavailable_reason

    reason = postgres_unavailable_reason()     # None when it can run here; else a pytest.skip() reason
    with PostgresServer() as pg:
        pg.url        # postgresql://neuroalign:<password>@127.0.0.1:<port>/neuroalign_test
        pg.admin_url  # superuser over the unix socket in the temp dir (trust), for setup/inspection
        pg.psql("SELECT 1")

initdb goes into a fresh temp dir; the server listens on 127.0.0.1 only, on a free port, with its unix socket in
that dir (so it never clashes with a system cluster on 5432 or with another test's server); TCP logins need the
test role's password (scram-sha-256), the socket trusts the bootstrap superuser. PostgreSQL refuses to run as root,
so as root every server command runs as an unprivileged user (``postgres`` from the Debian package, else
``nobody``) via subprocess's user=/group=; as any other user it runs as that user. Teardown: pg_ctl stop -m fast,
then the dir is removed, also when startup failed.
"""

from __future__ import annotations

import atexit
import ctypes
import glob
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

DEBIAN_PACKAGES = ("postgresql",)  # pulls postgresql-<major> (server + initdb/pg_ctl) and postgresql-client-<major>
NEEDED = ("initdb", "postgres", "pg_ctl", "pg_isready", "psql")
RUN_AS_CANDIDATES = ("postgres", "nobody")


def find_bindir() -> Path | None:
    """The newest /usr/lib/postgresql/<major>/bin with all of NEEDED, else the dir of `pg_ctl` on PATH (other
    distros / Homebrew), else None. Debian's /usr/bin/psql is a wrapper; initdb/pg_ctl are not on PATH there."""
    cands = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name)
                   if Path(p).parent.name.isdigit() else 0, reverse=True)
    env_dir = os.environ.get("PG_BINDIR")
    if env_dir:
        cands.insert(0, env_dir)
    on_path = shutil.which("pg_ctl")
    if on_path:
        cands.append(str(Path(os.path.realpath(on_path)).parent))
    for c in cands:
        if all(os.access(Path(c) / b, os.X_OK) for b in NEEDED):
            return Path(c)
    return None


def _run_as_user() -> pwd.struct_passwd | None:
    """Who runs the server: ourselves when not root; an unprivileged account when root."""
    if os.geteuid() != 0:
        return pwd.getpwuid(os.geteuid())
    for name in RUN_AS_CANDIDATES:
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    return None


def postgres_unavailable_reason() -> str | None:
    """Why a PostgresServer cannot start here, or None. Meant for ``pytest.skip(reason)``."""
    if os.uname().sysname != "Linux" and find_bindir() is None:
        return "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found"
    if find_bindir() is None:
        return ("PostgreSQL server not installed (no initdb/pg_ctl/postgres under /usr/lib/postgresql/*/bin or on "
                f"PATH; set PG_BINDIR to point at them); Debian: apt-get install -y {' '.join(DEBIAN_PACKAGES)} "
                "(scripts/install.sh test does it when it has apt-get and root)")
    if _run_as_user() is None:
        return ("running as root and no unprivileged user to run PostgreSQL as (it refuses to run as root); "
                f"tried {', '.join(RUN_AS_CANDIDATES)}")
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent_sigint() -> None:
    # prctl(PR_SET_PDEATHSIG, SIGINT): SIGINT is PostgreSQL's "fast shutdown". Runs after the uid switch, which
    # would otherwise clear the setting. Fires when the forking *thread* exits: start from the main thread.
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGINT, 0, 0, 0)
    except OSError:
        pass


class PostgresError(RuntimeError):
    """A server command failed, or the server did not start (the message holds its log)."""


class PostgresServer:
    """A PostgreSQL server in a temporary directory on 127.0.0.1 (see the module). A context manager."""

    def __init__(self, user: str = "neuroalign", password: str | None = None, dbname: str = "neuroalign_test", *,
                 port: int | None = None, base_dir: str | None = None, keep_dir: bool = False,
                 durable: bool = False, startup_timeout: float = 30.0, settings: dict[str, str] | None = None):
        self.user = user
        self.password = password or secrets.token_urlsafe(12)
        self.dbname = dbname
        self.port = port
        self._fixed_port = port is not None
        self.base_dir = base_dir
        self.keep_dir = keep_dir
        self.durable = durable
        self.startup_timeout = startup_timeout
        self.settings = dict(settings or {})
        self.superuser = "postgres"
        self.dir: Path | None = None
        self.data: Path | None = None
        self.sockdir: Path | None = None
        self.bindir: Path | None = None
        self.proc: subprocess.Popen | None = None
        self.startup_s: float | None = None
        self.initdb_s: float | None = None
        self.teardown_s: float | None = None
        self._log = None

    # ----------------------------------------------------------------------------------------------- public API
    @property
    def url(self) -> str:
        """TCP URL of the (non-superuser) test role, owner of the test database."""
        from urllib.parse import quote
        return f"postgresql://{quote(self.user)}:{quote(self.password, safe='')}@127.0.0.1:{self.port}/{self.dbname}"

    @property
    def admin_url(self) -> str:
        """Superuser over the unix socket (trust auth): postgresql://postgres@/db?host=<sockdir>&port=<port>."""
        return f"postgresql://{self.superuser}@/{self.dbname}?host={self.sockdir}&port={self.port}"

    def psql(self, sql: str, db: str | None = None, check: bool = True) -> str:
        """Run SQL as the superuser through psql over the unix socket; returns unaligned tuples-only output."""
        res = self._run([self.bindir / "psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                         "-h", str(self.sockdir), "-p", str(self.port), "-U", self.superuser,
                         "-d", db or self.dbname, "-c", sql], check=check)
        return res.stdout

    def create_database(self, name: str) -> str:
        """A fresh database owned by the test role (about 0.1 s: cheaper than a server per test); returns its URL."""
        self.psql(f'CREATE DATABASE "{name}" OWNER "{self.user}"', db="postgres")
        return self.url.rsplit("/", 1)[0] + "/" + name

    def drop_database(self, name: str) -> None:
        """Drop it even if connections are still open (PostgreSQL 13+: WITH (FORCE))."""
        self.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', db="postgres")

    def __enter__(self) -> "PostgresServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> "PostgresServer":
        """initdb, start the server, create the test role and database; everything removed if a step fails."""
        reason = postgres_unavailable_reason()
        if reason:
            raise PostgresError(reason)
        t0 = time.monotonic()
        self.bindir = find_bindir()
        self.runas = _run_as_user()
        atexit.register(self.stop)
        try:
            self._prepare_dir()
            self._initdb()
            self._start_server()
            self._create_role_and_db()
        except BaseException:
            self.stop()
            raise
        self.startup_s = time.monotonic() - t0
        return self

    def stop(self) -> None:
        """Idempotent: pg_ctl stop -m fast (then SIGQUIT/SIGKILL if needed) and remove the dir."""
        atexit.unregister(self.stop)
        if self.dir is None:
            return
        t0 = time.monotonic()
        try:
            if self.proc is not None and self.proc.poll() is None:
                self._run([self.bindir / "pg_ctl", "stop", "-D", str(self.data), "-m", "fast", "-w", "-t", "20"],
                          check=False, timeout=30)
                try:
                    self.proc.wait(10)
                except subprocess.TimeoutExpired:
                    self.proc.send_signal(signal.SIGQUIT)  # immediate shutdown
                    try:
                        self.proc.wait(5)
                    except subprocess.TimeoutExpired:
                        self.proc.kill()
                        self.proc.wait(5)
        finally:
            self.proc = None
            if self._log:
                self._log.close()
                self._log = None
            if not self.keep_dir:
                shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None if not self.keep_dir else self.dir
            self.teardown_s = time.monotonic() - t0

    def log_tail(self, lines: int = 40) -> str:
        """The last lines of the server's log, for error messages."""
        try:
            return "\n".join((self.dir / "postgres.log").read_text(errors="replace").splitlines()[-lines:])
        except (OSError, TypeError):
            return ""

    # --------------------------------------------------------------------------------------------- internals
    def _as_server_user(self) -> dict:
        if os.geteuid() != 0:
            return {}
        return {"user": self.runas.pw_uid, "group": self.runas.pw_gid, "extra_groups": []}

    def _run(self, argv, check: bool = True, timeout: float = 60, **kw) -> subprocess.CompletedProcess:
        argv = [str(a) for a in argv]
        env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8", PGTZ="UTC")
        env.pop("PGDATA", None)
        res = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=env, cwd=self.dir,
                             **self._as_server_user(), **kw)
        if check and res.returncode != 0:
            raise PostgresError(f"{' '.join(argv)} -> rc {res.returncode}:\n{res.stderr}{res.stdout}\n"
                                f"{self.log_tail()}")
        return res

    def _prepare_dir(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="pg-test-", dir=self.base_dir))
        self.data = self.dir / "data"
        self.sockdir = self.dir / "sock"
        self.sockdir.mkdir()
        if os.geteuid() == 0:
            # The server user must own the whole tree; the test process (root) reads everything anyway.
            for p in (self.dir, self.sockdir):
                os.chown(p, self.runas.pw_uid, self.runas.pw_gid)
        # Ancestors must be searchable by the server user: mkdtemp makes 0700, and /tmp is 1777.
        os.chmod(self.dir, 0o711)
        os.chmod(self.sockdir, 0o755)
        if self.port is None:
            self.port = _free_port()

    def _initdb(self) -> None:
        t = time.monotonic()
        self._run([self.bindir / "initdb", "-D", self.data, "-U", self.superuser, "-E", "UTF8", "--no-locale",
                   "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync", "--no-instructions"])
        self.initdb_s = time.monotonic() - t
        # Only the test role, only from 127.0.0.1, only with its password. Socket: trust (dir is ours).
        (self.data / "pg_hba.conf").write_text(
            "local all all trust\n"
            "host all all 127.0.0.1/32 scram-sha-256\n")

    def _start_server(self) -> None:
        opts = {
            "listen_addresses": "127.0.0.1",
            "port": str(self.port),
            "unix_socket_directories": str(self.sockdir),
            "max_connections": "60",
            "shared_buffers": "32MB",
            "max_wal_size": "256MB",
            "logging_collector": "off",
            "log_min_messages": "warning",
            "log_timezone": "UTC",
            "timezone": "UTC",
            "password_encryption": "scram-sha-256",
            "jit": "off",  # JIT (libllvm) only costs start-up time on tiny test queries
        }
        if not self.durable:  # test data is thrown away: skip the fsyncs (much faster on slow disks)
            opts.update({"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"})
        opts.update(self.settings)
        self._launch(opts)
        deadline = time.monotonic() + self.startup_timeout
        port_retries = 0 if self._fixed_port else 3
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                # The free port found by _free_port() was taken by someone else before postgres bound it.
                if port_retries and "Address already in use" in self.log_tail():
                    port_retries -= 1
                    self.port = _free_port()
                    opts["port"] = str(self.port)
                    self._launch(opts)
                    continue
                raise PostgresError(f"postgres exited with rc {self.proc.returncode}:\n{self.log_tail()}")
            r = self._run([self.bindir / "pg_isready", "-q", "-h", "127.0.0.1", "-p", str(self.port),
                           "-d", "postgres", "-t", "1"], check=False)
            if r.returncode == 0:
                return
            time.sleep(0.1)
        raise PostgresError(f"postgres not ready after {self.startup_timeout}s:\n{self.log_tail()}")

    def _launch(self, opts: dict[str, str]) -> None:
        argv = [str(self.bindir / "postgres"), "-D", str(self.data)]
        for k, v in opts.items():
            argv += ["-c", f"{k}={v}"]
        if self._log:
            self._log.close()
        self._log = open(self.dir / "postgres.log", "wb")
        self.proc = subprocess.Popen(argv, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     cwd=self.dir, start_new_session=True, preexec_fn=_die_with_parent_sigint,
                                     env=dict(os.environ, LC_ALL="C.UTF-8"), **self._as_server_user())

    def _create_role_and_db(self) -> None:
        pw = self.password.replace("'", "''")
        ident = '"' + self.user.replace('"', '""') + '"'
        db = '"' + self.dbname.replace('"', '""') + '"'
        self.psql(f"CREATE ROLE {ident} LOGIN PASSWORD '{pw}'", db="postgres")
        self.psql(f"CREATE DATABASE {db} OWNER {ident}", db="postgres")
