"""FSRS card scheduling: the guide's 1-3-7 days for Good, in the learner's own days."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from progress import cards, reviews

D = dt.date


def _good_streak(start: D, times: int) -> list[int]:
    schedule = cards.new_card(start)
    gaps = []
    day = schedule.due
    for _ in range(times):
        schedule = cards.review(schedule, cards.GOOD, day)
        gaps.append((schedule.due - day).days)
        day = schedule.due
    return gaps


def test_a_new_card_is_due_the_day_after_it_is_met():
    assert cards.new_card(D(2026, 3, 10)).due == D(2026, 3, 11)


def test_a_new_card_rated_good_comes_back_after_one_three_and_seven_days():
    assert _good_streak(D(2026, 3, 10), 3) == [1, 3, 7]


def test_gaps_keep_growing_while_the_learner_remembers():
    gaps = _good_streak(D(2026, 3, 10), 6)
    assert gaps == sorted(gaps) and gaps[-1] > 30


def test_again_brings_a_card_back_tomorrow_and_counts_a_lapse():
    schedule = cards.new_card(D(2026, 3, 10))
    for day in (D(2026, 3, 11), D(2026, 3, 12), D(2026, 3, 15)):
        schedule = cards.review(schedule, cards.GOOD, day)
    lapsed = cards.review(schedule, cards.AGAIN, D(2026, 3, 22))
    assert lapsed.due == D(2026, 3, 23)
    assert (lapsed.state, lapsed.lapses, lapsed.reps) == (cards.RELEARNING, 1, 4)
    assert cards.review(lapsed, cards.GOOD, D(2026, 3, 23)).state == cards.REVIEW


def test_easy_waits_longer_than_good_and_hard_less():
    first = cards.new_card(D(2026, 3, 10))
    gaps = {r: cards.gap_after(first, r, D(2026, 3, 11)) for r in cards.RATINGS}
    assert gaps[cards.AGAIN] <= gaps[cards.HARD] <= gaps[cards.GOOD] < gaps[cards.EASY]


def test_a_card_reviewed_late_still_gets_a_whole_number_of_days():
    schedule = cards.review(cards.new_card(D(2026, 3, 10)), cards.GOOD, D(2026, 3, 11))
    late = cards.review(schedule, cards.GOOD, D(2026, 3, 20))
    assert late.due > D(2026, 3, 21) and late.last_review == D(2026, 3, 20)


def test_an_unknown_rating_is_refused():
    with pytest.raises(ValueError, match="Unknown rating"):
        cards.review(cards.new_card(D(2026, 3, 10)), 5, D(2026, 3, 11))


@pytest.mark.parametrize(
    "zone", ["Pacific/Auckland", "America/Los_Angeles", "Europe/London", "UTC"]
)
@pytest.mark.parametrize("local_hour", [0, 7, 23])
def test_the_ladder_holds_in_every_time_zone_at_any_hour_through_a_clock_change(
    zone, local_hour
):
    """Reviewed on the due day at midnight, breakfast or late at night, across DST.

    Spring 2026: Los Angeles and London move clocks on 8 and 29 March, Auckland on 5 April;
    a card met on 27 March is reviewed on 28 March, 29 March and 1 April, all of the
    ladder's days fall on the learner's calendar whatever the clock did in between.
    """
    tz = ZoneInfo(zone)
    moment = dt.datetime(2026, 3, 27, local_hour, 30, tzinfo=tz)
    schedule = cards.new_card(reviews.local_date(moment, zone))
    dues = []
    for _ in range(3):
        # The learner opens the session on the due day at the same local hour.
        moment = dt.datetime.combine(schedule.due, dt.time(local_hour, 30), tzinfo=tz)
        schedule = cards.review(schedule, cards.GOOD, reviews.local_date(moment, zone))
        dues.append(schedule.due)
    assert dues == [D(2026, 3, 29), D(2026, 4, 1), D(2026, 4, 8)]
