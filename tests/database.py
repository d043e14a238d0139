"""The test database's address, for processes a test starts (gunicorn, task workers)."""

import urllib.parse

from django.db import connection


def url_of_test_database():
    """A DATABASE_URL for the test database (a socket directory may sit in OPTIONS)."""
    db = connection.settings_dict
    auth = f"{urllib.parse.quote(db['USER'])}:{urllib.parse.quote(db['PASSWORD'] or '')}"
    host = db["HOST"] or db["OPTIONS"].get("host", "")
    port = db["PORT"] or 5432
    if host.startswith("/"):
        return f"postgresql://{auth}@/{db['NAME']}?host={host}&port={port}"
    return f"postgresql://{auth}@{host}:{port}/{db['NAME']}"
