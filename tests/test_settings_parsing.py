"""Settings come from the environment and a bad value stops start-up."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from mathpath.env import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("raw", ["1", "true", "YES", "on", " True "])
def test_env_bool_accepts_true_words(monkeypatch, raw):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG", False) is True


@pytest.mark.parametrize("raw", ["0", "false", "No", "off"])
def test_env_bool_accepts_false_words(monkeypatch, raw):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG", True) is False


@pytest.mark.parametrize("raw", ["ture", "2", "enabled", "-"])
def test_env_bool_rejects_anything_else(monkeypatch, raw):
    monkeypatch.setenv("FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match="FLAG"):
        env_bool("FLAG", False)


def test_env_bool_uses_default_when_unset(monkeypatch):
    monkeypatch.delenv("FLAG", raising=False)
    assert env_bool("FLAG", True) is True


def test_env_int_rejects_words_and_negatives(monkeypatch):
    monkeypatch.setenv("NUM", "ten")
    with pytest.raises(ImproperlyConfigured):
        env_int("NUM", 1)
    monkeypatch.setenv("NUM", "-3")
    with pytest.raises(ImproperlyConfigured):
        env_int("NUM", 1)
    monkeypatch.setenv("NUM", "42")
    assert env_int("NUM", 1) == 42


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("HOSTS", "example.org, www.example.org,,")
    assert env_list("HOSTS", []) == ["example.org", "www.example.org"]


def run_manage(*args, **env):
    full_env = {**os.environ, **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_bad_debug_value_stops_manage_py_with_a_clear_error():
    result = run_manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_production_without_secret_key_refuses_to_start():
    result = run_manage("check", DEBUG="0", SECRET_KEY="", ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="x7#Kq9!vLm2$Pz8@Rt4%Wn6^Yb3&Hc5*Jd1(Fg0)Se7-Ua2+Ik9=Ol4",
        ALLOWED_HOSTS="example.org",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_settings_pin_cookies_to_https(monkeypatch):
    result = run_manage(
        "shell",
        "-v",
        "0",
        "-c",
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, "
        "s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.SECURE_HSTS_SECONDS)",
        DEBUG="0",
        SECRET_KEY="x7#Kq9!vLm2$Pz8@Rt4%Wn6^Yb3&Hc5*Jd1(Fg0)Se7-Ua2+Ik9=Ol4",
        ALLOWED_HOSTS="example.org",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "__Host-sessionid",
        "__Host-csrftoken",
        "True",
        "True",
        "Lax",
        "31536000",
    ]


def test_mail_goes_to_the_console_in_development(settings):
    assert (
        settings.MAILERS["default"]["BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    ) or "locmem" in settings.MAILERS["default"]["BACKEND"]


def test_an_unknown_mail_backend_is_rejected():
    result = run_manage("check", EMAIL_BACKEND="pigeon")
    assert result.returncode != 0
    assert "EMAIL_BACKEND='pigeon'" in result.stderr
