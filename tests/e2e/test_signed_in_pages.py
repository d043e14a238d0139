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
