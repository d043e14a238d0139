"""Reviews of whole resources retired into card reviews; the 24-hour exercise per concept."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from catalog.models import Exercise
from progress.models import ExerciseSuggestion, Progress, Review, Status
from tests.progress.concepts import concept_with_cards

D = dt.date


def finish(user_client, resource):
    return user_client.post(f"/progress/{resource.slug}/status/", {"status": "done"})


def exercise_for(concept, title):
    return Exercise.objects.create(
        concept=concept, title=title, task="Implement $f(x) = x^2$.", starter="x = None",
        solution="x = 1", checks="assert x == 1", break_it="Set x to 2: what fails?",
    )


# Course-level reviews, retired


def test_finishing_schedules_no_review_of_the_whole_resource(user_client, user, first_entry,
                                                            frozen_clock):
    finish(user_client, first_entry.resource)
    assert not Review.objects.filter(user=user).exists()


BEFORE = [("progress", "0004_cards")]
AFTER = [("progress", "0005_retire_course_reviews")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_drops_pending_reviews_and_keeps_rated_ones(user, catalogue):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        OldReview = executor.loader.project_state(BEFORE).apps.get_model("progress", "Review")
        resource = catalogue["linear-algebra-beginner-1"].pk
        OldReview.objects.create(user_id=user.pk, resource_id=resource, due=D(2026, 3, 11),
                                 interval_days=1, rating="good",
                                 done_at=dt.datetime(2026, 3, 11, tzinfo=dt.UTC))
        OldReview.objects.create(user_id=user.pk, resource_id=resource, due=D(2026, 3, 13),
                                 interval_days=2)
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        NewReview = executor.loader.project_state(AFTER).apps.get_model("progress", "Review")
        assert list(NewReview.objects.values_list("rating", flat=True)) == ["good"]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_old_review_address_leads_to_the_card_session(user_client, user, first_entry):
    review = Review.objects.create(user=user, resource=first_entry.resource,
                                   due=D(2026, 3, 11), interval_days=1)
    response = user_client.post(f"/reviews/{review.pk}/", {"rating": "good"}, follow=True)
    assert response.redirect_chain[-1][0] == "/cards/review/"
    assert "Reviews are of recall cards now" in response.content.decode()


def test_another_users_old_reviews_and_exercises_are_unreachable(client, other_user, user,
                                                                first_entry):
    Progress.objects.change(user, first_entry.resource, Status.DONE)
    review = Review.objects.create(user=user, resource=first_entry.resource,
                                   due=D(2026, 3, 11), interval_days=1)
    client.force_login(other_user)
    suggestion = user.exercise_suggestions.first()
    assert client.post(f"/reviews/{review.pk}/", {"rating": "good"}).status_code == 404
    assert client.post(f"/exercises/{suggestion.pk}/dismiss/").status_code == 404
    assert client.post(f"/exercises/{suggestion.pk}/done/").status_code == 404
    suggestion.refresh_from_db()
    assert suggestion.dismissed_at is None and suggestion.done_at is None


# Code it within 24 hours


def test_finishing_suggests_the_exercise_of_its_concept_at_its_level_due_in_24_hours(
    user_client, user, catalogue, frozen_clock
):
    resource = catalogue["linear-algebra-intermediate-1"]
    easy = concept_with_cards("vectors", [resource], level="beginner")
    right = concept_with_cards("eigenvalues", [resource], level="intermediate")
    exercise_for(easy, "Add vectors")
    exercise_for(right, "Power iteration")
    finish(user_client, resource)
    suggestion = user.exercise_suggestions.get()
    assert suggestion.exercise.title == "Power iteration"
    assert suggestion.due_at == dt.datetime(2026, 3, 11, 12, 0, tzinfo=dt.UTC)


def test_the_same_exercise_is_never_suggested_twice(user_client, user, catalogue):
    first, second = catalogue["linear-algebra-beginner-1"], catalogue["linear-algebra-beginner-2"]
    concept = concept_with_cards("linear-transformations", [first, second])
    other = concept_with_cards("vectors", [first, second])
    exercise_for(concept, "Compose two transformations")
    exercise_for(other, "Add vectors")
    finish(user_client, first)
    finish(user_client, second)
    titles = [s.exercise.title for s in user.exercise_suggestions.all()]
    assert sorted(titles) == ["Add vectors", "Compose two transformations"]
    # Finishing again with nothing new left: the area's general exercise once, then nothing.
    for resource in (first, second, first):
        user_client.post(f"/progress/{resource.slug}/status/", {"status": "in_progress"})
        finish(user_client, resource)
    titles = [s.exercise.title for s in user.exercise_suggestions.all()]
    assert len(titles) == len(set(titles)) == 3
    assert "Transform the unit square with NumPy" in titles


def test_a_resource_without_concept_exercises_gets_its_areas_exercise(user_client, user,
                                                                     first_entry):
    finish(user_client, first_entry.resource)
    suggestion = user.exercise_suggestions.get()
    assert suggestion.domain == "linear-algebra" and suggestion.concept_exercise is None
    assert "Transform the unit square with NumPy" in user_client.get("/").content.decode()


def test_an_exercise_can_be_marked_done_and_leaves_the_dashboard(user_client, user, first_entry):
    finish(user_client, first_entry.resource)
    suggestion = user.exercise_suggestions.get()
    response = user_client.post(f"/exercises/{suggestion.pk}/done/", follow=True)
    html = response.content.decode()
    assert "Well done: “Transform the unit square with NumPy” is marked done." in html
    assert "Transform the unit square" not in user_client.get("/").content.decode()
    again = user_client.post(f"/exercises/{suggestion.pk}/done/", follow=True)
    assert "was already marked done" in again.content.decode()
    assert ExerciseSuggestion.objects.get(pk=suggestion.pk).done_at is not None


def test_dismissing_an_exercise_still_works(user_client, user, first_entry):
    finish(user_client, first_entry.resource)
    suggestion = user.exercise_suggestions.get()
    response = user_client.post(f"/exercises/{suggestion.pk}/dismiss/", follow=True)
    assert "Dismissed “Transform the unit square with NumPy”" in response.content.decode()
    assert not user.exercise_suggestions.open().exists()
