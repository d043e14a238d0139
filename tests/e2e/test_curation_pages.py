"""Curation's pages in a real browser: no accessibility violations, one h1, no sideways scroll."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, has_horizontal_scroll, sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def curated(transactional_db, context, live_server):
    from curation.models import PublicCard, Suggestion
    from progress.models import Progress, Status
    from tests.catalog.factories import DomainFactory, ResourceFactory

    area = DomainFactory(slug="linear-algebra", name="Linear algebra")
    resource = ResourceFactory(title="Essence of Linear Algebra", slug="essence", domains=[area])
    user = UserFactory()
    Progress.objects.change(user, resource, Status.DONE)
    Suggestion.objects.create(user=user, title="A book", url="https://example.org/b", area=area,
                              level="beginner", cost="free", why="Clear", status="rejected",
                              reason="Already covered.")
    PublicCard.objects.create(user=user, handle="ada", enabled=True)
    sign_in(context, live_server, user)
    return user


PAGES = ["/about/", "/privacy/", "/catalog/essence/", "/catalog/essence/report/",
         "/catalog/essence/rate/", "/catalog/suggest/", "/card/", "/u/ada/"]


@pytest.mark.parametrize("width", [1280, 375])
def test_curation_pages_have_no_accessibility_violations(page, curated, width):
    page.set_viewport_size({"width": width, "height": 800})
    for url in PAGES:
        page.goto(url)
        expect(page.locator("h1")).to_have_count(1)
        violations = axe_violations(page)
        assert violations == [], f"{url}: {violations}"
        assert not has_horizontal_scroll(page), f"{url} scrolls sideways at {width}px"


def test_a_learner_reports_a_problem_without_javascript_knowledge(page, curated):
    page.goto("/catalog/essence/")
    page.get_by_role("link", name="Report a problem").click()
    page.get_by_label("Now paid").check()
    page.get_by_label("Details (optional)").fill("A subscription page now.")
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_text("your report is with the curators")).to_be_visible()
    expect(page.get_by_text("You reported “now paid”")).to_be_visible()
