"""Catalogue cards for a signed-in learner: their status, "Add to my roadmap" (a plain form
and htmx) and a query count that does not grow with the results."""

import pytest
from django.test import Client

from assessment.models import Roadmap
from progress.models import Progress, Status
from tests.assessment.factories import AssessmentFactory, ResourceFactory

LIST_URL = "/catalog/"


@pytest.fixture
def built(catalogue, user):
    return Roadmap.build_for(AssessmentFactory(user=user, linear_algebra=2, calculus=4))


def card(html, slug):
    """The HTML of one resource's card on the catalogue page."""
    start = html.index(f'<li class="card resource-card" id="resource-{slug}">')
    markers = ('<li class="card resource-card"', "</section>")
    ends = [html.find(marker, start + 1) for marker in markers]
    return html[start : min(end for end in ends if end > 0)]


def test_cards_show_provider_and_format_and_nothing_personal_to_visitors(client, catalogue):
    html = client.get(LIST_URL).content.decode()
    book = card(html, "deep-learning-book")
    assert '<span class="format">Book</span>' in book
    assert '<span class="provider">' in book
    assert "Your status" not in html and "Add to my roadmap" not in html


def test_a_learner_sees_their_status_and_can_add_what_is_not_on_their_roadmap(
    user_client, user, built
):
    on_it = user.roadmap_entries.select_related("resource").first().resource
    Progress.objects.change(user, on_it, Status.IN_PROGRESS)
    off_it = ResourceFactory(slug="extra-reading", title="Extra reading", domains=["calculus"])
    html = user_client.get(LIST_URL + "?q=").content.decode()
    mine = card(html, on_it.slug)
    assert "Your status: <strong>In progress</strong>" in mine
    assert "on your roadmap" in mine and "Add to my roadmap" not in mine
    other = card(html, off_it.slug)
    assert "Your status: <strong>Not started</strong>" in other
    assert 'action="/roadmap/add/"' in other and 'data-hx-post="/roadmap/add/"' in other
    assert f'name="resource" value="{off_it.slug}"' in other


def test_without_a_roadmap_cards_show_the_status_but_offer_no_add(user_client, catalogue):
    html = user_client.get(LIST_URL).content.decode()
    assert "Your status: <strong>Not started</strong>" in html
    assert "Add to my roadmap" not in html


def test_adding_from_a_card_without_javascript_returns_to_that_card(user_client, user, built):
    extra = ResourceFactory(slug="extra-reading", domains=["calculus"])
    back = LIST_URL + "?level=beginner"
    response = user_client.post("/roadmap/add/", {"resource": extra.slug, "next": back})
    assert response.status_code == 302
    assert response["Location"] == back + "#resource-extra-reading"
    assert user.roadmap_entries.filter(resource=extra, added_by_learner=True).exists()
    page = user_client.get(back)
    assert "Added “" in page.content.decode()
    assert "on your roadmap" in card(page.content.decode(), extra.slug)


def test_adding_from_a_card_with_htmx_swaps_the_card_and_says_so(user_client, user, built):
    extra = ResourceFactory(slug="extra-reading", domains=["calculus"])
    response = user_client.post(
        "/roadmap/add/", {"resource": extra.slug, "next": LIST_URL}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('\n<div class="card-learner" id="learner-extra-reading">') or (
        'id="learner-extra-reading"' in html
    )
    assert "on your roadmap" in html and "Add to my roadmap" not in html
    assert 'data-hx-swap-oob="true"' in html and "Added “" in html
    assert user.roadmap_entries.filter(resource=extra).exists()


def test_a_next_address_off_the_site_is_ignored(user_client, user, built):
    extra = ResourceFactory(slug="extra-reading", domains=["calculus"])
    for hostile in ["https://example.com/", "//example.com/catalog/", "javascript:alert(1)"]:
        response = user_client.post("/roadmap/add/", {"resource": extra.slug, "next": hostile})
        assert response["Location"].startswith("/roadmap/")


def test_the_filters_fold_away_until_one_is_used(client, catalogue):
    html = client.get(LIST_URL).content.decode()
    assert '<details class="filter-disclosure card">' in html
    filtered = client.get(LIST_URL + "?level=beginner").content.decode()
    assert '<details class="filter-disclosure card" open>' in filtered


@pytest.mark.parametrize("size", [5, 50])
def test_the_list_runs_a_fixed_number_of_queries_signed_in_or_not(
    user_client, user, built, django_assert_num_queries, size
):
    for _ in range(size):
        ResourceFactory(domains=["calculus"])
    Progress.objects.change(user, user.roadmap_entries.first().resource, Status.DONE)
    # Visitor: domains for the form, the page with its count, the page's domains.
    with django_assert_num_queries(3):
        assert Client().get(LIST_URL + "?page=2").status_code == 200
    # Learner: the session and the user first; status, roadmap and "on it" ride in the
    # page's own query.
    for headers in ({}, {"HX-Request": "true"}):
        with django_assert_num_queries(5):
            assert user_client.get(LIST_URL + "?page=2", headers=headers).status_code == 200
