"""A learner's own pages: accessible, and usable on a phone."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, has_horizontal_scroll, screenshot, sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

LEARNER_PAGES = {
    "dashboard": "/",
    "roadmap": "/roadmap/",
    "progress": "/progress/",
    "assessment-history": "/assessment/history/",
    "profile": "/accounts/profile/",
    "assessment": "/assessment/",
}


@pytest.fixture
def learner(transactional_db, context, live_server):
    from assessment.models import RATING_FIELDS, take_assessment

    call_command("loadcatalog", verbosity=0)
    user = UserFactory()
    answers = dict.fromkeys(RATING_FIELDS, 2)
    answers.update(goal="computer-vision", budget="any", styles=["visual"], weekly_hours=5)
    take_assessment(user, answers)
    sign_in(context, live_server, user)
    return user


def test_a_learners_pages_have_no_accessibility_violations(page, learner):
    for name, url in LEARNER_PAGES.items():
        page.goto(url)
        assert page.url.endswith(url), f"{url} sent the learner to {page.url}"
        expect(page.locator("h1")).to_have_count(1)
        violations = axe_violations(page)
        assert violations == [], f"{name}: {violations}"


def test_a_learners_pages_fit_a_phone_screen(page, learner):
    page.set_viewport_size({"width": 390, "height": 844})
    for name, url in LEARNER_PAGES.items():
        page.goto(url)
        screenshot(page, f"phone-{name}")
        assert not has_horizontal_scroll(page), f"{url} scrolls sideways on a phone"


def test_a_slipping_learner_lowers_the_plan_without_javascript_and_it_stays_accessible(
    browser, live_server
):
    import datetime

    from assessment.models import RATING_FIELDS, take_assessment
    from progress.models import StudyLog

    call_command("loadcatalog", verbosity=0)
    user = UserFactory()
    answers = dict.fromkeys(RATING_FIELDS, 2)
    answers.update(goal="computer-vision", budget="any", styles=["visual"], weekly_hours=5)
    take_assessment(user, answers)
    for n in range(1, 5):  # ten minutes a week: far slower than the 5 h planned
        StudyLog.objects.create(user=user, minutes=10,
                                logged_on=datetime.date.today() - datetime.timedelta(weeks=n))
    context = browser.new_context(java_script_enabled=False)
    sign_in(context, live_server, user)
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Continue")).to_be_visible()
    page.get_by_role("button", name="Lower the plan").click()
    expect(page.get_by_text("Your plan is lowered: applying is optional.")).to_be_visible()
    context.close()
    scripted = browser.new_context()
    sign_in(scripted, live_server, user)
    page = scripted.new_page()
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("button", name="Put the full plan back")).to_be_visible()
    assert axe_violations(page) == []
    scripted.close()
