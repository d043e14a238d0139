"""Private notes edited inline, and the secret, revocable calendar feed."""

import datetime as dt

import pytest
from icalendar import Calendar

from progress.models import CalendarToken, Note, Progress, Status
from tests.progress.conftest import HTMX


def note_url(entry):
    return f"/notes/{entry.resource.slug}/"


def test_a_note_is_saved_with_a_plain_post_and_shown_rendered(user_client, user, first_entry):
    response = user_client.post(note_url(first_entry), {"text": "**Eigen** vectors"})
    assert response.status_code == 302
    assert Note.objects.get(user=user).text == "**Eigen** vectors"
    html = user_client.get(note_url(first_entry)).content.decode()
    assert "<strong>Eigen</strong> vectors" in html
    assert html.count("<h1") == 1


def test_saving_again_replaces_the_note(user_client, user, first_entry):
    user_client.post(note_url(first_entry), {"text": "one"})
    user_client.post(note_url(first_entry), {"text": "two"})
    assert list(Note.objects.filter(user=user).values_list("text", flat=True)) == ["two"]


def test_htmx_gets_the_edit_form_then_the_rendered_note(user_client, user, first_entry):
    Note.objects.put(user, first_entry.resource, "first draft")
    form = user_client.get(note_url(first_entry) + "?edit=1", headers=HTMX).content.decode()
    assert form.lstrip().startswith(f'<div class="note" id="note-{first_entry.resource.slug}">')
    assert "<textarea" in form and "first draft</textarea>" in form and "<h1" not in form
    saved = user_client.post(note_url(first_entry), {"text": "*better*"}, headers=HTMX)
    html = saved.content.decode()
    assert "<em>better</em>" in html and "<textarea" not in html and "<h1" not in html
    assert 'id="messages"' in html


def test_without_javascript_edit_is_a_page_with_the_form(user_client, first_entry):
    html = user_client.get(note_url(first_entry) + "?edit=1").content.decode()
    assert "<textarea" in html and html.count("<h1") == 1


def test_scripts_in_notes_never_reach_the_page(user_client, user, first_entry):
    user_client.post(note_url(first_entry), {
        "text": "<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))"
    })
    for url in [note_url(first_entry), first_entry.resource.get_absolute_url()]:
        html = user_client.get(url).content.decode()
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert 'href="javascript:' not in html


def test_a_too_long_note_is_refused_and_kept_in_the_form(user_client, user, first_entry):
    response = user_client.post(note_url(first_entry), {"text": "x" * 20_001})
    assert response.status_code == 400
    assert "Keep the note under" in response.content.decode()
    assert not Note.objects.exists()


def test_another_users_note_is_never_shown(client, user, other_user, first_entry):
    Note.objects.put(user, first_entry.resource, "my private thought")
    client.force_login(other_user)
    html = client.get(note_url(first_entry)).content.decode()
    assert "my private thought" not in html


def test_visitors_cannot_read_or_write_notes(client, first_entry):
    assert client.get(note_url(first_entry)).status_code == 302
    assert client.post(note_url(first_entry), {"text": "x"}).status_code == 302
    assert not Note.objects.exists()


def test_pages_show_the_html_stored_at_save_and_never_parse_a_note(
    user_client, user, first_entry, monkeypatch
):
    from progress import notes

    user_client.post(note_url(first_entry), {"text": "**stored**\n\n| a |\n| - |\n| 1 |"})
    stored = Note.objects.get(user=user).text_html
    assert "<strong>stored</strong>" in stored and "<td>1</td>" in stored

    def no_parsing(*args):
        raise AssertionError("a page parsed a note")

    monkeypatch.setattr(notes, "render_markdown", no_parsing)
    monkeypatch.setattr(notes, "clean_html", no_parsing)
    monkeypatch.setattr(notes, "_parse", no_parsing)
    pages = [
        user_client.get(note_url(first_entry)),
        user_client.get(note_url(first_entry), headers=HTMX),
        user_client.get(first_entry.resource.get_absolute_url()),
    ]
    for response in pages:
        assert response.status_code == 200
        assert "<strong>stored</strong>" in response.content.decode()


def test_a_note_saved_any_other_way_stores_its_html_too(user, first_entry):
    note = Note.objects.create(user=user, resource=first_entry.resource, text="*one*")
    assert note.text_html == "<p><em>one</em></p>\n"
    note.text = "*two*"
    note.save(update_fields=["text"])
    assert Note.objects.get(pk=note.pk).text_html == "<p><em>two</em></p>\n"


# The calendar feed


def feed(client, token):
    return client.get(f"/calendar/{token}.ics")


def test_the_calendar_address_is_created_on_the_dashboard_and_is_valid_icalendar(
    user_client, client, user, first_entry, frozen_clock
):
    from tests.progress.concepts import concept_with_cards

    concept_with_cards("vectors", [first_entry.resource])
    Progress.objects.change(user, first_entry.resource, Status.DONE)
    card = user.learner_cards.first()
    card.due = dt.date(2026, 3, 13)
    card.save(update_fields=["due"])
    user_client.post("/focus/", {"resource": first_entry.resource.slug})
    response = user_client.post("/calendar/new/")
    assert response.status_code == 302
    token = CalendarToken.objects.get(user=user).token
    assert f"/calendar/{token}.ics" in user_client.get("/").content.decode()

    response = feed(client, token)  # a calendar app: no session at all
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    starts = sorted(e.decoded("dtstart") for e in events)
    assert starts == [dt.date(2026, 3, 11), dt.date(2026, 3, 13), dt.date(2026, 3, 24)]
    assert {str(e["summary"]) for e in events} == {
        "Review 2 cards", "Review 1 card", f"Focus ends: {first_entry.resource.title}"
    }
    # The day's count links to the card session, not to the catalogue.
    assert {str(e["url"]) for e in events if "cards" in str(e["summary"])} == {
        "http://testserver/cards/review/"
    }
    assert len({str(e["uid"]) for e in events}) == 3
    assert feed(client, token).content == response.content  # stable UIDs and stamps


def test_revoking_makes_the_old_address_404(user_client, client, user, first_entry):
    user_client.post("/calendar/new/")
    token = CalendarToken.objects.get(user=user).token
    user_client.post("/calendar/revoke/")
    assert feed(client, token).status_code == 404
    assert "Create my calendar address" in user_client.get("/").content.decode()


def test_a_new_address_replaces_the_old_one(user_client, client, user):
    user_client.post("/calendar/new/")
    old = CalendarToken.objects.get(user=user).token
    user_client.post("/calendar/new/")
    new = CalendarToken.objects.get(user=user, revoked_at__isnull=True).token
    assert new != old
    assert feed(client, old).status_code == 404
    assert feed(client, new).status_code == 200


def test_unknown_tokens_are_404(client, db):
    assert feed(client, "not-a-real-token").status_code == 404


def test_the_feed_shows_only_its_owners_reviews(client, user, other_user, first_entry):
    from tests.progress.concepts import concept_with_cards

    concept_with_cards("vectors", [first_entry.resource])
    Progress.objects.change(other_user, first_entry.resource, Status.DONE)
    token = CalendarToken.issue(user).token
    calendar = Calendar.from_ical(feed(client, token).content)
    assert calendar.walk("VEVENT") == []


def test_creating_and_revoking_need_a_signed_in_post(client, user):
    assert client.post("/calendar/new/").status_code == 302
    assert not CalendarToken.objects.exists()
    client.force_login(user)
    assert client.get("/calendar/new/").status_code == 405


def test_headings_in_a_note_move_down_under_the_page_headings():
    from progress.notes import render_markdown

    html = str(render_markdown("# Key ideas\n\n## Detail\n\n#### Deep\n\ntext"))
    assert "<h3>Key ideas</h3>" in html and "<h4>Detail</h4>" in html and "<h6>Deep</h6>" in html
    assert "<h1" not in html and "<h2" not in html


@pytest.mark.parametrize("came_from, name", [("/roadmap/", "Your roadmap"), ("/", "Dashboard")])
def test_the_note_pages_breadcrumb_leads_back_where_the_learner_came_from(
    user_client, first_entry, came_from, name
):
    slug = first_entry.resource.slug
    html = user_client.get(f"/notes/{slug}/?next={came_from}").content.decode()
    crumb = html.split('class="breadcrumb">')[1].split("</nav>")[0]
    assert f'<a href="{came_from}">{name}</a>' in crumb
    assert first_entry.resource.title in crumb
