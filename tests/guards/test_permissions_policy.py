"""Every response switches off the powerful browser features the site never uses."""

import pytest
from django.test import Client

from tests.guards.routes import sweep

# The ones named in issue 14; the setting turns off more.
MUST_BE_OFF = {"camera", "microphone", "geolocation", "payment", "usb", "display-capture"}


def parse_permissions_policy(header):
    """{'camera': '()', ...} from "camera=(), geolocation=()" (a structured-field dict)."""
    policy = {}
    for item in filter(None, (part.strip() for part in header.split(","))):
        name, _, allowlist = item.partition("=")
        policy[name.strip()] = allowlist.strip()
    return policy


def assert_features_off(response):
    where = f"{response.request['PATH_INFO']} ({response.status_code})"
    policy = parse_permissions_policy(response.get("Permissions-Policy", ""))
    assert policy.keys() >= MUST_BE_OFF, where
    # Off means an empty allowlist: not even this site, let alone a framed one, gets them.
    assert set(policy.values()) == {"()"}, (where, policy)


def sweep_urls(samples):
    return [url for _, url in sweep(samples)] + ["/no/such/page/"]


@pytest.mark.django_db
def test_every_page_switches_off_unused_features_for_anonymous_visitors(client, samples):
    for url in sweep_urls(samples):
        assert_features_off(client.get(url))


@pytest.mark.django_db
def test_every_page_switches_off_unused_features_for_learners_and_staff(
    user_client, staff_client, samples
):
    for url in sweep_urls(samples):
        assert_features_off(user_client.get(url))
        if url.startswith("/admin/"):
            assert_features_off(staff_client.get(url))


@pytest.mark.django_db
def test_posts_and_the_500_page_switch_off_unused_features(client, settings):
    assert_features_off(client.post("/accounts/login/", {"login": "x@example.com"}))
    settings.ROOT_URLCONF = "tests.guards.boom_urls"
    response = Client(raise_request_exception=False).get("/guard-boom/")
    assert response.status_code == 500
    assert_features_off(response)
