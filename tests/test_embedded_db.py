"""The embedded PostgreSQL: started by commands, never by settings; survives any damage.

Each test uses a throw-away data folder (MATHPATH_PGDATA), never the developer's .pgdata/.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mathpath import embedded_db

ROOT = Path(__file__).resolve().parent.parent
COUNT_USERS = "from accounts.models import User; print('users:', User.objects.count())"
STAY_ATTACHED = (
    "import time; from django.db import connection; connection.ensure_connection();"
    "print('attached', flush=True); time.sleep(600)"
)


def env_for(pgdata):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return {**env, "MATHPATH_PGDATA": str(pgdata)}


def shell(pgdata, code=COUNT_USERS):
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", code], cwd=ROOT,
        env=env_for(pgdata), capture_output=True, text=True, timeout=180,
    )


def attached_shell(pgdata):
    process = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", STAY_ATTACHED], cwd=ROOT,
        env=env_for(pgdata), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert process.stdout.readline().strip() == "attached", process.stderr.read()
    return process


@pytest.fixture(scope="module")
def pgdata(tmp_path_factory):
    """A cluster made once for the module (initdb takes seconds), stopped between tests.

    Only the accounts app is migrated (with what it depends on): the users table is all the
    tests read, to show each start finds the same cluster and its data, in half the time
    of every app's migrations.
    """
    folder = tmp_path_factory.mktemp("embedded") / "pgdata"
    made = shell(folder, "from django.core.management import call_command;"
                         "call_command('migrate', 'accounts', verbosity=0)")
    assert made.returncode == 0, made.stderr
    yield folder
    embedded_db.stop(folder)


@pytest.fixture
def stopped(pgdata):
    embedded_db.stop(pgdata)
    assert not embedded_db.is_running(pgdata)
    return pgdata


def test_importing_settings_starts_no_server(tmp_path):
    folder = tmp_path / "pgdata"
    done = subprocess.run(
        [sys.executable, "-c", "import django; from django.conf import settings;"
         "django.setup(); print(settings.DATABASES['default']['NAME'])"],
        cwd=ROOT, env={**env_for(folder), "DJANGO_SETTINGS_MODULE": "mathpath.settings"},
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "mathpath"
    assert not folder.exists()


def test_a_command_starts_the_server_and_the_last_user_stops_it(stopped):
    done = shell(stopped)
    assert done.returncode == 0, done.stderr
    assert "users: 0" in done.stdout
    assert not embedded_db.is_running(stopped)


def test_the_server_stays_up_while_another_process_uses_it(stopped):
    holder = attached_shell(stopped)
    try:
        assert shell(stopped).returncode == 0
        assert embedded_db.is_running(stopped), "stopped under a process still using it"
    finally:
        holder.send_signal(signal.SIGTERM)
        holder.wait(timeout=60)
    assert not embedded_db.is_running(stopped), "SIGTERM to the last user left it running"


def test_a_user_killed_with_sigkill_does_not_keep_the_server_for_ever(stopped):
    holder = attached_shell(stopped)
    holder.kill()
    holder.wait(timeout=30)
    assert embedded_db.is_running(stopped)  # nobody could say goodbye
    assert shell(stopped).returncode == 0  # the next user finds it, and is the last one
    assert not embedded_db.is_running(stopped)


PID_FILE = "cluster/postmaster.pid"
DAMAGE = {
    "an empty postmaster.pid (a full disk)": lambda d: (d / PID_FILE).write_text(""),
    "a torn postmaster.pid": lambda d: (d / PID_FILE).write_text("12"),
    "a postmaster.pid naming a live process that is not PostgreSQL": lambda d: (
        (d / PID_FILE).write_text(f"{os.getpid()}\n{d}/cluster\n")),
    "an empty user record": lambda d: (d / "users" / str(os.getpid())).write_text(""),
    "a user record of a recycled pid": lambda d: (d / "users" / str(os.getpid())).write_text("1.0"),
    "a stray file among the user records": lambda d: (d / "users" / "junk.partial").write_text("x"),
    "an empty lock file": lambda d: (d / "lock").write_text(""),
    "a half-made cluster from a killed initdb": lambda d: (d / "cluster.partial").mkdir(),
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_the_next_command_starts_cleanly_whatever_was_left_behind(stopped, damage):
    (stopped / "users").mkdir(exist_ok=True)
    DAMAGE[damage](stopped)
    done = shell(stopped)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "users: 0" in done.stdout
    assert not embedded_db.is_running(stopped)
    assert not list((stopped / "users").iterdir()), "records of dead processes were kept"


def test_a_server_that_cannot_start_is_one_line_saying_what_to_do(stopped):
    version = stopped / "cluster" / "PG_VERSION"
    real = version.read_text()
    version.write_text("9\n")  # files PostgreSQL 18 refuses to open
    try:
        done = shell(stopped)
    finally:
        version.write_text(real)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: The embedded PostgreSQL")
    assert "delete" in lines[0] and "server.log" in lines[0]


def test_start_keeps_the_server_running_after_its_users_leave_until_stop(stopped):
    done = subprocess.run([sys.executable, "-m", "mathpath.embedded_db", "start"], cwd=ROOT,
                          env=env_for(stopped), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert shell(stopped).returncode == 0
    assert embedded_db.is_running(stopped), "the last user stopped a server held by start"
    embedded_db.stop(stopped)
    assert not embedded_db.is_running(stopped)
    assert shell(stopped).returncode == 0
    assert not embedded_db.is_running(stopped)


def test_two_checkouts_run_side_by_side(stopped, tmp_path):
    other = tmp_path / "other-checkout" / ".pgdata"
    other.parent.mkdir()
    first, second = attached_shell(stopped), attached_shell(other)
    try:
        assert embedded_db.url(stopped) != embedded_db.url(other)
        assert embedded_db.is_running(stopped) and embedded_db.is_running(other)
        # No TCP port to collide on: each server listens on its own socket only.
        listen = shell(other, "from django.db import connection; c = connection.cursor();"
                              "c.execute('SHOW listen_addresses'); print(repr(c.fetchone()[0]))")
        assert listen.stdout.strip() == "''", listen.stderr
    finally:
        for process in (first, second):
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
    deadline = time.monotonic() + 10
    while embedded_db.is_running(other) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not embedded_db.is_running(other)


def test_the_stack_survives_sigterm_sigint_and_sigkill_with_a_shell_attached():
    # The full run (20 cycles) is `scripts/stack_restarts.py`; three cycles cover a clean
    # stop under an attached shell, a clean stop alone, and a crash of everything.
    done = subprocess.run(
        [sys.executable, "scripts/stack_restarts.py", "--cycles", "3", "--port", "8766"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 starts, 3 served, 3 of 3 rows kept." in done.stdout
