"""The real task worker: in this process, or as separate processes sending over SMTP."""

import io
import os
import signal
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command

from tests.database import url_of_test_database

ROOT = Path(__file__).resolve().parents[1]


def run_worker(*args):
    """Run the real worker in this process until no task is due (or for --max-tasks)."""
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command(
            "db_worker", "--batch", "--no-reload", "--no-startup-delay", *args,
            stdout=io.StringIO(),
        )
    finally:
        # The worker takes over Ctrl-C for a graceful stop; give it back to pytest.
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


def run_worker_processes(smtp_port, count=2):
    """`count` worker processes at once, mailing to 127.0.0.1:smtp_port, until none is due."""
    env = {
        **os.environ,
        "DATABASE_URL": url_of_test_database(),
        "DJANGO_SETTINGS_MODULE": "mathpath.settings",
        "EMAIL_BACKEND": "smtp",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "0",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    workers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload",
             "--no-startup-delay", "--worker-id", f"worker-{n}"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for n in range(1, count + 1)
    ]
    for worker in workers:
        _, errors = worker.communicate(timeout=120)
        assert worker.returncode == 0, errors
