"""A refused htmx action in Chromium: the page stays, the message stands by the control.

A resource unpublished while the learner had it open, a note longer than the limit, and
a 429 from the proxy in front of the site (answered here by the browser's own route, as
the proxy would): each leaves the page and the typed text in place, with DEBUG off and on.
"""

import pytest
from playwright.sync_api import expect

from catalog.models import Resource
from progress import notes
from tests.assessment.factories import ResourceFactory
from tests.e2e.conftest import axe_violations, sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True)]

DEBUG_ON_AND_OFF = pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])


@pytest.fixture
def learner(transactional_db):
    return UserFactory()


@DEBUG_ON_AND_OFF
def test_an_unpublished_resource_says_so_beside_its_buttons(
    page, context, live_server, learner, settings, debug
):
    settings.DEBUG = debug
    resource = ResourceFactory(slug="soon-gone", title="Soon gone")
    sign_in(context, live_server, learner)
    page.goto(resource.get_absolute_url())
    page.evaluate("() => { window.stillTheSamePage = true; }")
    Resource.objects.filter(pk=resource.pk).update(published=False)

    control = page.locator(".status-control").first
    control.get_by_role("button", name="In progress").click()

    alert = page.locator(".status-control + .htmx-error")
    expect(alert).to_have_text(
        "That resource is not in the catalogue: it may have been removed or renamed."
    )
    expect(page.locator("h1")).to_have_text("Soon gone")
    assert page.evaluate("() => window.stillTheSamePage === true")
    assert axe_violations(page) == []


@DEBUG_ON_AND_OFF
def test_a_too_long_note_keeps_the_text_and_says_the_limit(
    page, context, live_server, learner, settings, debug
):
    settings.DEBUG = debug
    resource = ResourceFactory(slug="khan", title="Khan")
    sign_in(context, live_server, learner)
    page.goto(f"/notes/{resource.slug}/?edit=1")
    page.evaluate("() => { window.stillTheSamePage = true; }")
    box = page.get_by_label("Your note (Markdown)")
    # The box's own maxlength stops typing at the limit; a paste from a script does not.
    text = "Key idea. " * (notes.MAX_NOTE_LENGTH // 10) + "one more"
    box.evaluate("(box, text) => { box.removeAttribute('maxlength'); box.value = text; }", text)
    page.get_by_role("button", name="Save note").click()

    expect(page.locator(".note .errorlist")).to_have_text(
        f"Keep the note under {notes.MAX_NOTE_LENGTH:,} characters."
    )
    assert page.get_by_label("Your note (Markdown)").input_value() == text
    assert page.evaluate("() => window.stillTheSamePage === true")
    assert not learner.notes.exists()


def test_a_429_from_the_proxy_says_wait_and_keeps_the_page(page, context, live_server, learner):
    resource = ResourceFactory(slug="khan", title="Khan")
    sign_in(context, live_server, learner)
    page.goto(resource.get_absolute_url())
    page.route(
        "**/progress/khan/status/",
        lambda route: route.fulfill(
            status=429,
            headers={"Retry-After": "30", "Content-Type": "text/html"},
            body="<html><body><h1>429 Too Many Requests</h1><hr>nginx</body></html>",
        ),
    )
    page.locator(".status-control").first.get_by_role("button", name="Done").click()

    expect(page.locator(".status-control + .htmx-error")).to_contain_text(
        "Too many requests in a short time: wait a minute and try again."
    )
    expect(page.locator(".status-control").first).to_contain_text("Your status: Not started")
    page.unroute("**/progress/khan/status/")
    page.locator(".status-control").first.get_by_role("button", name="Done").click()
    expect(page.locator(".status-control").first).to_contain_text("Your status: Done")
    expect(page.locator(".htmx-error")).to_have_count(0)
