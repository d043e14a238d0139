"""Everything MathPath needs, started by one command: database, migrations, web server, worker.

    python -m mathpath.stack dev     # make run:   runserver + task worker + scheduler
    python -m mathpath.stack serve   # make serve: gunicorn (DEBUG=0) + task worker + scheduler

The embedded database (when DATABASE_URL is unset) is attached here once and handed to the
children as DATABASE_URL, so they neither start nor stop it. SIGTERM, SIGINT or SIGHUP
stop the children and then detach, which stops the database unless another MathPath
process (a `manage.py shell`, a test run) still uses it. If this process is killed with
SIGKILL, the kernel sends the children SIGTERM (PR_SET_PDEATHSIG), so nothing of it stays
behind but the database, which the next start reuses.
"""

import argparse
import contextlib
import ctypes
import os
import secrets
import signal
import subprocess
import sys
import time

from mathpath import embedded_db
from mathpath.embedded_db import BASE_DIR

PR_SET_PDEATHSIG = 1


def die_with_parent():
    """Ask the kernel for SIGTERM when the parent process dies.

    Used for this module's children and, through MATHPATH_STACK=1, by manage.py in their
    own children (runserver's and the worker's autoreloaders), so a killed stack leaves no
    server holding the port. Linux only; elsewhere children outlive a SIGKILLed parent.
    """
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def local_secret_key():
    """A key for trying production mode locally, kept in .secret_key (git-ignored).

    Kept rather than made afresh so restarts do not log everybody out. A real deployment
    sets SECRET_KEY, which always wins.
    """
    path = BASE_DIR / ".secret_key"
    if not path.exists() or len(path.read_text().strip()) < 50:
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(50) + "\n")
        print(f"Made a secret key for local use in {path}.", flush=True)
    return path.read_text().strip()


def _manage(*args):
    return [sys.executable, str(BASE_DIR / "manage.py"), *args]


def commands(mode, port):
    worker = _manage("db_worker", "--queue-name", "*", "--interval", "1")
    if mode == "dev":
        web = _manage("runserver", f"127.0.0.1:{port}")
    else:
        web = [os.path.join(os.path.dirname(sys.executable), "gunicorn"), "mathpath.wsgi",
               "--bind", f"127.0.0.1:{port}",
               "--workers", os.environ.get("WEB_CONCURRENCY", "3"),
               # Its default control socket sits in the home folder, shared by every
               # checkout on the machine; nothing here uses it.
               "--no-control-socket"]
    # Enqueues the periodic tasks of mathpath/schedule.py for the worker to run.
    scheduler = _manage("run_schedule")
    return {"web": web, "worker": worker, "scheduler": scheduler}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m mathpath.stack")
    parser.add_argument("mode", choices=["dev", "serve"])
    parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
    args = parser.parse_args(argv)

    env = {**os.environ, "MATHPATH_STACK": "1"}
    if args.mode == "serve":
        env = {"DEBUG": "0", "HTTPS": "0", "ALLOWED_HOSTS": "127.0.0.1,localhost", **env}
        if not env.get("SECRET_KEY"):
            env["SECRET_KEY"] = local_secret_key()
    stopping = []

    def stop(signum, frame):
        stopping.append(signum)

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, stop)

    if not env.get("DATABASE_URL", "").strip():
        try:
            env["DATABASE_URL"] = embedded_db.attach()
        except embedded_db.EmbeddedDatabaseError as error:
            sys.exit(f"error: {error}")
        # attach() made SIGTERM exit at once; here it must stop the children first.
        for signum in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, stop)

    # Migrate, load the catalogue, the learners' cards (and the static files to serve).
    prepare = _manage("prepare", *(["--static"] if args.mode == "serve" else []))
    if stopping:
        return 128 + stopping[0]
    if subprocess.run(prepare, env=env, preexec_fn=die_with_parent).returncode != 0:  # noqa: S603
        return 1

    children = {
        name: subprocess.Popen(command, env=env, preexec_fn=die_with_parent)  # noqa: S603
        for name, command in commands(args.mode, args.port).items()
    }
    print(f"MathPath on http://127.0.0.1:{args.port}/ with its task worker and scheduler; "
          "Ctrl-C stops them all.", flush=True)
    status = 0
    while not stopping:
        ended = [(name, child.returncode) for name, child in children.items()
                 if child.poll() is not None]
        if ended:
            name, status = ended[0]
            print(f"{name} exited with status {status}; stopping the rest.", file=sys.stderr)
            break
        time.sleep(0.2)
    for child in children.values():
        if child.poll() is None:
            child.terminate()
    deadline = time.monotonic() + 15
    for child in children.values():
        try:
            child.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    return 128 + stopping[0] if stopping else status


if __name__ == "__main__":
    sys.exit(main())
