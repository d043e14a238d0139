"""Browsing the catalogue: filters that update in place, keep the URL and honour Back."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, has_horizontal_scroll, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def catalogue(transactional_db):
    call_command("loadcatalog", verbosity=0)


def result_count(page):
    heading = page.locator("#results-heading").inner_text()
    return int(re.match(r"\d+", heading).group())


def test_choosing_a_domain_filters_in_place_updates_the_url_and_back_undoes_it(
    page, catalogue
):
    page.goto("/catalog/")
    everything = result_count(page)
    # A marker on window survives an htmx swap but not a page load.
    page.evaluate("() => { window.stillTheSamePage = true; }")

    page.get_by_label("Domain").select_option(label="Linear algebra")
    expect(page).to_have_url(re.compile(r"domain=linear-algebra"))
    expect(page.locator("#results-heading")).not_to_contain_text(f"{everything} resource")
    filtered = result_count(page)
    assert 0 < filtered < everything
    assert page.evaluate("() => window.stillTheSamePage === true")
    for card in page.locator(".resource-card .domains").all():
        expect(card).to_contain_text("Linear algebra")

    page.go_back()
    expect(page).to_have_url(re.compile(r"/catalog/$"))
    expect(page.locator("#results-heading")).to_contain_text(f"{everything} resource")


def test_searching_narrows_the_results_and_a_result_opens_its_page(page, catalogue):
    page.goto("/catalog/")
    page.get_by_label("Search").fill("eigenvalues")
    page.get_by_label("Search").press("Enter")
    expect(page).to_have_url(re.compile(r"q=eigenvalues"))
    expect(page.locator("#results-heading")).to_contain_text("matching your filters")
    first = page.locator(".resource-card h3 a").first
    title = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_filters_work_without_javascript(browser, live_server, catalogue):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/catalog/")
        page.get_by_label("Domain").select_option(label="Linear algebra")
        page.get_by_role("button", name="Apply filters").click()
        expect(page).to_have_url(re.compile(r"domain=linear-algebra"))
        expect(page.locator("#results-heading")).to_contain_text("matching your filters")
        screenshot(page, "catalogue-without-javascript")
    finally:
        context.close()


def test_catalogue_pages_have_no_accessibility_violations(page, catalogue):
    page.goto("/catalog/")
    assert axe_violations(page) == []
    page.goto("/catalog/?domain=linear-algebra&q=matrix")
    assert axe_violations(page) == []
    page.locator(".resource-card h3 a").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert axe_violations(page) == []


def test_catalogue_pages_fit_a_phone_screen(page, catalogue):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/catalog/")
    screenshot(page, "phone-catalogue")
    assert not has_horizontal_scroll(page)
    page.locator(".resource-card h3 a").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshot(page, "phone-resource")
    assert not has_horizontal_scroll(page)
