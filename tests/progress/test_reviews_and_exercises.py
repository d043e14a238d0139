"""Finishing a resource: reviews after 1, 3 and 7 local days, ratings, the 24-hour exercise."""

import datetime as dt

import pytest

from accounts.models import Profile
from progress.models import Progress, Review, Status

D = dt.date


def finish(user_client, entry):
    return user_client.post(f"/progress/{entry.resource.slug}/status/", {"status": "done"})


def due_dates(user):
    return [r.due for r in user.reviews.pending().order_by("due")]


def test_done_schedules_reviews_after_one_three_and_seven_days(user_client, user, first_entry,
                                                              frozen_clock):
    finish(user_client, first_entry)
    assert due_dates(user) == [D(2026, 3, 11), D(2026, 3, 13), D(2026, 3, 17)]
    assert [r.interval_days for r in user.reviews.order_by("due")] == [1, 2, 4]


@pytest.mark.parametrize(
    ("zone", "utc_moment", "first_due"),
    [
        # 23:30 on the 10th in New York is already 04:30 on the 11th in UTC.
        ("America/New_York", dt.datetime(2026, 3, 11, 3, 30, tzinfo=dt.UTC), D(2026, 3, 11)),
        # 09:00 on the 11th in Auckland is still the 10th in UTC.
        ("Pacific/Auckland", dt.datetime(2026, 3, 10, 20, 0, tzinfo=dt.UTC), D(2026, 3, 12)),
        ("UTC", dt.datetime(2026, 3, 10, 23, 59, tzinfo=dt.UTC), D(2026, 3, 11)),
    ],
)
def test_review_dates_follow_the_learners_calendar_not_utc(user_client, user, first_entry,
                                                          frozen_clock, zone, utc_moment,
                                                          first_due):
    Profile.objects.create(user=user, time_zone=zone)
    frozen_clock.set(utc_moment)
    finish(user_client, first_entry)
    assert due_dates(user)[0] == first_due


def test_a_review_is_due_on_the_dashboard_from_its_local_day(user_client, user, first_entry,
                                                            frozen_clock):
    Profile.objects.create(user=user, time_zone="Europe/Paris")
    frozen_clock.set(dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC))
    finish(user_client, first_entry)
    # 22:30 UTC on the 10th is 23:30 in Paris: still not the 11th there.
    frozen_clock.set(dt.datetime(2026, 3, 10, 22, 30, tzinfo=dt.UTC))
    assert user_client.get("/").context["due_reviews"] == []
    # 23:30 UTC is half past midnight on the 11th in Paris: the first review is due.
    frozen_clock.set(dt.datetime(2026, 3, 10, 23, 30, tzinfo=dt.UTC))
    due = user_client.get("/").context["due_reviews"]
    assert [r.due for r in due] == [D(2026, 3, 11)]


def test_the_dashboard_lists_reviews_due_in_one_three_and_seven_days(user_client, first_entry,
                                                                    frozen_clock):
    finish(user_client, first_entry)
    html = user_client.get("/").content.decode()
    assert "(tomorrow)" in html and "(in 3 days)" in html and "(in 7 days)" in html
    assert first_entry.resource.title in html


@pytest.mark.parametrize(
    ("rating", "next_due"),
    [("again", D(2026, 3, 12)), ("hard", D(2026, 3, 12)), ("good", D(2026, 3, 13)),
     ("easy", D(2026, 3, 14))],
)
def test_rating_a_review_moves_the_next_one(user_client, user, first_entry, frozen_clock,
                                            rating, next_due):
    finish(user_client, first_entry)
    frozen_clock.advance(days=1)
    review = user.reviews.order_by("due").first()
    response = user_client.post(f"/reviews/{review.pk}/", {"rating": rating})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.rating == rating and review.done_at == frozen_clock.moment
    assert due_dates(user)[0] == next_due
    assert len(due_dates(user)) == 2


def test_rating_the_last_review_schedules_a_wider_one(user_client, user, first_entry,
                                                     frozen_clock):
    finish(user_client, first_entry)
    for days in (1, 2, 4):
        frozen_clock.advance(days=days)
        review = user.reviews.pending().order_by("due").first()
        user_client.post(f"/reviews/{review.pk}/", {"rating": "good"})
    (following,) = user.reviews.pending()
    assert (following.due, following.interval_days) == (D(2026, 3, 25), 8)


def test_a_review_cannot_be_rated_before_it_is_due_or_twice(user_client, user, first_entry,
                                                           frozen_clock):
    finish(user_client, first_entry)
    later = user.reviews.order_by("due").last()
    response = user_client.post(f"/reviews/{later.pk}/", {"rating": "good"}, follow=True)
    assert "not due until" in response.content.decode()
    later.refresh_from_db()
    assert later.done_at is None
    frozen_clock.advance(days=1)
    first = user.reviews.order_by("due").first()
    user_client.post(f"/reviews/{first.pk}/", {"rating": "good"})
    response = user_client.post(f"/reviews/{first.pk}/", {"rating": "again"}, follow=True)
    assert "already reviewed" in response.content.decode()
    first.refresh_from_db()
    assert first.rating == "good"


def test_a_bad_rating_is_a_400(user_client, user, first_entry, frozen_clock):
    finish(user_client, first_entry)
    review = user.reviews.first()
    assert user_client.post(f"/reviews/{review.pk}/", {"rating": "meh"}).status_code == 400


def test_another_users_reviews_and_exercises_are_unreachable(client, other_user, user,
                                                            first_entry):
    Progress.objects.change(user, first_entry.resource, Status.DONE)
    client.force_login(other_user)
    review = user.reviews.first()
    suggestion = user.exercise_suggestions.first()
    assert client.post(f"/reviews/{review.pk}/", {"rating": "good"}).status_code == 404
    assert client.post(f"/exercises/{suggestion.pk}/dismiss/").status_code == 404
    review.refresh_from_db()
    suggestion.refresh_from_db()
    assert review.done_at is None and suggestion.dismissed_at is None


def test_undoing_done_removes_pending_reviews_but_keeps_rated_ones(user_client, user,
                                                                  first_entry, frozen_clock):
    finish(user_client, first_entry)
    frozen_clock.advance(days=1)
    first = user.reviews.order_by("due").first()
    user_client.post(f"/reviews/{first.pk}/", {"rating": "good"})
    user_client.post(f"/progress/{first_entry.resource.slug}/status/", {"status": "in_progress"})
    assert list(user.reviews.values_list("pk", flat=True)) == [first.pk]


def test_done_suggests_the_exercise_for_the_resources_area_until_dismissed(
    user_client, user, first_entry
):
    finish(user_client, first_entry)
    suggestion = user.exercise_suggestions.get()
    assert suggestion.domain == "linear-algebra"
    html = user_client.get("/").content.decode()
    assert "Transform the unit square with NumPy" in html
    response = user_client.post(f"/exercises/{suggestion.pk}/dismiss/", follow=True)
    assert "Dismissed “Transform the unit square with NumPy”" in response.content.decode()
    assert "Transform the unit square" not in user_client.get("/").content.decode()


def test_finishing_again_brings_the_exercise_back_once(user_client, user, first_entry):
    finish(user_client, first_entry)
    suggestion = user.exercise_suggestions.get()
    user_client.post(f"/exercises/{suggestion.pk}/dismiss/")
    user_client.post(f"/progress/{first_entry.resource.slug}/status/", {"status": "in_progress"})
    finish(user_client, first_entry)
    assert user.exercise_suggestions.open().count() == 1


def test_reviews_belong_to_the_learner_who_finished(user, other_user, first_entry):
    Progress.objects.change(user, first_entry.resource, Status.DONE)
    assert Review.objects.filter(user=other_user).count() == 0
    assert Progress.objects.filter(user=other_user).count() == 0
