"""A visitor's first look: the home page, a missing page, log-in and sign-up, on any screen."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, has_horizontal_scroll, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

PUBLIC_PAGES = {
    "home": "/",
    "log-in": "/accounts/login/",
    "sign-up": "/accounts/signup/",
    "password-reset": "/accounts/password/reset/",
    "not-found": "/no/such/page/",
}


def test_the_home_page_explains_mathpath_and_leads_to_the_assessment(page):
    page.goto("/")
    expect(page.locator("h1")).to_have_count(1)
    link = page.get_by_role("link", name="Take the assessment").first
    expect(link).to_be_visible()
    assert link.get_attribute("href") == "/assessment/"


def test_a_missing_page_is_our_own_404_with_a_way_home(page):
    response = page.goto("/no/such/page/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_contain_text("Page not found")
    page.get_by_role("link", name="MathPath").first.click()
    expect(page).to_have_url("/")


def test_the_skip_link_takes_keyboard_users_to_the_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()


@pytest.mark.parametrize("name", sorted(PUBLIC_PAGES))
def test_public_pages_have_no_accessibility_violations(page, name):
    page.goto(PUBLIC_PAGES[name])
    violations = axe_violations(page)
    assert violations == [], violations


def test_the_accessibility_scan_finds_a_planted_violation(page):
    # Without this control a scan that silently ran no rules would pass everything.
    page.goto("/")
    page.evaluate("() => document.querySelector('main').append(document.createElement('img'))")
    assert "image-alt" in [violation["id"] for violation in axe_violations(page)]


def test_public_pages_fit_a_phone_screen_without_sideways_scrolling(context, page):
    page.set_viewport_size({"width": 390, "height": 844})
    for name, url in PUBLIC_PAGES.items():
        page.goto(url)
        screenshot(page, f"phone-{name}")
        assert not has_horizontal_scroll(page), f"{url} scrolls sideways on a phone"
