"""Double clicks, two tabs, concurrent requests: one row, no server error."""

import pytest
from django.utils import timezone

from assessment.models import RoadmapEntry
from progress.models import (
    CalendarToken,
    CardReview,
    ExerciseSuggestion,
    Focus,
    FocusOutcome,
    LearnerCard,
    Progress,
    ProgressEvent,
    Status,
)
from tests.progress.concepts import concept_with_cards
from tests.threads import logged_in_clients, run_together

THREADS = 20


@pytest.fixture
def first_entry(first_entry):
    """The first roadmap entry, its resource teaching a concept with three cards."""
    concept_with_cards("vectors", [first_entry.resource])
    return first_entry


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_status_posts_leave_exactly_one_row(user, first_entry):
    url = f"/progress/{first_entry.resource.slug}/status/"
    statuses = ["done"] * (THREADS // 2) + ["in_progress"] * (THREADS // 2)
    clients = logged_in_clients(user, THREADS)
    codes, errors = run_together(
        THREADS, lambda n: clients[n].post(url, {"status": statuses[n]}).status_code
    )

    assert not errors
    assert len(codes) == THREADS
    assert all(code < 500 for code in codes), codes
    assert Progress.objects.filter(user=user, resource=first_entry.resource).count() == 1
    # Each logged event is a real change, so no two consecutive events repeat a status.
    events = list(ProgressEvent.objects.filter(user=user).order_by("at", "id"))
    assert 1 <= len(events) <= THREADS
    # Cards are never given twice, and an exercise at most once per finish.
    assert LearnerCard.objects.filter(user=user).count() == 3
    assert ExerciseSuggestion.objects.filter(user=user).count() <= 1


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_identical_posts_log_one_change(user, first_entry):
    url = f"/progress/{first_entry.resource.slug}/status/"
    clients = logged_in_clients(user, THREADS)
    codes, errors = run_together(
        THREADS, lambda n: clients[n].post(url, {"status": "done"}).status_code
    )

    assert not errors
    assert codes == [302] * THREADS
    assert Progress.objects.filter(user=user).count() == 1
    assert ProgressEvent.objects.filter(user=user).count() == 1
    assert LearnerCard.objects.filter(user=user).count() == 3
    assert ExerciseSuggestion.objects.filter(user=user).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_status_change_that_fails_part_way_leaves_nothing_behind(user, first_entry):
    """Every write of a change commits together or not at all, with no transaction around
    the call (autocommit, as in a view): here its last write, the exercise, fails."""
    from django.db import DatabaseError, connection

    resource = first_entry.resource
    Progress.objects.change(user, resource, Status.IN_PROGRESS)
    with connection.cursor() as cursor:
        cursor.execute("""
            CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS
            $$ BEGIN RAISE EXCEPTION 'refused'; END $$;
            CREATE TRIGGER refuse BEFORE INSERT ON assessment_exercisesuggestion
            FOR EACH ROW EXECUTE FUNCTION refuse();
        """)
    try:
        with pytest.raises(DatabaseError, match="refused"):
            Progress.objects.change(user, resource, Status.DONE)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER refuse ON assessment_exercisesuggestion; "
                           "DROP FUNCTION refuse()")
    assert Progress.objects.get(user=user, resource=resource).status == Status.IN_PROGRESS
    assert ProgressEvent.objects.filter(user=user, resource=resource).count() == 1
    assert not ExerciseSuggestion.objects.filter(user=user).exists()


# The same form sent many times at once (a double click, a second tab, a retrying client):
# each of these used to answer a few of the requests with a 500, an IntegrityError on a
# one-live-row constraint. Now every request gets the winner's result.


@pytest.mark.django_db(transaction=True)
def test_simultaneous_new_calendar_addresses_leave_one_and_answer_everyone(user):
    clients = logged_in_clients(user, THREADS)
    codes, errors = run_together(
        THREADS, lambda n: clients[n].post("/calendar/new/").status_code
    )

    assert not errors
    assert codes == [302] * THREADS
    assert CalendarToken.objects.filter(user=user, revoked_at__isnull=True).count() == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_focus_choices_keep_one_focus_and_answer_everyone(user, roadmap):
    entries = list(user.roadmap_entries.filter(is_optional=False)[:2])
    clients = logged_in_clients(user, THREADS)
    # Two tabs choosing two different resources at once, many times over.
    codes, errors = run_together(THREADS, lambda n: clients[n].post(
        "/focus/", {"resource": entries[n % 2].resource.slug}
    ).status_code)

    assert not errors
    assert codes == [302] * THREADS
    assert Focus.objects.filter(user=user, answered_at__isnull=True).count() == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_answers_to_a_focus_extend_it_once(user, first_entry):
    focus = Focus.objects.start(user, first_entry.resource, timezone.localdate())
    clients = logged_in_clients(user, THREADS)
    codes, errors = run_together(THREADS, lambda n: clients[n].post(
        "/focus/answer/", {"outcome": "extended", "focus": focus.pk}
    ).status_code)

    assert not errors
    assert codes == [302] * THREADS
    old, new = Focus.objects.filter(user=user).order_by("created_at", "id")
    assert old.outcome == FocusOutcome.EXTENDED and new.answered_at is None


@pytest.mark.django_db(transaction=True)
def test_simultaneous_ratings_of_one_card_review_it_once(user, first_entry):
    Progress.objects.change(user, first_entry.resource, Status.DONE)
    card = LearnerCard.objects.filter(user=user).first()
    LearnerCard.objects.filter(pk=card.pk).update(due=timezone.localdate())
    clients = logged_in_clients(user, THREADS)
    codes, errors = run_together(THREADS, lambda n: clients[n].post(
        "/cards/review/", {"card": card.pk, "rating": "3"}
    ).status_code)

    assert not errors
    assert codes == [302] * THREADS
    assert CardReview.objects.filter(learner_card=card).count() == 1
    card.refresh_from_db()
    assert card.reps == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_adds_put_a_resource_on_the_roadmap_once(user, roadmap, catalogue):
    on_roadmap = set(user.roadmap_entries.values_list("resource__slug", flat=True))
    extra = next(r for slug, r in catalogue.items() if slug not in on_roadmap)
    clients = logged_in_clients(user, THREADS)
    codes, errors = run_together(THREADS, lambda n: clients[n].post(
        "/roadmap/add/", {"resource": extra.slug}
    ).status_code)

    assert not errors
    assert codes == [302] * THREADS
    entry = RoadmapEntry.objects.get(user=user, resource=extra)
    positions = list(entry.stage.entries.values_list("position", flat=True))
    assert len(positions) == len(set(positions))
