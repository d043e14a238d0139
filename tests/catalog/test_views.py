"""The public catalogue: filters, search, htmx, pagination, visibility, query budgets."""

import re

import pytest
from django.urls import reverse

from catalog.models import Cost, Format, Level, Style
from tests.catalog.factories import ConceptLocationFactory, DomainFactory, ResourceFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("catalog:list")


def titles(response):
    return re.findall(r'<h3><a href="/catalog/[^"]+/">([^<]+)</a></h3>', response.content.decode())


@pytest.fixture
def catalogue(linear_algebra, calculus):
    ResourceFactory(
        title="Vectors visually",
        domains=[linear_algebra],
        level=Level.BEGINNER,
        format=Format.VIDEO_SERIES,
        styles=[Style.VISUAL],
        summary="Animations of vectors, matrices and eigenvalues.",
    )
    ResourceFactory(
        title="Matrix practice",
        domains=[linear_algebra],
        level=Level.INTERMEDIATE,
        format=Format.INTERACTIVE_COURSE,
        cost=Cost.PAID_MONTHLY,
        price_usd=13,
        styles=[Style.ACTIVE],
        summary="Problems about matrices.",
    )
    ResourceFactory(
        title="Gradients in code",
        domains=[calculus],
        level=Level.BEGINNER,
        format=Format.COURSE,
        cost=Cost.FREE_PDF,
        styles=[Style.HANDS_ON, Style.VISUAL],
        summary="Derivatives and gradient descent in notebooks.",
    )
    ResourceFactory(title="Hidden draft", domains=[calculus], published=False)


def test_the_catalogue_is_public_and_lists_published_resources(client, catalogue):
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert sorted(titles(response)) == ["Gradients in code", "Matrix practice", "Vectors visually"]
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Paid monthly, about 13 USD" in html and "Free PDF" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("domain=linear-algebra", ["Vectors visually", "Matrix practice"]),
        ("domain=calculus", ["Gradients in code"]),
        ("level=intermediate", ["Matrix practice"]),
        ("cost=free", ["Gradients in code", "Vectors visually"]),
        ("format=video-series", ["Vectors visually"]),
        ("style=visual", ["Gradients in code", "Vectors visually"]),
        ("style=active", ["Matrix practice"]),
        ("q=eigen", ["Vectors visually"]),
        ("domain=linear-algebra&level=beginner", ["Vectors visually"]),
        ("cost=free&style=visual&level=beginner", ["Gradients in code", "Vectors visually"]),
        ("domain=calculus&format=course&cost=free&q=gradient", ["Gradients in code"]),
        ("domain=linear-algebra&cost=free&style=active", []),
    ],
)
def test_each_filter_alone_and_combined(client, catalogue, query, expected):
    response = client.get(f"{LIST_URL}?{query}")
    assert response.status_code == 200
    assert titles(response) == expected


def test_results_come_beginner_first_without_a_search(client, catalogue):
    assert titles(client.get(LIST_URL)) == [
        "Gradients in code",
        "Vectors visually",
        "Matrix practice",
    ]


def test_search_results_are_ranked_best_first(client, linear_algebra):
    ResourceFactory(title="Probability", summary="Mentions eigenvalues once.")
    ResourceFactory(title="Eigenvalues explained", summary="All about eigenvectors.")
    assert titles(client.get(f"{LIST_URL}?q=eigen")) == ["Eigenvalues explained", "Probability"]


def test_no_results_say_so_and_offer_to_clear_the_filters(client, catalogue):
    html = client.get(f"{LIST_URL}?q=topology").content.decode()
    assert "No resources match these filters." in html
    assert f'href="{LIST_URL}">Clear filters</a>' in html


def test_an_htmx_request_gets_only_the_results(client, catalogue):
    response = client.get(f"{LIST_URL}?level=beginner", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="results"')
    assert "<html" not in html and "<form" not in html
    assert titles(response) == ["Gradients in code", "Vectors visually"]
    assert "HX-Request" in response["Vary"]


def test_the_same_url_without_htmx_renders_the_whole_page(client, catalogue):
    html = client.get(f"{LIST_URL}?level=beginner").content.decode()
    assert "<html" in html and 'id="results"' in html
    assert 'data-hx-get="/catalog/"' in html and 'data-hx-push-url="true"' in html
    assert 'data-hx-target="#results"' in html
    assert '<option value="beginner" selected>' in html


def test_an_htmx_history_restore_gets_the_whole_page(client, catalogue):
    response = client.get(
        LIST_URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.content.decode()


def test_results_are_paginated_twenty_to_a_page_keeping_the_filters(client, linear_algebra):
    for n in range(45):
        ResourceFactory(title=f"Course {n:02d}", domains=[linear_algebra])
    first = client.get(f"{LIST_URL}?domain=linear-algebra")
    assert len(titles(first)) == 20
    html = first.content.decode()
    assert "Page 1 of 3" in html
    assert 'href="?domain=linear-algebra&amp;page=2"' in html
    third = client.get(f"{LIST_URL}?domain=linear-algebra&page=3")
    assert len(titles(third)) == 5
    assert 'href="?domain=linear-algebra&amp;page=2"' in third.content.decode()


@pytest.mark.parametrize(
    "query",
    ["level=expert", "page=abc", "page=999", "domain=topology", "style=x&cost=zero&format=y"],
)
def test_bad_filter_values_give_a_friendly_page_not_an_error(client, catalogue, query):
    response = client.get(f"{LIST_URL}?{query}")
    assert response.status_code == 200
    assert len(titles(response)) == 3  # unknown filters are ignored, the catalogue still shows


def test_an_unknown_filter_value_is_explained(client, catalogue):
    html = client.get(f"{LIST_URL}?level=expert").content.decode()
    assert "weren't recognised and were ignored (level)" in html
    assert "Select a valid choice. expert is not one of the available choices." in html


def test_a_very_long_search_is_refused_politely(client, catalogue):
    assert client.get(f"{LIST_URL}?q={'a' * 500}").status_code == 200


def test_staff_see_drafts_in_the_list_marked_as_such(staff_client, catalogue):
    html = staff_client.get(LIST_URL).content.decode()
    assert "Hidden draft" in html and ">Draft<" in html


def test_the_detail_page_shows_everything_about_a_resource(client, linear_algebra):
    basics = ResourceFactory(title="Basics")
    resource = ResourceFactory(
        title="Deep book",
        provider="A. Author",
        url="https://example.com/deep",
        level=Level.ADVANCED,
        format=Format.BOOK,
        cost=Cost.FREE_PDF,
        estimated_hours=120,
        is_reference=True,
        approach="theory",
        summary="Dense and rigorous.",
        how_to_use="Read chapters 1 and 2, then dip in by topic.",
        domains=[linear_algebra],
        prerequisites=[basics],
        styles=[Style.READING],
    )
    ResourceFactory(title="Research papers", prerequisites=[resource])
    ResourceFactory(title="Secret follow-up", prerequisites=[resource], published=False)

    response = client.get(resource.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    for text in [
        "Deep book",
        "A. Author",
        "Dense and rigorous.",
        "Read chapters 1 and 2, then dip in by topic.",
        "Advanced",
        "Book",
        "Free PDF",
        "About 120 hours",
        "A reference: look things up by topic",
        "Theory",
        "Reading",
        "Linear algebra",
        "Basics",
        "Research papers",
    ]:
        assert text in html, text
    assert "Secret follow-up" not in html
    assert re.search(r'<a class="button" href="https://example.com/deep" rel="noopener[^"]*"', html)


def test_an_unpublished_resource_is_404_for_the_public(client, user_client):
    draft = ResourceFactory(published=False)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert user_client.get(draft.get_absolute_url()).status_code == 404


def test_staff_can_preview_an_unpublished_resource(staff_client):
    draft = ResourceFactory(title="Work in progress", published=False)
    response = staff_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "only staff can see this page" in response.content.decode()


def test_an_unknown_slug_is_404(client):
    assert client.get(reverse("catalog:detail", args=["no-such-thing"])).status_code == 404


@pytest.mark.parametrize("size", [5, 50])
def test_the_list_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, size):
    domains = [DomainFactory(), DomainFactory()]
    for _ in range(size):
        ResourceFactory(domains=domains)
    # Drawn on every view, whole page or htmx swap: domains for the form, the page with
    # its count, the page's domains.
    for headers in ({}, {"HX-Request": "true"}):
        with django_assert_max_num_queries(3):
            response = client.get(f"{LIST_URL}?style=structured&q=mathematics", headers=headers)
            assert response.status_code == 200


@pytest.mark.parametrize("size", [5, 50])
def test_the_detail_page_runs_a_fixed_number_of_queries(
    user_client, django_assert_max_num_queries, size
):
    domains = [DomainFactory(), DomainFactory()]
    prerequisites = [ResourceFactory(domains=domains) for _ in range(size)]
    resource = ResourceFactory(domains=domains, prerequisites=prerequisites)
    for _ in range(size):
        ResourceFactory(prerequisites=[resource])
        ConceptLocationFactory(resource=resource)
    # session, user, resource, domains, prerequisites, what builds on it, the concepts it
    # teaches, the learner's own status and note on it (one query), and curation's link
    # health, the learner's last report, their rating and everyone's ratings (one query)
    with django_assert_max_num_queries(9):
        assert user_client.get(resource.get_absolute_url()).status_code == 200


def test_acceptance_beginner_linear_algebra_lists_khan_and_3blue1brown(client, real_catalogue):
    response = client.get(f"{LIST_URL}?domain=linear-algebra&level=beginner")
    html = response.content.decode()
    found = titles(response)
    assert "Linear Algebra" in found and "Essence of Linear Algebra" in found
    assert "Khan Academy" in html and "3Blue1Brown" in html
    assert "Mathematics for Machine Learning" not in found  # intermediate


def test_acceptance_the_full_catalogue_shows_25_or_more_resources(client, real_catalogue):
    html = client.get(LIST_URL).content.decode()
    count = int(re.search(r"(\d+) resources", html).group(1))
    assert count >= 25


def test_acceptance_eigen_finds_the_eigenvalue_resources(client, real_catalogue):
    found = titles(client.get(f"{LIST_URL}?q=eigen"))
    assert {"Linear Algebra", "Essence of Linear Algebra", "Mathematics for Machine Learning"} <= (
        set(found[:3])
    )


@pytest.mark.parametrize("sort, expected", [
    ("", ["Beta", "Gamma", "Alpha"]),
    ("title", ["Alpha", "Beta", "Gamma"]),
    ("hours", ["Gamma", "Alpha", "Beta"]),
    ("newest", ["Gamma", "Beta", "Alpha"]),
])
def test_the_catalogue_sorts_by_level_title_hours_or_newest(client, db, sort, expected):
    from tests.catalog.factories import ResourceFactory as Make

    Make(title="Alpha", level="advanced", estimated_hours=5)
    Make(title="Beta", level="beginner", estimated_hours=40)
    Make(title="Gamma", level="intermediate", estimated_hours=1)
    html = client.get("/catalog/", {"sort": sort}).content.decode()
    positions = [html.index(f">{title}<") for title in expected]
    assert positions == sorted(positions)
    assert '<label for="id_sort">Sort by</label>' in html
