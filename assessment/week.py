"""A learner's week in figures: hours against the goal, what was finished, the last 12 weeks.

The dashboard and the weekly summary email both read these, so they always agree.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from progress import studylog
from progress.models import ProgressEvent, Status
from progress.reviews import zone

CHART_WEEKS = 12


@dataclass(frozen=True)
class WeekFigures:
    monday: date
    minutes: int
    goal_hours: int
    finished: list  # resources finished that week, oldest first

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def hours_words(self) -> str:
        return studylog.hours_words(self.minutes) if self.minutes else "0 h"

    @property
    def percent(self) -> int:
        """Of the weekly goal, capped at 100 for the bar."""
        if not self.goal_hours:
            return 0
        return min(100, round(100 * self.minutes / (60 * self.goal_hours)))


def finished_between(user, first: date, last: date, tz_name: str) -> list:
    """Resources the learner marked done between two local dates, one query."""
    events = (
        ProgressEvent.objects.filter(user=user, status=Status.DONE)
        .since(first, tz_name)
        .select_related("resource")
        .only("at", "resource__slug", "resource__title")
        .order_by("at", "id")
    )
    end = last + timedelta(days=1)
    seen, finished = set(), []
    for event in events:
        local_day = event.at.astimezone(zone(tz_name)).date()
        if local_day < end and event.resource_id not in seen:
            seen.add(event.resource_id)
            finished.append(event.resource)
    return finished


def weeks_of(user, today: date, weekly_hours: int, tz_name: str, *, week_of: date | None = None):
    """(the last CHART_WEEKS weeks, the figures of the week holding `week_of` or today)."""
    weeks = studylog.last_weeks(user, today, CHART_WEEKS)
    monday = studylog.week_start(week_of or today)
    minutes = next((w.minutes for w in weeks if w.monday == monday), None)
    if minutes is None:  # a week older than the chart's
        minutes = user.study_log.minutes_per_week(monday, monday + timedelta(days=6)).get(
            monday, 0
        )
    finished = finished_between(user, monday, monday + timedelta(days=6), tz_name)
    return weeks, WeekFigures(monday, minutes, weekly_hours, finished)
