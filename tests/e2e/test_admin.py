"""A curator signs in to the admin, adds a draft resource, publishes it, and finds it live."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Matrix Calculus for Deep Learning (curator test)"


@pytest.fixture
def curator(transactional_db):
    call_command("loadcatalog", verbosity=0)
    return UserFactory(email="curator@example.com", is_staff=True, is_superuser=True)


def visible_in_public_catalogue(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    try:
        page = context.new_page()
        page.goto("/catalog/?domain=linear-algebra")
        return page.get_by_role("link", name=TITLE).count() == 1
    finally:
        context.close()


def test_a_curator_adds_a_draft_publishes_it_and_finds_it_under_its_filter(
    page, browser, live_server, curator
):
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/admin/"))
    page.get_by_label("Email").fill(curator.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.goto("/admin/catalog/resource/add/")
    page.get_by_label("Title").press_sequentially(TITLE)
    expect(page.get_by_label("Slug")).not_to_have_value("")
    page.get_by_label("Provider or authors").fill("Parr and Howard")
    page.get_by_label("Canonical URL").fill("https://explained.ai/matrix-calculus/")
    page.get_by_label("Published").uncheck()
    page.get_by_label("Format").select_option(label="Research source")
    page.get_by_label("Level").select_option(label="Intermediate")
    page.locator(".field-domains .select2-search__field").fill("Linear")
    page.locator(".select2-results__option", has_text="Linear algebra").click()
    page.get_by_label("Summary").fill("The derivatives deep learning needs, in matrix form.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    assert not visible_in_public_catalogue(browser, live_server)

    page.get_by_role("link", name=TITLE).first.wait_for()
    page.locator("#result_list tr", has_text=TITLE).locator("input.action-select").check()
    page.locator("select[name=action]").select_option(label="Publish selected resources")
    page.get_by_role("button", name="Run").click()
    expect(page.locator(".messagelist")).to_contain_text("1 resource published.")
    assert visible_in_public_catalogue(browser, live_server)
