"""The acceptance journey in Chromium: assess as a visitor, sign up, read, retake, compare."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, rate, screenshot, sign_up_from_preview

pytestmark = [
    pytest.mark.django_db(transaction=True),
]


def test_a_visitor_assesses_signs_up_and_retakes(page, real_catalogue):
    rate(page, "Computer vision", {"linear_algebra": 2, "calculus": 4,
                                   "probability_statistics": 3, "programming": 3})
    page.get_by_role("button", name="See my roadmap").click()
    expect(page.get_by_role("heading", level=2).first).to_have_text("Stage 1: Linear algebra")
    sign_up_from_preview(page, "vision@example.com")

    page.goto("/roadmap/")
    first_stage = page.locator(".path-stage").first
    expect(first_stage.get_by_role("heading", level=2)).to_have_text("Stage 1: Linear algebra")
    first_steps = first_stage.locator(".path-role").all_inner_texts()[:3]
    assert any("3Blue1Brown" in t or "Khan Academy" in t for t in first_steps), first_steps
    expect(first_stage.locator(".path-role").first).to_contain_text("Beginner")
    screenshot(page, "roadmap-after-sign-up")

    # Skipping happens in place (htmx): no page load, the reason and the message update.
    page.evaluate("() => { window.stillTheSamePage = true; }")
    entry = first_stage.locator(".path-role").first
    entry.get_by_text("Skip this").click()
    entry.get_by_label("Why skip it? (optional)").fill("Watched it last year")
    entry.get_by_role("button", name="Skip", exact=True).click()
    expect(page.locator(".path-role").first).to_contain_text(
        "You chose to skip this: Watched it last year"
    )
    expect(page.locator("#messages")).to_contain_text("Skipped")
    assert page.evaluate("() => window.stillTheSamePage === true")
    # A skipped pick leaves its role to the next alternative and waits behind the disclosure.
    first_role = page.locator(".path-role").first
    put_back = first_role.get_by_role("button", name="Put it back").first
    if not put_back.is_visible():
        first_role.locator(".alternatives > summary").click()
    put_back.click()
    expect(page.locator("#messages")).to_contain_text("back on your roadmap")
    assert axe_violations(page) == []

    rate(page, "Computer vision", {"linear_algebra": 4, "calculus": 2,
                                   "probability_statistics": 3, "programming": 3})
    page.get_by_role("button", name="Save and build my roadmap").click()
    expect(page.locator(".path-stage").first.get_by_role("heading", level=2)).to_have_text(
        "Stage 1: Calculus"
    )

    page.goto("/assessment/history/")
    expect(page.locator("tbody tr")).to_have_count(2)
    assert axe_violations(page) == []


def test_the_questionnaire_and_check_have_no_accessibility_violations(page, real_catalogue):
    for url in ["/assessment/", "/assessment/check/"]:
        page.goto(url)
        assert axe_violations(page) == [], url
    page.goto("/assessment/")
    page.get_by_role("button", name="See my roadmap").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    assert axe_violations(page) == []
