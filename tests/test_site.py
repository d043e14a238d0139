"""Home page, health check, error pages, migrations."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.template.loader import render_to_string


@pytest.mark.django_db
def test_home_page_explains_mathpath_and_offers_the_assessment(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    areas = ["Linear algebra", "Calculus", "Probability &amp; statistics",
             "Programming mathematics"]
    for domain in areas:
        assert domain in html
    assert "Take the assessment" in html
    assert 'href="/assessment/"' in html


@pytest.mark.django_db
def test_signed_out_header_offers_log_in_and_sign_up(client):
    html = client.get("/").content.decode()
    assert ">Log in<" in html
    assert ">Sign up<" in html
    assert "Log out" not in html


@pytest.mark.django_db
def test_base_template_loads_vendored_htmx_and_sends_csrf_with_htmx(client):
    html = client.get("/").content.decode()
    assert "/static/django_htmx/htmx" in html
    assert "https://unpkg" not in html and "cdn" not in html.lower()
    assert 'data-hx-headers=\'{"X-CSRFToken": "' in html


@pytest.mark.django_db
def test_healthz_says_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


@pytest.mark.django_db(transaction=True)
def test_healthz_says_503_when_the_database_does_not_answer(client):
    original = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = "mathpath_no_such_database"
    try:
        response = client.get("/healthz")
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original
    assert response.status_code == 503
    assert response["Retry-After"] == "5"


@pytest.mark.django_db(transaction=True)
def test_pages_answer_503_from_our_own_page_when_the_database_is_down():
    from django.test import Client

    # A real browser gets the page; the test client would re-raise the logged error.
    client = Client(raise_request_exception=False)
    original = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = "mathpath_no_such_database"
    try:
        client.cookies["sessionid"] = "a" * 32  # forces a session lookup in PostgreSQL
        response = client.get("/")
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original
    assert response.status_code == 503
    assert b"back in a moment" in response.content
    assert b"Traceback" not in response.content


@pytest.mark.django_db
def test_unknown_url_gets_our_own_404_page(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert 'class="site-header"' in html


def test_500_page_is_in_the_site_layout_and_reveals_nothing():
    html = render_to_string("500.html")
    assert "Something went wrong" in html
    assert 'class="site-header"' in html
    assert "Traceback" not in html


@pytest.mark.django_db
def test_post_without_csrf_token_gets_our_403_page():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": "a@example.com", "password": "x"})
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


@pytest.mark.django_db
def test_no_migrations_are_missing():
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)


@pytest.mark.django_db
def test_the_home_page_names_the_assessments_four_areas_as_the_assessment_does(client):
    from assessment.forms import AssessmentForm
    from assessment.roadmap import AREA_DOMAINS, AREA_TITLES

    html = client.get("/").content.decode()
    form = AssessmentForm()
    # The four core areas, each a link to the catalogue filtered to its domain; discrete
    # maths, the optional fifth rating, after them.
    core, (discrete,) = form.rating_fields()[:4], form.rating_fields()[4:]
    for name, slug in zip(core, AREA_DOMAINS.values(), strict=True):
        label = name.label.replace("&", "&amp;")
        assert f'<h3><a href="/catalog/?domain={slug}">{label}</a></h3>' in html
    assert f'<a href="/catalog/?domain=discrete-math">{discrete.label}</a>' in html
    assert "Programming mathematics" in html and "fifteen" not in html
    assert set(AREA_TITLES.values()) >= {f.label for f in core}


@pytest.mark.django_db
def test_the_catalogues_area_domains_carry_the_assessments_names():
    from assessment.roadmap import AREA_DOMAINS, AREA_TITLES
    from catalog.loader import load_catalog

    load_catalog()
    from catalog.models import Domain

    names = dict(Domain.objects.values_list("slug", "name"))
    for slug in AREA_DOMAINS.values():
        assert names[slug] == AREA_TITLES[slug]
