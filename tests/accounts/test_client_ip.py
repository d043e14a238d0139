"""The client's address comes from a trusted proxy only, and one IP cannot lock others out.

Rate limits, the audit log and the sessions list all take the address from allauth's
get_client_ip, configured by TRUSTED_PROXY_COUNT or CLIENT_IP_HEADER.
"""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.usersessions.models import UserSession
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from mathpath.env import env_header_name
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
TOO_MANY = "Too many failed login attempts. Try again later."


def fail_log_in(browser, email, **headers):
    return browser.post(
        "/accounts/login/", {"login": email, "password": "wrong password!"}, **headers
    )


def logged_ips(caplog):
    return [
        r.getMessage().rsplit("ip=", 1)[1]
        for r in caplog.records
        if r.name == "mathpath.auth" and "ip=" in r.getMessage()
    ]


@pytest.fixture
def auth_log(caplog):
    caplog.set_level(logging.INFO, logger="mathpath.auth")
    return caplog


def test_a_forged_x_forwarded_for_is_ignored_when_no_proxy_is_trusted(client, auth_log, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/m/ip"}
    for n in range(3):
        fail_log_in(client, f"someone{n}@example.com", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert logged_ips(auth_log) == ["127.0.0.1"] * 3
    # A new made-up address each time does not escape the per-IP limit.
    response = fail_log_in(client, "someone9@example.com", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert TOO_MANY in response.content.decode()


def test_behind_one_trusted_proxy_the_address_it_appended_is_the_clients(
    auth_log, settings, learner
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/m/ip"}
    # Every request reaches Django from the balancer (REMOTE_ADDR); the balancer appends
    # the address it saw to whatever X-Forwarded-For the client sent.
    attacker = Client(REMOTE_ADDR="10.0.0.2")
    for n in range(3):
        fail_log_in(
            attacker, f"someone{n}@example.com", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.9"
        )
    assert logged_ips(auth_log) == ["203.0.113.9"] * 3
    forged = fail_log_in(
        attacker, "someone9@example.com", HTTP_X_FORWARDED_FOR="198.51.100.9, 203.0.113.9"
    )
    assert TOO_MANY in forged.content.decode()

    # Someone else behind the same balancer is a different client, not the attacker.
    colleague = Client(REMOTE_ADDR="10.0.0.2")
    response = colleague.post(
        "/accounts/login/",
        {"login": learner.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="192.0.2.7",
    )
    assert response.status_code == 302
    assert logged_ips(auth_log)[-1] == "192.0.2.7"
    assert UserSession.objects.get(user=learner).ip == "192.0.2.7"


def test_a_trusted_client_ip_header_is_used_and_x_forwarded_for_ignored(
    client, auth_log, settings, learner
):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    fail_log_in(
        client,
        "someone@example.com",
        HTTP_X_REAL_IP="203.0.113.20",
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    assert logged_ips(auth_log) == ["203.0.113.20"]
    # Without the header there is no address to count under: refused, not shared.
    response = client.post("/accounts/login/", {"login": learner.email, "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_many_failures_against_one_account_do_not_lock_out_another_behind_the_same_ip(
    client, learner
):
    colleague = UserFactory(email="grace@example.com")
    # More than the old per-IP limits (10 failures, 30 log-in posts a minute), all from
    # the one address the whole office shares.
    for _ in range(35):
        fail_log_in(client, learner.email)

    response = Client().post("/accounts/login/", {"login": colleague.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.wsgi_request.user == colleague

    # The attacked account is still protected by its own limit.
    victim = Client()
    response = victim.post("/accounts/login/", {"login": learner.email, "password": PASSWORD})
    assert TOO_MANY in response.content.decode()
    assert "_auth_user_id" not in victim.session


def test_env_header_name_accepts_header_names_only(monkeypatch):
    monkeypatch.setenv("HEADER", " X-Real-IP ")
    assert env_header_name("HEADER") == "X-Real-IP"
    monkeypatch.setenv("HEADER", "")
    assert env_header_name("HEADER") is None
    for bad in ["X_Real_IP", "X-Real-IP: 1.2.3.4", "-X", "X Real IP"]:
        monkeypatch.setenv("HEADER", bad)
        with pytest.raises(ImproperlyConfigured, match="HEADER"):
            env_header_name("HEADER")


def client_ip_in_a_fresh_process(**env):
    """Start Django with `env` and ask accounts.signals.client_ip about one proxied request.

    The request came from the balancer at 10.0.0.2; the client wrote 198.51.100.1 into
    X-Forwarded-For and the balancer appended the address it saw, 203.0.113.9 (and also
    put it in X-Real-IP). Returns (exit code, output).
    """
    full_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mathpath.settings", **env}
    for name in ["TRUSTED_PROXY_COUNT", "CLIENT_IP_HEADER"]:
        if name not in env:
            full_env.pop(name, None)
    code = """
import django
django.setup()
from django.test import RequestFactory
from accounts.signals import client_ip
print(client_ip(RequestFactory().get(
    "/", REMOTE_ADDR="10.0.0.2",
    HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9", HTTP_X_REAL_IP="203.0.113.9",
)))
"""
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=full_env, capture_output=True, text=True
    )
    return result.returncode, result.stdout.strip() + result.stderr


def test_the_environment_says_which_proxy_to_trust_and_is_parsed_strictly():
    assert client_ip_in_a_fresh_process() == (0, "10.0.0.2")
    assert client_ip_in_a_fresh_process(TRUSTED_PROXY_COUNT="1") == (0, "203.0.113.9")
    assert client_ip_in_a_fresh_process(CLIENT_IP_HEADER="X-Real-IP") == (0, "203.0.113.9")
    returncode, output = client_ip_in_a_fresh_process(TRUSTED_PROXY_COUNT="one")
    assert returncode != 0 and "TRUSTED_PROXY_COUNT='one' is not a whole number" in output
    returncode, output = client_ip_in_a_fresh_process(CLIENT_IP_HEADER="X_REAL_IP")
    assert returncode != 0 and "CLIENT_IP_HEADER='X_REAL_IP' is not an HTTP header" in output
    returncode, output = client_ip_in_a_fresh_process(
        TRUSTED_PROXY_COUNT="1", CLIENT_IP_HEADER="X-Real-IP"
    )
    assert returncode != 0 and "not both" in output
