"""Every response carries the security headers, whoever asks and whatever the status."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.guards.routes import is_private, sweep

STRICT_REFERRER_POLICIES = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}
ONE_YEAR = 365 * 24 * 60 * 60


def parse_csp(header):
    policy = {}
    for directive in filter(None, (part.strip() for part in header.split(";"))):
        name, *values = directive.split()
        policy[name] = values
    return policy


def assert_security_headers(response, *, private=False):
    where = f"{response.request['PATH_INFO']} ({response.status_code})"
    assert response.get("X-Content-Type-Options") == "nosniff", where
    assert response.get("Referrer-Policy") in STRICT_REFERRER_POLICIES, where
    assert response.get("Cross-Origin-Opener-Policy") == "same-origin", where
    assert response.get("X-Frame-Options") == "DENY", where
    policy = parse_csp(response.get("Content-Security-Policy", ""))
    assert policy.get("default-src") == ["'self'"], where
    assert policy.get("object-src") == ["'none'"], where
    assert policy.get("base-uri") == ["'none'"], where
    assert policy.get("frame-ancestors") == ["'none'"], where
    scripts = policy.get("script-src", policy["default-src"])
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, where
    assert "*" not in scripts and "data:" not in scripts, where
    if private:
        assert "no-store" in response.get("Cache-Control", ""), where


def sweep_urls(samples):
    """(url, is_private) for every route we can build a URL for, plus a missing page."""
    urls = [(url, is_private(route)) for route, url in sweep(samples)]
    urls.append(("/no/such/page/", False))
    return urls


@pytest.mark.django_db
def test_every_page_sends_security_headers_to_anonymous_visitors(client, samples):
    for url, _ in sweep_urls(samples):
        assert_security_headers(client.get(url))


@pytest.mark.django_db
def test_every_page_sends_security_headers_and_no_store_to_signed_in_learners(
    user_client, samples
):
    for url, private in sweep_urls(samples):
        assert_security_headers(user_client.get(url), private=private)


@pytest.mark.django_db
def test_every_admin_page_sends_security_headers_and_no_store_to_staff(staff_client, samples):
    admin_urls = [(url, p) for url, p in sweep_urls(samples) if url.startswith("/admin/")]
    assert admin_urls
    for url, _ in admin_urls:
        assert_security_headers(staff_client.get(url), private=True)


@pytest.mark.django_db
def test_the_500_page_sends_security_headers(settings):
    settings.ROOT_URLCONF = "tests.guards.boom_urls"
    client = Client(raise_request_exception=False)
    response = client.get("/guard-boom/")
    assert response.status_code == 500
    assert_security_headers(response)
    assert b"Traceback" not in response.content
    assert b"deliberate failure" not in response.content


@pytest.mark.django_db
def test_https_responses_carry_hsts_for_a_year_with_subdomains(settings, user, samples):
    settings.SECURE_HSTS_SECONDS = ONE_YEAR
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_SSL_REDIRECT = True
    anonymous, signed_in = Client(), Client()
    signed_in.force_login(user)
    for client in (anonymous, signed_in):
        for url, _ in sweep_urls(samples):
            response = client.get(url, secure=True)
            parts = [part.strip() for part in response["Strict-Transport-Security"].split(";")]
            assert int(parts[0].removeprefix("max-age=")) >= ONE_YEAR, url
            assert "includeSubDomains" in parts, url


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https_when_https_is_on(settings, client):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(reverse("home"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
