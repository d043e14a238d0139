"""The acceptance journey in Chromium: check off, watch the bars, review, subscribe, no JS."""

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from assessment.models import Roadmap
from tests.assessment.factories import AssessmentFactory, small_catalogue
from tests.e2e.conftest import CHROMIUM_FLAGS, axe_violations, screenshot, sign_in
from tests.factories import UserFactory
from tests.progress.concepts import concept_with_cards

pytestmark = [
    pytest.mark.django_db(transaction=True),
]
assert CHROMIUM_FLAGS  # the same flags as every browser journey


@pytest.fixture
def learner(transactional_db):
    made = small_catalogue()
    # The first resource of the roadmap teaches a concept with three cards.
    for slug in ("linear-algebra-beginner-1", "linear-algebra-beginner-2"):
        concept_with_cards(f"concept-{slug}", [made[slug]])
    user = UserFactory()
    Roadmap.build_for(AssessmentFactory(user=user, linear_algebra=2, calculus=4))
    return user


def test_check_off_moves_the_bars_schedules_reviews_and_feeds_the_calendar(
    page, context, live_server, learner
):
    sign_in(context, live_server, learner)
    page.goto("/roadmap/")
    expect(page.locator("#roadmap-progress")).to_contain_text("Overall: 0 of")
    page.evaluate("() => { window.stillTheSamePage = true; }")
    entry = page.locator(".path-role").first
    title = entry.locator(".role-line a").first.inner_text()
    entry.get_by_role("button", name="Done", exact=True).click()

    # The row, the stage bar and the overall bar change in place.
    expect(page.locator(".path-role").first).to_contain_text("Your status: Done")
    expect(page.locator("#roadmap-progress")).to_contain_text("Overall: 1 of")
    expect(page.locator("#stage-progress-0")).to_contain_text("1 of")
    expect(page.locator("#messages")).to_contain_text("is done")
    assert page.evaluate("() => window.stillTheSamePage === true")
    assert axe_violations(page) == []
    screenshot(page, "progress-roadmap-after-done")

    page.reload()
    expect(page.locator(".path-role").first).to_contain_text("Your status: Done")

    page.goto("/")
    expect(page.locator("#dashboard-reviews")).to_contain_text("3 cards due tomorrow.")
    expect(page.locator("#dashboard-exercises")).to_contain_text("Transform the unit square")
    page.get_by_role("button", name="Create my calendar address").click()
    address = page.get_by_label("Calendar address").input_value()
    assert address.endswith(".ics")
    assert axe_violations(page) == []
    screenshot(page, "progress-dashboard")

    feed = page.request.get(address)
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(feed.body()).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Review 3 cards"]
    assert str(events[0]["url"]).endswith("/cards/review/")
    assert title


def test_without_javascript_the_check_off_still_works(browser, live_server, learner):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        sign_in(context, live_server, learner)
        page = context.new_page()
        page.goto("/roadmap/")
        second = page.locator(".path-role").nth(1)
        second.get_by_role("button", name="In progress", exact=True).click()
        page.wait_for_load_state()
        expect(page.locator(".path-role").nth(1)).to_contain_text("Your status: In progress")
        expect(page.locator("#messages")).to_contain_text("is in progress")
        page.locator(".path-role").nth(1).get_by_role("button", name="Done",
                                                          exact=True).click()
        expect(page.locator("#roadmap-progress")).to_contain_text("Overall: 1 of")
        screenshot(page, "progress-roadmap-without-javascript")
    finally:
        context.close()
