"""Spaced review: the guide's "after one day, then three days, then a week", as pure date maths.

Everything here works on calendar dates in the learner's own time zone. A review is "due on
the 14th" for someone in Auckland and for someone in Honolulu alike, even though the 14th
starts 23 hours apart for them; only `local_date` and `local_today` ever look at a clock.

Intervals
---------
Each review stores `interval_days`, the gap in days since the step before it (finishing the
resource, or the previous review). Finishing a resource schedules the guide's ladder at once,
so the learner can see it coming: due 1, 3 and 7 days later, that is gaps of 1, 2 and 4.

Rating a review sets the gap to the next one, starting from the day it was done:

* again — 1 day: it did not stick, look again tomorrow.
* hard  — the gap grows by a fifth (at least 1 day): 1 → 1, 2 → 2, 4 → 5, 10 → 12.
* good  — the gap doubles. Rated "good" on time, the ladder stays exactly 1, 3, 7 days.
* easy  — the gap triples: 1 → 3, 2 → 6, 4 → 12.

No gap exceeds MAX_INTERVAL_DAYS. Halves round up (2.5 → 3), not to even as `round` does.

The next pending review moves to the new date and any later ones move with it, keeping their
own gaps; when nothing is pending a new review is added. A review that is never done just
stays due (overdue): reviews never touch the resource's status.
"""

import datetime as dt
import math
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone

AGAIN = "again"
HARD = "hard"
GOOD = "good"
EASY = "easy"
RATINGS = (AGAIN, HARD, GOOD, EASY)
RATING_LABELS = {
    AGAIN: "Again — it did not stick",
    HARD: "Hard — I got there with effort",
    GOOD: "Good — I remembered it",
    EASY: "Easy — I knew it cold",
}

# Days after finishing a resource at which the guide says to revisit it.
FIRST_REVIEW_OFFSETS = (1, 3, 7)
MAX_INTERVAL_DAYS = 180


@dataclass(frozen=True)
class Step:
    """One scheduled review: the local date it is due and its gap from the step before."""

    due: dt.date
    interval_days: int


def zone(name):
    """The tzinfo for an IANA zone name; an unknown or empty name falls back to UTC."""
    try:
        return ZoneInfo(name) if name else dt.UTC
    except (ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def local_date(moment, tz_name):
    """The calendar date `moment` (an aware datetime) falls on in the zone `tz_name`."""
    return moment.astimezone(zone(tz_name)).date()


def local_today(tz_name, now=None):
    """Today's date for someone in `tz_name`, read from Django's clock unless `now` is given."""
    return local_date(now or timezone.now(), tz_name)


def first_reviews(done_on):
    """The guide's ladder for a resource finished on the local date `done_on`."""
    steps = []
    previous = 0
    for offset in FIRST_REVIEW_OFFSETS:
        steps.append(Step(due=done_on + dt.timedelta(days=offset), interval_days=offset - previous))
        previous = offset
    return steps


def _round_half_up(value):
    return math.floor(value + 0.5)


def next_interval(interval_days, rating):
    """The gap before the next review after one with gap `interval_days` was rated `rating`."""
    if rating not in RATINGS:
        raise ValueError(f"Unknown rating {rating!r}; expected one of {', '.join(RATINGS)}.")
    interval_days = max(1, int(interval_days))
    if rating == AGAIN:
        gap = 1
    elif rating == HARD:
        gap = _round_half_up(interval_days * 1.2)
    elif rating == GOOD:
        gap = interval_days * 2
    else:
        gap = interval_days * 3
    return max(1, min(MAX_INTERVAL_DAYS, gap))


def reschedule(pending, done_on, interval_days, rating):
    """The new schedule after a review with gap `interval_days` is rated on `done_on`.

    `pending` is the resource's still-open reviews after the rated one, in due order. Returns
    (moved, added): `moved` has one Step per pending review, in the same order; `added` is a
    new Step when nothing was pending, else None.
    """
    gap = next_interval(interval_days, rating)
    first_due = done_on + dt.timedelta(days=gap)
    if not pending:
        return [], Step(due=first_due, interval_days=gap)
    moved = [Step(due=first_due, interval_days=gap)]
    for step in pending[1:]:
        moved.append(
            Step(due=moved[-1].due + dt.timedelta(days=step.interval_days),
                 interval_days=step.interval_days)
        )
    return moved, None


def days_until(due, today):
    """Whole days from `today` to `due`: 0 today, 1 tomorrow, negative when overdue."""
    return (due - today).days


def describe_due(due, today):
    """'today', 'tomorrow', 'in 3 days', 'yesterday' or '4 days ago'."""
    days = days_until(due, today)
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    if days > 1:
        return f"in {days} days"
    return f"{-days} days ago"
