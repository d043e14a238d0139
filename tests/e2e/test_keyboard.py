"""Keyboard only: the assessment and a check-off with Tab, Space, arrows and Enter.

Every element that takes focus on the way shows a visible focus indicator.
"""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

FOCUS_IS_VISIBLE = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return true;
    const style = getComputedStyle(el);
    return (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
        || style.boxShadow !== "none";
}"""
DESCRIBE_FOCUS = "() => document.activeElement && document.activeElement.outerHTML.slice(0, 120)"


def tab_to(page, selector, limit=150):
    """Press Tab until `selector` has focus, checking the focus ring at every stop."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if not page.evaluate(FOCUS_IS_VISIBLE):
            raise AssertionError(f"no visible focus on {page.evaluate(DESCRIBE_FOCUS)}")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


@pytest.fixture
def catalogue(transactional_db):
    call_command("loadcatalog", verbosity=0)


def test_a_visitor_takes_the_assessment_with_the_keyboard_alone(page, catalogue):
    page.goto("/assessment/")
    tab_to(page, "input[name=goal]")
    page.keyboard.press("Space")
    for area in ["linear_algebra", "calculus", "probability_statistics", "programming"]:
        tab_to(page, f"input[name={area}]")
        page.keyboard.press("Space")  # 1
        page.keyboard.press("ArrowRight")  # 2
    tab_to(page, "input[name=weekly_hours]")
    page.keyboard.press("Control+A")
    page.keyboard.type("6")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    expect(page).to_have_url("/assessment/preview/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("body")).to_contain_text("Linear algebra")


def test_a_learner_marks_a_resource_done_with_the_keyboard(page, context, live_server,
                                                           catalogue):
    from catalog.models import Resource

    sign_in(context, live_server, UserFactory())
    resource = Resource.objects.published().order_by("pk").first()
    page.goto(resource.get_absolute_url())
    tab_to(page, "button[name=status][value=done]")
    page.keyboard.press("Enter")
    done = page.locator("button[name=status][value=done]").first
    expect(done).to_have_attribute("aria-pressed", "true")
    page.reload()
    expect(page.locator("button[name=status][value=done]").first).to_have_attribute(
        "aria-pressed", "true"
    )
