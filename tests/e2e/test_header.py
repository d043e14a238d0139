"""The header in Chromium: at most five primary links, one line on a phone, menus without JS."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, screenshot, sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def primary_links(page):
    """The header's own links, not counting those inside the account menu."""
    return page.locator(".site-nav .nav > li:not(.nav-account)")


@pytest.fixture
def learner(transactional_db):
    return UserFactory(email="a.rather.long.address@example.com")


def test_signed_in_header_has_four_links_and_an_account_menu(page, context, live_server, learner):
    sign_in(context, live_server, learner)
    page.goto("/catalog/")
    assert primary_links(page).all_inner_texts() == [
        "Dashboard", "Roadmap", "Catalogue", "Concepts"
    ]
    account = page.locator(".account-menu")
    expect(account.get_by_role("link", name="Profile")).to_be_hidden()
    header = page.locator(".site-header").bounding_box()
    assert header["height"] < 80, header
    account.locator("summary").click()
    for name in ["Profile", "Export my data", "Sessions"]:
        expect(account.get_by_role("link", name=name)).to_be_visible()
    expect(account.get_by_role("button", name="Log out")).to_be_visible()
    expect(account).to_contain_text(learner.email)
    assert axe_violations(page) == []
    screenshot(page, "header-desktop-account-open")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_on_a_phone_the_header_is_one_line_and_the_menu_opens(
    browser, live_server, learner, javascript
):
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, java_script_enabled=javascript
    )
    try:
        sign_in(context, live_server, learner)
        page = context.new_page()
        page.goto("/roadmap/")
        header = page.locator(".site-header").bounding_box()
        assert header["height"] < 70, header
        expect(page.get_by_role("link", name="Dashboard")).to_be_hidden()
        page.get_by_text("Menu", exact=True).click()
        expect(page.get_by_role("link", name="Dashboard")).to_be_visible()
        page.locator(".account-menu summary").click()
        expect(page.get_by_role("link", name="Export my data")).to_be_visible()
        page.get_by_role("link", name="Profile").click()
        expect(page.locator("h1")).to_contain_text("rofile")
        if javascript:
            assert axe_violations(page) == []
        screenshot(page, f"header-phone-{'js' if javascript else 'no-js'}")
    finally:
        context.close()


def test_signed_out_header_fits_a_phone_with_log_in_and_sign_up(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto("/")
        assert page.locator(".site-header").bounding_box()["height"] < 70
        page.get_by_text("Menu", exact=True).click()
        for name in ["Catalogue", "Concepts", "Assessment", "Log in", "Sign up"]:
            expect(page.locator(".site-nav").get_by_role("link", name=name)).to_be_visible()
        sign_up = page.locator(".site-nav").get_by_role("link", name="Sign up").bounding_box()
        assert sign_up["height"] >= 36
        screenshot(page, "header-phone-signed-out-open")
    finally:
        context.close()
