"""The dashboard at /, the timeline, the export, and fixed query counts."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assessment.models import Roadmap
from progress.models import (
    CalendarToken,
    Focus,
    LearnerCard,
    Note,
    Progress,
    ProgressEvent,
    Review,
    Status,
)
from tests.assessment.factories import AssessmentFactory, ResourceFactory
from tests.factories import UserFactory
from tests.progress.concepts import concept_with_cards
from tests.progress.conftest import HTMX


def test_visitors_still_get_the_public_home_page(client, db):
    html = client.get("/").content.decode()
    assert "Learn the maths behind AI" in html
    assert "Your dashboard" not in html


def test_signed_in_learners_get_their_dashboard(user_client, first_entry):
    response = user_client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1 and "Your dashboard" in html
    for heading in ["Your focus", "Cards due today", "Code it within 24 hours", "Your progress",
                    "Next steps on your roadmap", "Your self-ratings", "Activity in the last"]:
        assert heading in html
    assert first_entry.resource.title in html


def test_a_learner_without_a_roadmap_is_pointed_to_the_assessment(user_client):
    html = user_client.get("/").content.decode()
    assert 'href="/assessment/"' in html


def test_the_charts_have_text_alternatives(user_client, user, first_entry):
    AssessmentFactory(user=user, linear_algebra=4, calculus=2)
    Progress.objects.change(user, first_entry.resource, Status.DONE)
    html = user_client.get("/").content.decode()
    assert html.count('<svg class="chart') == 3  # ratings, study hours, activity
    assert "<title id=\"ratings-chart-title\">" in html and "<desc" in html
    assert "Self-ratings as a table" in html and "Activity as a table" in html
    assert "<td>4</td>" in html
    assert "style=" not in html.split("<main")[1]


def test_the_progress_section_refreshes_with_reviews_and_exercises_out_of_band(
    user_client, user, first_entry
):
    Progress.objects.change(user, first_entry.resource, Status.DONE)
    response = user_client.get("/", headers={**HTMX, "HX-Target": "dashboard-progress"})
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card dashboard-progress"')
    reviews = 'id="dashboard-reviews" aria-labelledby="reviews-heading" data-hx-swap-oob="true"'
    assert reviews in html
    assert 'id="dashboard-exercises"' in html and "<h1" not in html


def test_the_timeline_lists_start_and_finish_and_every_change(user_client, user, first_entry):
    Progress.objects.change(user, first_entry.resource, Status.IN_PROGRESS)
    Progress.objects.change(user, first_entry.resource, Status.DONE)
    html = user_client.get("/progress/").content.decode()
    assert html.count("<h1") == 1
    assert first_entry.resource.title in html
    assert html.count(f"— {first_entry.resource.title}:") == 2


def test_the_export_has_progress_reviews_focus_and_notes(user_client, user, first_entry):
    resource = first_entry.resource
    # A review of the whole resource from before reviews were of cards: history, exported.
    Review.objects.create(user=user, resource=resource, due=datetime.date(2026, 3, 11),
                          interval_days=1, rating="good", done_at=datetime.datetime(
                              2026, 3, 11, 9, tzinfo=datetime.UTC))
    Progress.objects.change(user, resource, Status.IN_PROGRESS)
    Progress.objects.change(user, resource, Status.DONE)
    Focus.objects.start(user, resource, datetime.date.today())
    Note.objects.put(user, resource, "# My note")
    CalendarToken.issue(user)
    data = user_client.get("/accounts/export/?download=1").json()
    (progress,) = data["progress"]
    assert progress["resource"] == resource.slug and progress["status"] == "done"
    assert progress["started_at"] and progress["finished_at"]
    assert [h["status"] for h in progress["history"]] == ["in_progress", "done"]
    assert {tuple(sorted(r)) for r in data["reviews"]} == {
        ("done_at", "due", "interval_days", "rating", "resource")
    }
    assert len(data["reviews"]) == 1 and data["reviews"][0]["rating"] == "good"
    assert data["focus"][0]["resource"] == resource.slug
    assert data["notes"] == [
        {"resource": resource.slug, "markdown": "# My note", "updated_at": data["notes"][0][
            "updated_at"]}
    ]
    assert data["exercises"][0]["domain"] == "linear-algebra"
    token = CalendarToken.objects.get(user=user).token
    assert token not in str(data)


def test_the_export_never_holds_another_users_progress(user_client, other_user, first_entry):
    Progress.objects.change(other_user, first_entry.resource, Status.DONE)
    Note.objects.put(other_user, first_entry.resource, "not yours")
    data = user_client.get("/accounts/export/?download=1").json()
    assert data["progress"] == [] and data["reviews"] == [] and data["notes"] == []


# Query counts: the same whatever the number of resources, reviews and events.


def learner_with(n):
    """A learner with n resources on the roadmap, n/2 done (3 cards each), a focus, events.

    Returns the learner and one more roadmap resource they have not touched yet.
    """
    learner = UserFactory()
    resources = [ResourceFactory(level="beginner", domains=["linear-algebra"]) for _ in range(n)]
    untouched = ResourceFactory(level="beginner", domains=["linear-algebra"])
    Roadmap.build_for(AssessmentFactory(user=learner, linear_algebra=1))
    AssessmentFactory(user=learner, linear_algebra=2)
    for resource in resources[: n // 2]:
        concept_with_cards(f"concept-{resource.slug}", [resource])
        Progress.objects.change(learner, resource, Status.IN_PROGRESS)
        Progress.objects.change(learner, resource, Status.DONE)
    Focus.objects.start(learner, resources[-1], datetime.date(2026, 3, 10))
    Note.objects.put(learner, resources[0], "note")
    CalendarToken.issue(learner)
    return learner, untouched


def count_queries(learner, request):
    client = Client()
    client.force_login(learner)
    with CaptureQueriesContext(connection) as queries:
        response = request(client)
    assert response.status_code in (200, 302), response.status_code
    return len(queries)


PAGES = {
    "dashboard": lambda c: c.get("/"),
    "dashboard fragment": lambda c: c.get("/", headers={**HTMX, "HX-Target": "dashboard-progress"}),
    "roadmap": lambda c: c.get("/roadmap/"),
    "roadmap body": lambda c: c.get("/roadmap/", headers={**HTMX, "HX-Target": "roadmap-body"}),
    "timeline": lambda c: c.get("/progress/"),
}


@pytest.mark.parametrize("page", PAGES)
def test_pages_run_the_same_queries_for_few_or_many_resources(db, page):
    small, _ = learner_with(2)
    large, _ = learner_with(24)
    assert LearnerCard.objects.filter(user=large).count() == 36
    assert count_queries(small, PAGES[page]) == count_queries(large, PAGES[page])


@pytest.mark.parametrize(
    ("status", "headers", "context"),
    [("done", {}, ""), ("done", HTMX, "roadmap"), ("in_progress", HTMX, "detail"),
     ("skipped", HTMX, "roadmap")],
)
def test_a_status_change_runs_the_same_queries_for_few_or_many(db, status, headers, context):
    counts = []
    for n in (2, 24):
        learner, target = learner_with(n)
        counts.append(count_queries(
            learner,
            lambda c, target=target: c.post(f"/progress/{target.slug}/status/",
                                             {"status": status, "context": context},
                                             headers=headers),
        ))
    assert counts[0] == counts[1]


def test_the_dashboard_stays_within_its_budget(db,
                                               django_assert_max_num_queries):
    learner, _ = learner_with(10)
    client = Client()
    client.force_login(learner)
    # Drawn on every view: session, user, time zone and weekly goal, entries with progress,
    # cards due, exercises, focus, assessments, activity per day, calendar, recent changes;
    # the week: hours per week, resources finished; the pace: time logged per resource with
    # the first log, last week's projection, the latest (and, when it moved, its new row).
    # The Continue block reuses the cards due.
    for _ in range(2):
        with django_assert_max_num_queries(17):
            assert client.get("/").status_code == 200


def test_a_status_change_stays_within_its_budget(db, django_assert_max_num_queries):
    learner, target = learner_with(10)
    client = Client()
    client.force_login(learner)
    # session, user, the resource; then in one transaction: lock the learner with their
    # time zone, read the progress, write it, log the event, the cards of its concepts (one
    # statement), a concept's exercise not given yet, and when there is none the area's
    # (its domains, given before?), then the suggestion; the transaction's savepoint and
    # its release (the test runs inside a transaction)
    with django_assert_max_num_queries(14):
        client.post(f"/progress/{target.slug}/status/", {"status": "done"})


@pytest.mark.parametrize(
    ("status", "queries"),
    # session, user, the resource, then lock the learner and read the row unchanged (with
    # the transaction's savepoint and release: the test runs inside a transaction)
    [("in_progress", 7), ("done", 7)],
)
def test_the_same_status_again_writes_nothing(db, django_assert_num_queries, status, queries):
    """A double click or a retry: no new event, no redraw, and it says so."""
    learner, target = learner_with(2)
    client = Client()
    client.force_login(learner)
    client.post(f"/progress/{target.slug}/status/", {"status": status}, headers=HTMX)
    reviews = Review.objects.filter(user=learner).count()
    with django_assert_num_queries(queries):
        response = client.post(f"/progress/{target.slug}/status/", {"status": status},
                               headers=HTMX)
    assert response.status_code == 200
    label = "done" if status == "done" else "in progress"
    assert f"was already marked {label}" in str(list(get_messages(response.wsgi_request)))
    assert ProgressEvent.objects.filter(user=learner, resource=target).count() == 1
    assert Review.objects.filter(user=learner).count() == reviews


@pytest.mark.parametrize(
    ("page", "queries"),
    # session, user, then: dashboard fragment — time zone, entries with progress, cards
    # due, exercises; timeline — time zone, progress rows, events; roadmap body — roadmap,
    # stages, entries with progress; note page — the resource, the note
    [("dashboard fragment", 6), ("timeline", 5), ("roadmap body", 5), ("note", 4)],
)
def test_each_learner_page_runs_its_fixed_number_of_queries(
    db, django_assert_num_queries, page, queries
):
    learner, _ = learner_with(10)
    client = Client()
    client.force_login(learner)
    note_url = f"/notes/{learner.notes.get().resource.slug}/"
    request = PAGES.get(page) or (lambda c: c.get(note_url))
    with django_assert_num_queries(queries):
        assert request(client).status_code == 200


def test_a_new_learner_sees_one_call_to_action_not_empty_cards(user_client):
    html = user_client.get("/").content.decode()
    assert "Start here" in html
    assert html.count('href="/assessment/"') >= 1
    assert "Your week" not in html and "Reviews in your calendar" not in html


def test_a_returning_learner_sees_one_continue_block_first_then_the_week(user_client, user,
                                                                        roadmap):
    finished, focused = [e.resource for e in user.roadmap_entries.for_roadmap_page()[:2]]
    concept_with_cards("vectors-continue", [finished])
    Progress.objects.change(user, finished, Status.IN_PROGRESS)
    Progress.objects.change(user, finished, Status.DONE)  # its cards, an exercise to code
    LearnerCard.objects.filter(user=user).update(due=datetime.date.today()
                                                 - datetime.timedelta(days=1))
    Progress.objects.change(user, focused, Status.IN_PROGRESS)
    Focus.objects.start(user, focused, datetime.date.today())
    html = user_client.get("/").content.decode()
    block = html.split('id="dashboard-continue"')[1].split("</section>")[0]
    assert focused.title in block and "14 days left" in block
    assert f"/progress/log/?resource={focused.slug}" in block
    assert "3 cards due — about 3 minutes" in block
    assert 'href="/cards/review/"' in block
    exercise = user.exercise_suggestions.get()
    assert exercise.exercise.title in block and f'href="#exercise-{exercise.pk}"' in block
    order = [html.index(h) for h in ('id="continue-heading"', 'id="week-heading"',
                                      'id="focus-heading"', 'id="next-heading"')]
    assert order == sorted(order)


def test_the_continue_block_without_a_focus_points_to_the_next_step(user_client, first_entry):
    html = user_client.get("/").content.decode()
    block = html.split('id="dashboard-continue"')[1].split("</section>")[0]
    assert first_entry.resource.title in block and "Nothing due to review today" in block
