"""Spaced review of recall cards: a thin, plain wrapper around FSRS (the `fsrs` package).

The guide says to revisit what you learned "after one day, then three days, then a week".
FSRS, the scheduler Anki uses, decides each card's next gap from how well it was recalled;
the settings below make its first gaps for a new card rated Good exactly 1, 3 and 7 days,
then it keeps growing the gap (17, 38 days, …) while the learner keeps remembering.

Everything here works in whole calendar days of the learner's own time zone. A card is "due
on the 14th" in Auckland and in Los Angeles alike, and a change of clocks (DST) never makes a
gap a day longer or shorter: FSRS is handed each review at midnight UTC of the learner's local
date, so the days it counts between reviews are exactly the days the learner lived.

How the guide's ladder comes out of FSRS:

* no learning or relearning steps (minutes-long steps make no sense for a daily session), so
  every answer gives a gap of whole days, at least one;
* the initial stability after Good (parameter 2) is 1.4 days, and the stability growth on a
  successful recall (parameter 8) is 1.6 rather than 1.87, with a desired retention of 94 %;
* no fuzzing: the same answers always give the same dates (the learner can plan on them).
"""

import datetime as dt
from dataclasses import dataclass, replace

from fsrs import Card, Rating, Scheduler, State
from fsrs.scheduler import DEFAULT_PARAMETERS

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
RATINGS = (AGAIN, HARD, GOOD, EASY)
RATING_LABELS = {AGAIN: "Again", HARD: "Hard", GOOD: "Good", EASY: "Easy"}

NEW, REVIEW, RELEARNING = "new", "review", "relearning"
STATES = (NEW, REVIEW, RELEARNING)
STATE_LABELS = {NEW: "New", REVIEW: "Review", RELEARNING: "Relearning"}

INITIAL_GOOD_STABILITY = 1.4
RECALL_GROWTH = 1.6
DESIRED_RETENTION = 0.94
MAXIMUM_INTERVAL_DAYS = 365

_parameters = list(DEFAULT_PARAMETERS)
_parameters[2] = INITIAL_GOOD_STABILITY
_parameters[8] = RECALL_GROWTH

SCHEDULER = Scheduler(
    parameters=_parameters,
    desired_retention=DESIRED_RETENTION,
    learning_steps=(),
    relearning_steps=(),
    maximum_interval=MAXIMUM_INTERVAL_DAYS,
    enable_fuzzing=False,
)

_TO_FSRS_STATE = {NEW: State.Learning, REVIEW: State.Review, RELEARNING: State.Relearning}


@dataclass(frozen=True)
class Schedule:
    """Where one card stands: what FSRS needs, and what the learner sees (due, counts)."""

    state: str = NEW
    stability: float | None = None
    difficulty: float | None = None
    due: dt.date | None = None
    last_review: dt.date | None = None  # the local date of the last review
    reps: int = 0
    lapses: int = 0


def new_card(today: dt.date) -> Schedule:
    """A card the learner just met (a resource started or finished, a concept added): due
    tomorrow, the guide's first day."""
    return Schedule(due=today + dt.timedelta(days=1))


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def review(schedule: Schedule, rating: int, today: dt.date) -> Schedule:
    """The schedule after the learner rated the card 1 to 4 on their local date `today`."""
    if rating not in RATINGS:
        raise ValueError(f"Unknown rating {rating!r}; expected 1, 2, 3 or 4.")
    card = Card(
        card_id=1,  # FSRS only copies it into its log; given, it does not wait a millisecond
        state=_TO_FSRS_STATE[schedule.state],
        step=None if schedule.state == REVIEW else 0,
        stability=schedule.stability,
        difficulty=schedule.difficulty,
        due=_midnight(schedule.due or today),
        last_review=_midnight(schedule.last_review) if schedule.last_review else None,
    )
    card, _log = SCHEDULER.review_card(card, Rating(rating), _midnight(today))
    gap_days = max(1, (card.due - _midnight(today)).days)
    lapsed = rating == AGAIN and schedule.state != NEW
    return replace(
        schedule,
        state=RELEARNING if lapsed else REVIEW,
        stability=card.stability,
        difficulty=card.difficulty,
        due=today + dt.timedelta(days=gap_days),
        last_review=today,
        reps=schedule.reps + 1,
        lapses=schedule.lapses + int(lapsed),
    )


def gap_after(schedule: Schedule, rating: int, today: dt.date) -> int:
    """Days until the card would be due again if rated `rating` today (for the buttons)."""
    return (review(schedule, rating, today).due - today).days
