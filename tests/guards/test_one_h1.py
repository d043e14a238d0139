"""Every HTML page has exactly one <h1>: the page's own title, for people and screen readers."""

import re

import pytest

from tests.guards.routes import is_private, is_public, sweep

H1 = re.compile(rb"<h1[\s>]")


def html_pages(client, keep, samples):
    """(url, response) for every kept route that answers this client with an HTML page."""
    for _, url in sweep(samples, keep):
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            yield url, response


def assert_one_h1(pages):
    seen = 0
    for url, response in pages:
        seen += 1
        count = len(H1.findall(response.content))
        assert count == 1, f"{url} has {count} <h1> elements"
    return seen


@pytest.mark.django_db
def test_every_public_page_has_one_h1(client, samples):
    assert assert_one_h1(html_pages(client, is_public, samples)) >= 3


@pytest.mark.django_db
def test_every_signed_in_page_has_one_h1(user_client, samples):
    def keep(route):
        return is_private(route) and not route.key.startswith("admin")

    assert assert_one_h1(html_pages(user_client, keep, samples)) >= 1


@pytest.mark.django_db
def test_every_admin_page_has_one_h1(staff_client, samples):
    def keep(route):
        return route.key.startswith("admin")

    assert assert_one_h1(html_pages(staff_client, keep, samples)) >= 3


@pytest.mark.django_db
def test_error_pages_have_one_h1(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert len(H1.findall(response.content)) == 1
