"""The spaced review schedule: the guide's 1-3-7 ladder and how ratings move it."""

import datetime as dt

import pytest

from progress import reviews
from progress.reviews import Step

D = dt.date


def test_finishing_schedules_reviews_after_one_three_and_seven_days():
    assert reviews.first_reviews(D(2026, 3, 10)) == [
        Step(D(2026, 3, 11), 1),
        Step(D(2026, 3, 13), 2),
        Step(D(2026, 3, 17), 4),
    ]


def test_the_ladder_crosses_month_and_year_ends():
    assert [s.due for s in reviews.first_reviews(D(2026, 12, 28))] == [
        D(2026, 12, 29), D(2026, 12, 31), D(2027, 1, 4),
    ]
    assert [s.due for s in reviews.first_reviews(D(2028, 2, 28))] == [
        D(2028, 2, 29), D(2028, 3, 2), D(2028, 3, 6),
    ]


@pytest.mark.parametrize(
    ("interval", "rating", "expected"),
    [
        (1, "again", 1), (4, "again", 1), (30, "again", 1),
        (1, "hard", 1), (2, "hard", 2), (4, "hard", 5), (10, "hard", 12),
        (1, "good", 2), (2, "good", 4), (4, "good", 8),
        (1, "easy", 3), (2, "easy", 6), (4, "easy", 12),
        (100, "good", 180), (100, "easy", 180),
        (0, "good", 2),
    ],
)
def test_a_rating_sets_the_next_interval(interval, rating, expected):
    assert reviews.next_interval(interval, rating) == expected


def test_an_unknown_rating_is_refused():
    with pytest.raises(ValueError, match="Unknown rating"):
        reviews.next_interval(1, "meh")


def test_rating_good_on_time_keeps_the_guides_ladder():
    ladder = reviews.first_reviews(D(2026, 3, 10))
    moved, added = reviews.reschedule(ladder[1:], ladder[0].due, ladder[0].interval_days, "good")
    assert added is None
    assert moved == ladder[1:]


@pytest.mark.parametrize(
    ("rating", "next_due", "last_due"),
    [
        ("again", D(2026, 3, 12), D(2026, 3, 16)),
        ("hard", D(2026, 3, 12), D(2026, 3, 16)),
        ("good", D(2026, 3, 13), D(2026, 3, 17)),
        ("easy", D(2026, 3, 14), D(2026, 3, 18)),
    ],
)
def test_rating_the_first_review_moves_the_rest_keeping_their_gaps(rating, next_due, last_due):
    ladder = reviews.first_reviews(D(2026, 3, 10))
    moved, added = reviews.reschedule(ladder[1:], D(2026, 3, 11), 1, rating)
    assert added is None
    assert [s.due for s in moved] == [next_due, last_due]
    assert moved[1].interval_days == 4


def test_a_late_review_counts_from_the_day_it_was_done():
    ladder = reviews.first_reviews(D(2026, 3, 10))
    moved, _ = reviews.reschedule(ladder[1:], D(2026, 3, 20), 1, "good")
    assert [s.due for s in moved] == [D(2026, 3, 22), D(2026, 3, 26)]


@pytest.mark.parametrize(
    ("rating", "due", "interval"),
    [("again", D(2026, 3, 18), 1), ("hard", D(2026, 3, 22), 5),
     ("good", D(2026, 3, 25), 8), ("easy", D(2026, 3, 29), 12)],
)
def test_rating_the_last_review_adds_the_next_one(rating, due, interval):
    moved, added = reviews.reschedule([], D(2026, 3, 17), 4, rating)
    assert moved == []
    assert added == Step(due, interval)


# Time zones: due dates are the learner's local calendar dates.

@pytest.mark.parametrize(
    ("zone", "local_day"),
    [
        ("UTC", D(2026, 3, 10)),
        ("Pacific/Auckland", D(2026, 3, 11)),  # UTC+13: already the next morning
        ("Pacific/Honolulu", D(2026, 3, 9)),  # UTC-10: still the evening before
        ("Europe/Paris", D(2026, 3, 10)),
        ("Not/AZone", D(2026, 3, 10)),  # unknown zones fall back to UTC
        ("", D(2026, 3, 10)),
    ],
)
def test_the_local_date_depends_on_the_learners_zone(zone, local_day):
    moment = dt.datetime(2026, 3, 10, 22, 30, tzinfo=dt.UTC)
    if zone == "Pacific/Honolulu":
        moment = dt.datetime(2026, 3, 10, 5, 0, tzinfo=dt.UTC)
    assert reviews.local_date(moment, zone) == local_day


def test_today_follows_the_frozen_clock_across_midnight(frozen_clock):
    frozen_clock.set(dt.datetime(2026, 3, 10, 23, 59, tzinfo=dt.UTC))
    assert reviews.local_today("UTC") == D(2026, 3, 10)
    frozen_clock.advance(minutes=2)
    assert reviews.local_today("UTC") == D(2026, 3, 11)
    assert reviews.local_today("America/New_York") == D(2026, 3, 10)


def test_finishing_late_in_the_evening_schedules_from_the_local_date(frozen_clock):
    # 23:30 in New York is already the next day in UTC; the learner's day is what counts.
    frozen_clock.set(dt.datetime(2026, 3, 11, 3, 30, tzinfo=dt.UTC))
    done_on = reviews.local_today("America/New_York")
    assert done_on == D(2026, 3, 10)
    assert reviews.first_reviews(done_on)[0].due == D(2026, 3, 11)


def test_daylight_saving_does_not_shift_due_dates():
    # Europe/Paris springs forward on 2026-03-29; the ladder is in whole calendar days.
    done_on = reviews.local_date(dt.datetime(2026, 3, 27, 21, 0, tzinfo=dt.UTC), "Europe/Paris")
    assert [s.due for s in reviews.first_reviews(done_on)] == [
        D(2026, 3, 28), D(2026, 3, 30), D(2026, 4, 3),
    ]


@pytest.mark.parametrize(
    ("due", "words"),
    [(D(2026, 3, 10), "today"), (D(2026, 3, 11), "tomorrow"), (D(2026, 3, 13), "in 3 days"),
     (D(2026, 3, 9), "yesterday"), (D(2026, 3, 6), "4 days ago")],
)
def test_due_dates_are_described_in_words(due, words):
    assert reviews.describe_due(due, D(2026, 3, 10)) == words
