"""Ratings in context: the rule for what the resource page shows from learners' ratings.

A plain module (no database): rows in, a summary out.

- A breakdown is shown only once MIN_RATERS learners have rated the resource, and each band
  of self-rating (1-2, 3, 4-5 in the resource's area, as the learner rated themselves when
  they rated) only with MIN_RATERS of its own, so no row describes one or two people.
- Actual hours replace the curators' estimate once MIN_HOURS learners gave theirs: the
  median (robust to the one learner who left a tab open for a month), rounded to an hour.
"""

import statistics
from dataclasses import dataclass

MIN_RATERS = 5
MIN_HOURS = 10
EN_DASH = "\u2013"  # ranges as they are typeset
BANDS = [(f"1{EN_DASH}2", (1, 2)), ("3", (3,)), (f"4{EN_DASH}5", (4, 5))]


@dataclass(frozen=True)
class BandSummary:
    label: str  # "learners who rated themselves 1-2", or "all learners"
    raters: int
    usefulness: float
    harder: int
    easier: int
    hours: int | None


@dataclass(frozen=True)
class RatingsSummary:
    raters: int
    bands: list
    hours: int | None  # the learners' median, once MIN_HOURS gave one
    hours_from: int


def learners_hours(hours: list) -> int | None:
    """The median of the actual hours given, once there are MIN_HOURS of them."""
    given = [h for h in hours if h]
    if len(given) < MIN_HOURS:
        return None
    return round(statistics.median(given))


def _band(label, rows) -> BandSummary:
    hours = [row["actual_hours"] for row in rows if row["actual_hours"]]
    return BandSummary(
        label=label,
        raters=len(rows),
        usefulness=round(statistics.mean(row["usefulness"] for row in rows), 1),
        harder=sum(row["difficulty"] == "harder" for row in rows),
        easier=sum(row["difficulty"] == "easier" for row in rows),
        hours=round(statistics.median(hours)) if hours else None,
    )


def summarise(rows: list) -> RatingsSummary | None:
    """rows: dicts of usefulness, difficulty, actual_hours, self_rating. None below MIN_RATERS."""
    if len(rows) < MIN_RATERS:
        return None
    bands = [_band("all learners", rows)]
    for label, ratings in BANDS:
        in_band = [row for row in rows if row["self_rating"] in ratings]
        if len(in_band) >= MIN_RATERS:
            bands.append(_band(f"learners who rated themselves {label}", in_band))
    given = [row["actual_hours"] for row in rows if row["actual_hours"]]
    return RatingsSummary(
        raters=len(rows), bands=bands, hours=learners_hours(given), hours_from=len(given)
    )
