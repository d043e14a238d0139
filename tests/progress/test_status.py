"""Setting a status: the contract, idempotency, the event log, htmx and plain forms, privacy."""

import pytest
from django.urls import reverse

from progress.models import Progress, ProgressEvent, Status
from tests.assessment.factories import ResourceFactory
from tests.progress.conftest import HTMX


def status_url(slug):
    return reverse("progress:set_status", args=[slug])


def test_the_url_is_named_set_status():
    assert status_url("khan") == "/progress/khan/status/"


@pytest.mark.parametrize("status", ["not_started", "in_progress", "done", "skipped"])
def test_each_status_is_set_by_a_plain_post_and_redirects_back(user_client, user, first_entry,
                                                              status):
    resource = first_entry.resource
    response = user_client.post(status_url(resource.slug), {"status": status, "next": "/roadmap/"})
    assert response.status_code == 302
    assert response["Location"] == "/roadmap/"
    assert Progress.objects.get(user=user, resource=resource).status == status
    messages = [str(m) for m in response.wsgi_request._messages]
    assert resource.title in messages[0]


def test_the_same_status_twice_is_not_a_toggle_and_logs_one_event(user_client, user,
                                                                 first_entry):
    url = status_url(first_entry.resource.slug)
    for _ in range(3):
        user_client.post(url, {"status": "done"})
    assert Progress.objects.get(user=user).status == Status.DONE
    assert ProgressEvent.objects.filter(user=user).count() == 1
    assert user.exercise_suggestions.count() == 1


def test_every_change_is_logged_with_its_time_and_start_and_finish_are_kept(
    user_client, user, first_entry, frozen_clock
):
    url = status_url(first_entry.resource.slug)
    user_client.post(url, {"status": "in_progress"})
    started = frozen_clock.moment
    frozen_clock.advance(days=3)
    user_client.post(url, {"status": "done"})
    progress = Progress.objects.get(user=user)
    assert progress.started_at == started
    assert progress.finished_at == frozen_clock.moment
    events = list(ProgressEvent.objects.filter(user=user).order_by("at"))
    assert [(e.status, e.at) for e in events] == [
        ("in_progress", started), ("done", frozen_clock.moment),
    ]
    user_client.post(url, {"status": "not_started"})
    progress.refresh_from_db()
    assert progress.started_at is None and progress.finished_at is None


def test_an_unknown_status_is_a_400_with_a_message(user_client, user, first_entry):
    response = user_client.post(status_url(first_entry.resource.slug), {"status": "finished"})
    assert response.status_code == 400
    assert "That status does not exist" in response.content.decode()
    response = user_client.post(status_url(first_entry.resource.slug), {}, headers=HTMX)
    assert response.status_code == 400
    assert "choose not started, in progress, done or skipped" in response.content.decode()
    assert not Progress.objects.filter(user=user).exists()


def test_an_unknown_or_unpublished_resource_is_a_404_with_a_message(user_client, user, db):
    ResourceFactory(slug="draft", published=False)
    for slug in ["no-such-resource", "draft"]:
        response = user_client.post(status_url(slug), {"status": "done"})
        assert response.status_code == 404
        assert "That resource is not in the catalogue" in response.content.decode()
        response = user_client.post(status_url(slug), {"status": "done"}, headers=HTMX)
        assert response.status_code == 404
        # Only the message, for the page's script to show beside the buttons.
        assert response.content.decode().strip().startswith(
            '<p class="htmx-error" role="alert">That resource is not in the catalogue'
        )
    assert not Progress.objects.exists()


def test_get_is_not_allowed(user_client, first_entry):
    assert user_client.get(status_url(first_entry.resource.slug)).status_code == 405


def test_visitors_are_sent_to_log_in(client, first_entry):
    response = client.post(status_url(first_entry.resource.slug), {"status": "done"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Progress.objects.exists()


def test_an_unsafe_next_is_ignored(user_client, first_entry):
    resource = first_entry.resource
    for target in ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"]:
        response = user_client.post(status_url(resource.slug),
                                    {"status": "in_progress", "next": target})
        assert response["Location"] == resource.get_absolute_url()

def test_with_htmx_elsewhere_the_control_itself_is_returned(user_client, first_entry):
    response = user_client.post(
        status_url(first_entry.resource.slug),
        {"status": "in_progress", "context": "detail"},
        headers=HTMX,
    )
    html = response.content.decode()
    assert html.lstrip().startswith("<form")
    assert f'id="status-detail-{first_entry.resource.slug}"' in html
    assert "progressChanged" in response["HX-Trigger-After-Settle"]

def test_the_roadmap_page_shows_status_controls_and_bars(user_client, first_entry):
    html = user_client.get("/roadmap/").content.decode()
    # One status control per role: its chosen resource (alternatives sit behind a disclosure).
    assert html.count('class="status-control"') == html.count('class="path-role')
    assert 'id="roadmap-progress"' in html and 'id="stage-progress-0"' in html
    assert "Overall: 0 of" in html


def test_skipping_with_the_status_is_the_roadmaps_skip(user_client, user, first_entry):
    user_client.post(status_url(first_entry.resource.slug),
                     {"status": "skipped", "reason": "Seen it at uni"})
    shown = entry_as_shown(user, first_entry)
    assert shown.skipped and shown.skip_reason == "Seen it at uni"
    html = user_client.get("/roadmap/").content.decode()
    assert "You chose to skip this: Seen it at uni" in html
    user_client.post(status_url(first_entry.resource.slug), {"status": "in_progress"})
    shown = entry_as_shown(user, first_entry)
    assert not shown.skipped and shown.skip_reason == ""


@pytest.mark.parametrize("back_to", ["not_started", "in_progress", "done"])
def test_skipping_and_coming_back_move_the_projected_dates(user_client, user, roadmap, back_to):
    """Every way back from "skipped" (the page offers "not started"; the rest are direct
    posts) puts the steps' hours back into the dates."""
    def finish():
        return projected_finish(user, roadmap)

    slugs = list(
        user.roadmap_entries.filter(stage__area="linear-algebra")
        .values_list("resource__slug", flat=True)
    )
    before = finish()
    for slug in slugs:
        user_client.post(status_url(slug), {"status": "skipped"})
    assert finish() < before
    for slug in slugs:
        user_client.post(status_url(slug), {"status": back_to})
    assert not any(e.skipped for e in user.roadmap_entries.for_roadmap_page())
    assert finish() == before


def test_staff_can_set_a_status_on_a_draft_they_preview(client, db):
    from tests.factories import UserFactory

    draft = ResourceFactory(slug="draft", published=False)
    client.force_login(UserFactory(is_staff=True))
    response = client.post(status_url("draft"), {"status": "in_progress"}, headers=HTMX)
    assert response.status_code == 200
    assert Progress.objects.get(resource=draft).status == "in_progress"


def test_the_roadmaps_skip_and_restore_set_the_status(user_client, user, first_entry):
    user_client.post(f"/roadmap/entries/{first_entry.pk}/skip/", {"reason": "Later"})
    progress = Progress.objects.get(user=user, resource=first_entry.resource)
    assert (progress.status, progress.skip_reason) == ("skipped", "Later")
    user_client.post(f"/roadmap/entries/{first_entry.pk}/restore/")
    progress.refresh_from_db()
    assert progress.status == "not_started"


def test_skips_survive_a_rebuild_of_the_roadmap(user_client, user, roadmap, first_entry):
    from assessment.models import Roadmap

    user_client.post(status_url(first_entry.resource.slug), {"status": "skipped"})
    Roadmap.build_for(roadmap.assessment)
    assert user.roadmap_entries.for_roadmap_page().get(resource=first_entry.resource).skipped

def test_the_catalogue_page_shows_the_learners_own_status_and_note(user_client, user,
                                                                  other_user, first_entry):
    from progress.models import Note, Progress

    resource = first_entry.resource
    Progress.objects.change(other_user, resource, Status.DONE)
    Note.objects.put(other_user, resource, "someone else's secret")
    html = user_client.get(resource.get_absolute_url()).content.decode()
    assert f'action="/progress/{resource.slug}/status/"' in html
    assert "Your status: <strong class=\"status-not_started\">Not started" in html
    assert "someone else" not in html
    Progress.objects.change(user, resource, Status.IN_PROGRESS)
    html = user_client.get(resource.get_absolute_url()).content.decode()
    assert "Your status: <strong class=\"status-in_progress\">In progress" in html


def test_visitors_see_no_status_control_on_the_catalogue_page(client, first_entry):
    html = client.get(first_entry.resource.get_absolute_url()).content.decode()
    assert "status-control" not in html


def test_a_missed_review_never_changes_the_status(user_client, user, first_entry, frozen_clock):
    from tests.progress.concepts import concept_with_cards

    concept_with_cards("vectors", [first_entry.resource])
    user_client.post(status_url(first_entry.resource.slug), {"status": "done"})
    frozen_clock.advance(days=30)
    assert "3 cards to recall today" in user_client.get("/").content.decode()
    assert Progress.objects.get(user=user).status == Status.DONE
    # Undoing "done" keeps the cards: what was learned stays to review.
    user_client.post(status_url(first_entry.resource.slug), {"status": "not_started"})
    assert user.learner_cards.count() == 3


def entry_as_shown(user, entry):
    """The roadmap entry with the learner's progress, as every page reads it."""
    return user.roadmap_entries.for_roadmap_page().get(pk=entry.pk)


def projected_finish(user, roadmap):
    """The roadmap's projected finish, drawn from the entries as the page draws it."""
    stages, entries = list(roadmap.stages.all()), list(user.roadmap_entries.for_roadmap_page())
    roadmap.schedule(stages, entries)
    return roadmap.finishes_on


def test_with_htmx_on_the_roadmap_the_control_answers_with_itself_and_the_event(
    user_client, first_entry
):
    response = user_client.post(
        status_url(first_entry.resource.slug),
        {"status": "done", "context": "roadmap"},
        headers=HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<form")
    assert f'id="status-roadmap-{first_entry.resource.slug}"' in html
    assert "<h1" not in html
    assert 'aria-pressed="true">Done<' in html
    assert "progressChanged" in response["HX-Trigger-After-Settle"]
    assert 'id="messages"' in html and "is done" in html


def test_the_roadmap_body_listens_for_changes_and_is_drawn_again_as_a_fragment(
    user_client, first_entry
):
    page = user_client.get("/roadmap/").content.decode()
    body = page.split('<div id="roadmap-body"')[1].split(">")[0]
    assert 'data-hx-trigger="progressChanged from:body"' in body
    user_client.post(status_url(first_entry.resource.slug), {"status": "done"})
    response = user_client.get("/roadmap/", headers={**HTMX, "HX-Target": "roadmap-body"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="roadmap-body"')
    assert "<h1" not in html
    assert "Overall: 1 of" in html
    assert "1 of" in html.split('id="stage-progress-0"')[1]
    assert 'class="path-role is-done" id="entry-' + str(first_entry.pk) in html


def test_skipping_with_htmx_on_the_roadmap_moves_the_dates_on_the_redrawn_body(
    user_client, user, roadmap, first_entry
):
    before = projected_finish(user, roadmap)
    response = user_client.post(status_url(first_entry.resource.slug),
                                {"status": "skipped", "context": "roadmap"}, headers=HTMX)
    assert "progressChanged" in response["HX-Trigger-After-Settle"]
    html = user_client.get("/roadmap/", headers={**HTMX, "HX-Target": "roadmap-body"})
    assert "You chose to skip this." in html.content.decode()
    assert projected_finish(user, roadmap) <= before

