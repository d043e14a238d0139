"""Stop and start the whole stack many times and show that nothing is ever lost or left behind.

    .venv/bin/python scripts/stack_restarts.py [--cycles 20] [--port 8765]

Uses a throw-away embedded database (MATHPATH_PGDATA in a temporary folder). Each cycle
starts `python -m mathpath.stack dev` (database, migrations, catalogue, runserver, worker),
waits for /healthz, saves one row, checks every row of the earlier cycles is there, and
stops the stack with SIGTERM, SIGINT and SIGKILL in turn, sent to its whole process group
as a terminal or a process manager would. In half the cycles a `manage.py shell` stays
attached meanwhile and queries all along; a SIGKILL cycle without a shell also kills
PostgreSQL itself (a crash), another leaves it running. After each stop:

- with no other user, the server is stopped (SIGTERM, SIGINT) or left for the next start
  to reuse or recover (SIGKILL): never an orphan after a clean stop;
- with the shell attached, the server stays up and the shell never sees an error, and when
  the shell exits the server stops.

Prints one line per cycle and exits non-zero on the first failure.
"""

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from mathpath import embedded_db  # noqa: E402

PYTHON = sys.executable
# (signal, a shell attached, PostgreSQL killed too) in turn; the first three already cover
# a clean stop under a shell, a clean stop alone and a crash of everything.
SCENARIOS = [
    (signal.SIGTERM, True, False), (signal.SIGINT, False, False),
    (signal.SIGKILL, False, True), (signal.SIGTERM, False, False),
    (signal.SIGINT, True, False), (signal.SIGKILL, True, False),
    (signal.SIGKILL, False, False),  # the server outlives its users: the next start reuses it
]
SHELL_LOOP = """
import sys, time
from django.db import connection
errors = 0
while True:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM accounts_user")
    except Exception as error:
        errors += 1
        print("shell error:", error, flush=True)
        connection.close()
    print("ok", errors, flush=True)
    time.sleep(0.2)
"""


def env_for(pgdata):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return {**env, "MATHPATH_PGDATA": str(pgdata), "DEBUG": "1"}


def manage(env, *args, **kwargs):
    return subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=120, **kwargs)


def wait_for_health(port, stack, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if stack.poll() is not None:
            raise SystemExit(f"the stack exited with {stack.returncode} before serving")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"/healthz did not answer within {timeout} s")


def wait_until(predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


def saved_markers(env):
    done = manage(env, "shell", "-v", "0", "-c",
                  "from accounts.models import User;"
                  "print(sorted(User.objects.filter(email__startswith='cycle-')"
                  ".values_list('email', flat=True)))")
    if done.returncode != 0:
        raise SystemExit(f"could not read the markers:\n{done.stderr}")
    return done.stdout.strip()


def save_marker(env, cycle):
    done = manage(env, "shell", "-v", "0", "-c",
                  f"from accounts.models import User; User.objects.create_user("
                  f"email='cycle-{cycle:02}@example.org', password=None)")
    if done.returncode != 0:
        raise SystemExit(f"could not save marker {cycle}:\n{done.stderr}")


def run(cycles, port):
    with tempfile.TemporaryDirectory(prefix="mathpath-restarts-") as tmp:
        pgdata = Path(tmp) / "pgdata"
        env = env_for(pgdata)
        expected = []
        for cycle in range(cycles):
            sig, with_shell, crashed = SCENARIOS[cycle % len(SCENARIOS)]
            started = time.monotonic()
            stack = subprocess.Popen(
                [PYTHON, "-m", "mathpath.stack", "dev", "--port", str(port)], cwd=BASE_DIR,
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            wait_for_health(port, stack)
            took = time.monotonic() - started
            markers = saved_markers(env)
            if markers != repr(expected):
                raise SystemExit(f"cycle {cycle}: expected {expected}, found {markers}")
            save_marker(env, cycle)
            expected.append(f"cycle-{cycle:02}@example.org")

            shell = None
            if with_shell:
                shell = subprocess.Popen(
                    [PYTHON, "manage.py", "shell", "-v", "0", "-c", SHELL_LOOP], cwd=BASE_DIR,
                    env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                )
                if not shell.stdout.readline().startswith("ok"):
                    raise SystemExit(f"cycle {cycle}: the shell did not connect")

            server_pid = embedded_db._server_pid(pgdata)
            os.killpg(stack.pid, sig)
            if crashed:
                os.kill(server_pid, signal.SIGKILL)
            stack.wait(timeout=60)
            if not wait_until(lambda group=str(stack.pid): subprocess.run(
                    ["pgrep", "-g", group], capture_output=True).returncode != 0, 20):
                raise SystemExit(f"cycle {cycle}: processes of the stack outlived it")

            if shell is not None:
                time.sleep(1)
                if not embedded_db.is_running(pgdata):
                    raise SystemExit(f"cycle {cycle}: the server stopped under the shell")
                shell.send_signal(signal.SIGTERM)
                output = shell.communicate(timeout=60)[0]
                if "shell error" in output:
                    raise SystemExit(f"cycle {cycle}: the attached shell saw errors:\n{output}")
            no_user_left = sig != signal.SIGKILL or shell is not None
            if no_user_left and not wait_until(lambda: not embedded_db.is_running(pgdata), 30):
                raise SystemExit(f"cycle {cycle}: PostgreSQL kept running with no user")
            left = "running (reused next)" if embedded_db.is_running(pgdata) else "stopped"
            print(f"cycle {cycle + 1:2}/{cycles}: served after {took:4.1f} s, "
                  f"{len(expected):2} rows kept, {signal.Signals(sig).name:7}"
                  f"{' + PostgreSQL killed' if crashed else ''}"
                  f"{' with a shell attached' if with_shell else ''}; server {left}",
                  flush=True)

        final = saved_markers(env)
        if final != repr(expected):
            raise SystemExit(f"at the end: expected {expected}, found {final}")
        embedded_db.stop(pgdata)
        print(f"{cycles} starts, {cycles} served, {len(expected)} of {len(expected)} rows kept.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=20)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    run(args.cycles, args.port)


if __name__ == "__main__":
    main()
