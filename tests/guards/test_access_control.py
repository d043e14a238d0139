"""Deny by default: every route is public on purpose or sends strangers to log in."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from tests.guards.routes import (
    PRIVATE,
    PUBLIC,
    PUBLIC_REDIRECTS,
    NoSampleURL,
    all_routes,
    is_private,
    is_public,
    routes,
    sample_url,
)


def url_of(route, samples=None):
    # A route the guards cannot reach is a gap in them, not a test to skip: say how to close it.
    try:
        return sample_url(route, samples)
    except NoSampleURL as reason:
        pytest.fail(f"{reason}: give it a sample URL in tests/guards/routes.py")


def login_paths():
    return {reverse("account_login"), reverse("admin:login")}


def test_every_route_is_classified_as_public_or_private():
    unclassified = [r.key for r in all_routes() if not is_public(r) and not is_private(r)]
    assert not unclassified, (
        f"Routes in neither list: {unclassified}. Add each to PUBLIC or PRIVATE in "
        "tests/guards/routes.py (public pages also need @login_not_required)."
    )


def test_every_name_in_the_lists_is_a_route_today():
    # A stale entry would quietly make a future route of that name public or private.
    keys = {route.key for route in all_routes()}
    listed = PUBLIC | {name for name in PRIVATE if "*" not in name} | set(PUBLIC_REDIRECTS)
    assert not listed - keys, f"Listed but no such route: {sorted(listed - keys)}"


def test_no_route_is_named_in_both_lists():
    # Wildcard families may contain public exceptions (admin:login); exact names may not.
    assert not PUBLIC & {name for name in PRIVATE if "*" not in name}


@pytest.mark.django_db
@pytest.mark.parametrize("route", routes("public"), ids=str)
def test_public_pages_answer_anonymous_visitors(client, samples, route):
    response = client.get(url_of(route, samples))
    if route.key in PUBLIC_REDIRECTS:
        assert response.status_code in (301, 302), PUBLIC_REDIRECTS[route.key]
    else:
        assert response.status_code < 300 or response.status_code in (400, 404, 405), (
            f"{route.key} answered {response.status_code}"
        )


@pytest.mark.django_db
@pytest.mark.parametrize("route", routes("private"), ids=str)
def test_private_pages_send_anonymous_visitors_to_log_in(client, route):
    url = url_of(route)
    response = client.get(url)
    assert response.status_code == 302, f"{route.key} answered {response.status_code}"
    location = urlsplit(response["Location"])
    assert location.path in login_paths()
    assert parse_qs(location.query)["next"] == [url]


@pytest.mark.django_db
@pytest.mark.parametrize("route", routes("private"), ids=str)
def test_private_htmx_requests_get_a_client_redirect_not_a_swapped_log_in_page(client, route):
    response = client.get(url_of(route), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert urlsplit(response["HX-Redirect"]).path in login_paths()
    assert b"<form" not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("route", routes("private"), ids=str)
def test_private_pages_refuse_anonymous_posts_too(client, route):
    response = client.post(url_of(route), {"user": "1"})
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path in login_paths()


@pytest.mark.django_db
def test_get_on_log_out_shows_a_confirmation_and_keeps_the_visitor_signed_in(user_client):
    response = user_client.get(reverse("account_logout"))
    assert response.status_code == 200
    assert "_auth_user_id" in user_client.session
    response = user_client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in user_client.session
