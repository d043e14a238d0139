"""The acceptance journey for recall cards, in Chromium: finish 3Blue1Brown's Essence of
Linear Algebra, find its concepts' cards due tomorrow, review them with typeset maths and
the keyboard (and without JavaScript), and download the deck for Anki."""

import datetime as dt
import sqlite3
import zipfile
from io import BytesIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from catalog.models import RecallCard
from tests.e2e.conftest import axe_violations, screenshot, sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True)]
ESSENCE = "3blue1brown-essence-of-linear-algebra"


@pytest.fixture
def learner(transactional_db):
    call_command("loadcatalog", verbosity=0)
    return UserFactory()


@pytest.fixture
def clock(monkeypatch):
    """Django's clock, movable by the test (the live server runs in a thread of this process)."""
    from django.utils import timezone

    moment = {"now": dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)}
    monkeypatch.setattr(timezone, "now", lambda: moment["now"])
    return moment


def essence_card_count():
    return RecallCard.objects.filter(
        concept__locations__resource__slug=ESSENCE, concept__published=True
    ).count()


def test_a_learner_finishes_essence_reviews_its_cards_and_downloads_the_deck(
    page, context, live_server, learner, clock, tmp_path
):
    expected = essence_card_count()
    assert expected >= 6
    sign_in(context, live_server, learner)
    page.goto(f"/catalog/{ESSENCE}/")
    page.get_by_role("button", name="Done", exact=True).first.click()
    expect(page.locator("#messages")).to_contain_text("cards of its concepts are due tomorrow")

    page.goto("/")
    expect(page.locator("#dashboard-reviews")).to_contain_text(f"{expected} cards due tomorrow.")
    expect(page.locator("#dashboard-reviews")).to_contain_text("Nothing to review today.")

    clock["now"] += dt.timedelta(days=1)
    page.goto("/")
    expect(page.locator("#dashboard-reviews")).to_contain_text(
        f"{expected} cards to recall today."
    )
    page.get_by_role("link", name="Review your cards").click()
    session = page.locator("#card-session")
    expect(session).to_contain_text(f"{expected} cards due today")
    page.keyboard.press(" ")
    expect(session.locator("#card-answer")).to_be_visible()
    assert page.locator("#card-session math").count() >= 1  # typeset as MathML
    assert axe_violations(page) == []
    screenshot(page, "cards-session-answer")
    page.keyboard.press("3")
    expect(page.locator("#messages")).to_contain_text("comes back tomorrow")
    expect(session).to_contain_text(f"{expected - 1} cards due today")
    # The mouse works as well as the keys.
    page.get_by_role("link", name="Show answer").click()
    page.get_by_role("button", name="Easy").click()
    expect(session).to_contain_text(f"{expected - 2} cards due today")

    with page.expect_download() as download_info:
        page.goto("/")
        page.get_by_role("link", name="Download them for Anki").click()
    path = tmp_path / "deck.apkg"
    download_info.value.save_as(path)
    archive = zipfile.ZipFile(BytesIO(path.read_bytes()))
    (tmp_path / "collection.anki2").write_bytes(archive.read("collection.anki2"))
    database = sqlite3.connect(tmp_path / "collection.anki2")
    assert database.execute("SELECT count(*) FROM notes").fetchone()[0] == expected
    database.close()


def test_without_javascript_a_card_is_shown_and_rated(browser, live_server, learner, clock):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        sign_in(context, live_server, learner)
        page = context.new_page()
        page.goto(f"/catalog/{ESSENCE}/")
        page.get_by_role("button", name="Done", exact=True).first.click()
        page.wait_for_load_state()
        clock["now"] += dt.timedelta(days=1)
        page.goto("/cards/review/")
        page.get_by_role("link", name="Show answer").click()
        page.wait_for_load_state()
        expect(page.locator("#card-answer")).to_be_visible()
        page.get_by_role("button", name="Good").click()
        page.wait_for_load_state()
        expect(page.locator("#messages")).to_contain_text("Good: this card")
        screenshot(page, "cards-session-without-javascript")
    finally:
        context.close()
