"""Every POST needs a CSRF token from this site: no token or a foreign origin gets 403."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.guards.routes import CSRF_EXEMPT, sweep

EVIL_ORIGIN = "https://evil.example"


def post_urls(samples):
    return [url for _, url in sweep(samples, keep=lambda route: route.key not in CSRF_EXEMPT)]


def csrf_client(user=None):
    """A client that enforces CSRF like a browser, holding a valid token cookie."""
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    client.get(reverse("home"))  # every page's layout hands out the token
    return client, client.cookies[settings.CSRF_COOKIE_NAME].value


@pytest.fixture(params=["anonymous", "signed in"])
def who(request, db):
    if request.param == "anonymous":
        return None
    return request.getfixturevalue("user")


def test_posts_without_a_token_are_refused_everywhere(who, samples):
    client, _ = csrf_client(who)
    for url in post_urls(samples):
        response = client.post(url, {"email": "a@example.com", "user": "1"})
        assert response.status_code == 403, f"{url} answered {response.status_code}"
        htmx = client.post(url, {"user": "1"}, headers={"HX-Request": "true"})
        assert htmx.status_code == 403, f"htmx POST {url} answered {htmx.status_code}"


def test_posts_from_another_origin_are_refused_even_with_a_valid_token(who, samples):
    client, token = csrf_client(who)
    for url in post_urls(samples):
        response = client.post(
            url,
            {"csrfmiddlewaretoken": token, "user": "1"},
            headers={"Origin": EVIL_ORIGIN, "X-CSRFToken": token, "HX-Request": "true"},
        )
        assert response.status_code == 403, f"{url} answered {response.status_code}"


def test_the_refusal_page_is_ours_and_explains_what_to_do(db):
    client, _ = csrf_client()
    response = client.post(reverse("account_login"), {"login": "a@example.com"})
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


def test_a_same_origin_post_with_the_token_gets_through(user):
    # Without this control the tests above would pass if every POST were simply broken.
    client, token = csrf_client(user)
    response = client.post(
        reverse("account_logout"),
        {"csrfmiddlewaretoken": token},
        headers={"Origin": "http://testserver"},
    )
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
