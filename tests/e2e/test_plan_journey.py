"""The plan issue's journey in Chromium: sign up with the acceptance profile, finish one
alternative in every role of the first step, choose another alternative, change the weekly
hours; and the path on a phone."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (
    axe_violations,
    has_horizontal_scroll,
    rate,
    screenshot,
    sign_in,
    sign_up_from_preview,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
]


def overall(page):
    text = page.locator("#overall-progress-label").inner_text()
    done, total = re.search(r"(\d+) of (\d+) steps?", text).groups()
    return int(done), int(total)


def finish(page):
    return page.locator("#roadmap-body p strong").first.inner_text()


def test_the_acceptance_profile_finishes_a_step_by_its_roles(page, real_catalogue):
    rate(page, "Computer vision", {"linear_algebra": 2, "calculus": 4,
                                   "probability_statistics": 3, "programming": 3}, hours="6")
    page.get_by_role("button", name="See my roadmap").click()
    sign_up_from_preview(page, "plan@example.com")

    page.goto("/roadmap/")
    first_stage = page.locator(".path-stage").first
    expect(first_stage.get_by_role("heading", level=2)).to_have_text("Stage 1: Linear algebra")
    here = first_stage.locator(".path-step.is-here")
    expect(here).to_contain_text("You are here")
    expect(here.get_by_role("button", name="Make this my focus for two weeks")).to_be_visible()
    roles = here.locator(".role-line strong").all_inner_texts()
    assert [r.split()[0] for r in roles][:3] == ["Understand", "Practise", "Apply"], roles
    expect(here.locator(".path-role").first).to_contain_text("3Blue1Brown")
    screenshot(page, "plan-roadmap-path")
    assert axe_violations(page) == []

    # Another alternative in the practise role: the dates follow its hours.
    before = finish(page)
    practise = here.locator(".path-role").nth(1)
    practise.get_by_text(re.compile(r"\d+ alternatives?")).click()
    practise.get_by_role("button", name=re.compile("Choose this instead")).first.click()
    expect(page.locator("#messages")).to_contain_text("You chose")
    expect(page.locator("#roadmap-body p strong").first).not_to_have_text(before)

    # One alternative done in every role of the first step: the step is done, the overall
    # count moves by one step.
    done, total = overall(page)
    step_id = page.locator(".path-step.is-here").get_attribute("id")
    step = page.locator(f"#{step_id}")
    for n in range(step.locator(".path-role").count()):
        role = page.locator(f"#{step_id} .path-role").nth(n)
        role.get_by_role("button", name="Done", exact=True).click()
        expect(page.locator(f"#{step_id} .path-role").nth(n)).to_contain_text("Your status: Done")
        page.wait_for_load_state("networkidle")
    expect(page.locator(f"#{step_id}")).to_contain_text("step: done")
    expect(page.locator("#overall-progress-label")).to_contain_text(
        f"Overall: {done + 1} of {total} steps"
    )

    # 10 hours a week in the profile: the finish date moves at once.
    before = finish(page)
    page.goto("/accounts/profile/")
    expect(page.get_by_text("follow your weekly hours")).to_be_visible()
    page.get_by_label("Study hours per week").fill("10")
    page.get_by_role("button", name="Save profile").click()
    page.goto("/roadmap/")
    expect(page.locator("#roadmap-body")).to_contain_text("at 10 hours a week")
    assert finish(page) != before

    # Another stage's steps are drawn when it is opened: htmx fetches them, no reload.
    calculus = page.locator(".path-stage").filter(
        has=page.get_by_role("heading", name=re.compile(r"Stage \d: Calculus"))
    )
    expect(calculus.locator(".path-step")).to_have_count(0)
    calculus.locator("summary").first.click()
    expect(calculus.locator(".path-step").first).to_be_visible()
    expect(calculus).to_contain_text("The Matrix Calculus You Need For Deep Learning")
    screenshot(page, "plan-roadmap-opened-stage")
    assert page.evaluate("document.querySelectorAll('#roadmap-body').length") == 1
    # A change inside it redraws the roadmap with that stage still open.
    calculus.locator(".path-role").first.get_by_role("button", name="In progress").click()
    page.wait_for_load_state("networkidle")
    expect(calculus.locator(".path-role").first).to_contain_text("Your status: In progress")
    expect(calculus.locator(".path-role").first).to_be_visible()


def test_the_path_fits_a_phone_without_sideways_scroll(browser, live_server, real_catalogue):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390,
                                                                      "height": 844})
    try:
        page = context.new_page()
        page.goto("/assessment/")
        page.get_by_label("Research").check()
        for field in ("linear_algebra", "calculus", "probability_statistics", "programming"):
            page.locator(f'input[name="{field}"][value="2"]').check()
        page.get_by_role("button", name="See my roadmap").click()
        expect(page.locator(".path-stage").first).to_be_visible()
        assert not has_horizontal_scroll(page)
        # The preview's steps link to each resource's page; discrete maths is planned for
        # research after the four core areas.
        expect(page.locator(".path-role a").first).to_have_attribute("href",
                                                                    re.compile("^/catalog/"))
        expect(page.locator(".path-stage h2").nth(4)).to_have_text("Stage 5: Discrete maths")
        screenshot(page, "plan-preview-phone")
    finally:
        context.close()


def test_without_javascript_a_closed_stage_opens_by_its_link_and_a_check_off_returns_there(
    browser, live_server, real_catalogue
):
    from assessment.models import Roadmap
    from tests.assessment.factories import AssessmentFactory
    from tests.factories import UserFactory

    learner = UserFactory()
    Roadmap.build_for(AssessmentFactory(user=learner, linear_algebra=2, calculus=4))
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False,
                                  viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    try:
        sign_in(context, live_server, learner)
        page = context.new_page()
        page.goto("/roadmap/")
        stage = page.locator("#stage-1")
        expect(stage.locator(".path-step")).to_have_count(0)
        # The disclosure opens without JavaScript; inside it, the link draws the steps.
        stage.locator("summary").first.click()
        stage.get_by_role("link", name="Show the steps of stage 2").click()
        expect(page).to_have_url(re.compile(r"/roadmap/\?stage=1#stage-1$"))
        role = page.locator("#stage-1 .path-role").first
        expect(role).to_be_visible()
        row = role.get_attribute("id")
        role.get_by_role("button", name="Done", exact=True).click()
        expect(page).to_have_url(re.compile(rf"/roadmap/\?stage=1#{row}$"))
        expect(page.locator(f"#{row}")).to_contain_text("Your status: Done")
        expect(page.locator(f"#{row}")).to_be_visible()
        screenshot(page, "roadmap-opened-stage-without-javascript")
    finally:
        context.close()
