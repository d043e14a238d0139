"""Nothing lives in one process's memory: two servers on one database act as one site.

Two gunicorn servers on two loopback ports share one PostgreSQL database, as several
hosts behind a load balancer would. A session started through one is valid on the other,
failed log-ins counted by one are counted by the other, and a check-off made through one
shows through the other.
"""

import http.cookiejar
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher

from tests.database import url_of_test_database
from tests.factories import PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parents[2]
TOO_MANY = "Too many failed login attempts"
pytestmark = pytest.mark.django_db(transaction=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def two_servers(django_db_setup, django_db_blocker):
    """Started once for the module (about five seconds); each test still gets a flushed
    database through pytestmark's transaction=True, and the servers keep nothing else."""
    with django_db_blocker.unblock():
        database_url = url_of_test_database()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        # DEBUG=1 serves static files without a collectstatic manifest; sessions, cache and
        # rate limits are configured the same either way.
        "DEBUG": "1",
        "HTTPS": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "ADMIN_REQUIRE_MFA": "0",
        "DJANGO_SETTINGS_MODULE": "mathpath.settings",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    ports = [free_port(), free_port()]
    servers = [
        subprocess.Popen(
            [gunicorn, "mathpath.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1",
             "--log-level", "critical", "--no-control-socket"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        for port in ports:
            wait_for(f"http://127.0.0.1:{port}/healthz")
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
        for server in servers:
            server.wait(timeout=30)


def wait_for(url, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not come up")


class Browser:
    """A browser behind a load balancer: one host name and one set of cookies for both.

    The Host header is the public one whichever server answers, as a load balancer passes
    it on; allauth keys its failed-log-in counts by site and address.
    """

    HOST = "127.0.0.1"

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self):
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def get(self, url):
        return self.request(url)

    def post(self, url, data, **headers):
        body = urllib.parse.urlencode(data).encode()
        return self.request(
            url, body, {"X-CSRFToken": self.csrf(), "Origin": f"http://{self.HOST}", **headers}
        )

    def request(self, url, body=None, headers=None):
        request = urllib.request.Request(  # noqa: S310 (loopback http only)
            url, data=body, headers={"Host": self.HOST, **(headers or {})}
        )
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, response.geturl(), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, url, error.read().decode()


def argon2_user(**kwargs):
    # The servers use the production hashers; the tests' fast MD5 hasher is not among them.
    user = UserFactory(**kwargs)
    user.password = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    user.save(update_fields=["password"])
    return user


def log_in(browser, server, email, password):
    browser.get(f"{server}/accounts/login/")
    return browser.post(f"{server}/accounts/login/", {"login": email, "password": password})


def test_a_session_started_on_one_server_is_valid_on_the_other(two_servers):
    one, two = two_servers
    learner = argon2_user()
    browser = Browser()
    status, landed, _ = log_in(browser, one, learner.email, PASSWORD)
    assert status == 200 and "/accounts/login/" not in landed
    status, landed, html = browser.get(f"{two}/accounts/profile/")
    assert status == 200
    assert landed.endswith("/accounts/profile/")
    assert learner.email in html


def test_failed_log_ins_counted_on_one_server_are_counted_on_the_other(two_servers):
    one, two = two_servers
    target = argon2_user()
    browser = Browser()
    for _ in range(5):
        _, _, html = log_in(browser, one, target.email, "wrong password")
        assert TOO_MANY not in html
    status, _, html = log_in(browser, two, target.email, PASSWORD)
    # Even the right password is refused now: the count lives in the shared database cache.
    assert status == 429 or TOO_MANY in html
    assert "/accounts/login/" in browser.get(f"{two}/accounts/profile/")[1]


def test_a_check_off_made_on_one_server_shows_on_the_other(two_servers):
    from catalog.models import Resource

    one, two = two_servers
    resource = Resource.objects.create(
        title="Shared state course", slug="shared-state-course", provider="Tests",
        url="https://example.org/shared", format="course", level="beginner",
        summary="Checked off through one server.",
    )
    learner = argon2_user()
    browser = Browser()
    log_in(browser, one, learner.email, PASSWORD)
    status, _, _ = browser.post(
        f"{one}/progress/{resource.slug}/status/", {"status": "done"}, **{"HX-Request": "true"}
    )
    assert status == 200
    status, _, html = browser.get(f"{two}/progress/")
    assert status == 200
    assert resource.title in html
    assert learner.progress.get(resource=resource).status == "done"
