"""Catalogue cards and the resource page's sidebar in the browser: filters folded on a phone
and open on a desktop, adding from a card with and without htmx, the sidebar's place."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from assessment.models import Roadmap
from tests.assessment.factories import AssessmentFactory
from tests.e2e.conftest import axe_violations, has_horizontal_scroll, screenshot, sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def learner(transactional_db):
    call_command("loadcatalog", verbosity=0)
    user = UserFactory()
    Roadmap.build_for(AssessmentFactory(user=user, linear_algebra=2, calculus=4))
    return user


def first_addable_card(page):
    return page.locator(".resource-card").filter(has=page.locator("form.card-add")).first


def test_the_filters_are_open_on_a_desktop_and_fold_away_on_a_phone(page, learner):
    page.goto("/catalog/")
    expect(page.get_by_label("Domain")).to_be_visible()
    expect(page.locator(".filter-disclosure > summary")).to_be_hidden()
    page.set_viewport_size(PHONE)
    page.goto("/catalog/")
    expect(page.get_by_label("Domain")).to_be_hidden()
    page.get_by_text("Filter and sort").click()
    expect(page.get_by_label("Domain")).to_be_visible()
    assert not has_horizontal_scroll(page)


def test_a_learner_adds_a_resource_from_its_card_in_place(page, context, live_server, learner):
    sign_in(context, live_server, learner)
    page.goto("/catalog/")
    card = first_addable_card(page)
    title = card.locator("h3").inner_text()
    page.evaluate("() => { window.stillTheSamePage = true; }")
    card.get_by_role("button", name="Add to my roadmap").click()
    added = page.locator(".resource-card").filter(has_text=title)
    expect(added.get_by_role("link", name="on your roadmap")).to_be_visible()
    expect(page.locator("#messages")).to_contain_text(f"Added “{title}”")
    assert page.evaluate("() => window.stillTheSamePage === true")
    assert learner.roadmap_entries.filter(resource__title=title, added_by_learner=True).exists()
    screenshot(page, "catalogue-signed-in-desktop")
    assert axe_violations(page) == []


def test_a_learner_adds_from_a_card_without_javascript(browser, live_server, learner):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport=PHONE
    )
    try:
        sign_in(context, live_server, learner)
        page = context.new_page()
        page.goto("/catalog/?level=beginner")
        card = first_addable_card(page)
        title = card.locator("h3").inner_text()
        card.get_by_role("button", name="Add to my roadmap").click()
        assert "/catalog/?level=beginner#resource-" in page.url
        expect(page.locator("#messages")).to_contain_text(f"Added “{title}”")
        added = page.locator(".resource-card").filter(has_text=title)
        expect(added.get_by_role("link", name="on your roadmap")).to_be_visible()
        screenshot(page, "catalogue-signed-in-phone-without-javascript")
    finally:
        context.close()


def test_the_signed_in_catalogue_on_a_phone_fits_and_passes_axe(
    page, context, live_server, learner
):
    sign_in(context, live_server, learner)
    page.set_viewport_size(PHONE)
    page.goto("/catalog/")
    screenshot(page, "catalogue-signed-in-phone")
    assert not has_horizontal_scroll(page)
    assert axe_violations(page) == []
    page.get_by_text("Filter and sort").click()
    assert axe_violations(page) == []


def on_plan_resource(learner):
    return learner.roadmap_entries.select_related("resource").order_by("stage__index").first()


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 800}, PHONE], ids=["desktop", "phone"]
)
def test_the_resource_sidebar_sits_beside_or_after_the_summary(
    page, context, live_server, learner, viewport
):
    sign_in(context, live_server, learner)
    page.set_viewport_size(viewport)
    entry = on_plan_resource(learner)
    page.goto(entry.resource.get_absolute_url())
    expect(page.locator(".roadmap-place")).to_contain_text("on your roadmap")
    summary = page.locator(".detail-summary").bounding_box()
    side = page.locator(".detail-side").bounding_box()
    rest = page.get_by_role("heading", name="Before you start").bounding_box()
    if viewport is PHONE:
        assert summary["y"] + summary["height"] <= side["y"] < rest["y"]
    else:
        assert side["x"] > summary["x"] + summary["width"] and abs(side["y"] - summary["y"]) < 5
    screenshot(page, f"resource-sidebar-{viewport['width']}")
    assert not has_horizontal_scroll(page)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Make this my focus for two weeks").click()
    expect(page.locator(".focus-line")).to_contain_text("Your focus")
    expect(page.locator("#messages")).to_contain_text("Your focus for the next two weeks")
    assert axe_violations(page) == []
