"""Database settings read from the environment."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def database_setting(name, **env):
    # A fresh process reads the settings module with `env`; only the settings are imported
    # (no app loading or management command, a fraction of `manage.py shell`'s start-up).
    result = subprocess.run(
        [sys.executable, "-c",
         f"from django.conf import settings; print(settings.DATABASES['default']['{name}'])"],
        cwd=ROOT, env={**os.environ, "DJANGO_SETTINGS_MODULE": "mathpath.settings", **env},
        capture_output=True, text=True, timeout=120, check=True,
    )
    return result.stdout.strip()


def test_server_side_cursors_can_be_turned_off_for_pgbouncer():
    assert database_setting("DISABLE_SERVER_SIDE_CURSORS") == "False"
    turned_off = database_setting("DISABLE_SERVER_SIDE_CURSORS", DISABLE_SERVER_SIDE_CURSORS="1")
    assert turned_off == "True"


def test_connections_are_kept_and_health_checked():
    assert database_setting("CONN_MAX_AGE") == "600"
    assert database_setting("CONN_HEALTH_CHECKS") == "True"
    assert database_setting("CONN_MAX_AGE", CONN_MAX_AGE="0") == "0"
