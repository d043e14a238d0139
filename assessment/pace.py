"""Pace and re-forecast: when the plan ends at the pace the learner actually keeps.

The remaining hours are those of the plan's required roles not yet done, one alternative
per role (the learner's pick, see roadmap.track), less the time already logged on each;
the actual pace is the hours logged per week over the last four complete weeks (fewer for
a learner who started logging more recently). The projected finish at that pace is shown
beside the finish at the planned weekly hours. Each time the projection changes it is kept
(ProjectionChange), so the weekly email can say how it moved since last week.
"""

import math
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from progress import studylog

PACE_WEEKS = 4
SLIP_DAYS = 14  # a projection later than the plan by more than this offers a change


@dataclass(frozen=True)
class Forecast:
    remaining_hours: float
    planned_hours: int  # per week, from the profile
    pace: float | None  # hours per week actually logged, None before any log
    planned_finish: date
    projected_finish: date

    @property
    def slip_days(self) -> int:
        return (self.projected_finish - self.planned_finish).days

    @property
    def slipping(self) -> bool:
        return self.slip_days > SLIP_DAYS


def finish_after(today: date, hours: float, per_week: float) -> date:
    if hours <= 0:
        return today
    return today + timedelta(days=math.ceil(7 * hours / per_week))


def remaining_hours(tracked, resource_of: dict, logged_minutes: dict) -> float:
    """Hours left in the required roles not done; time logged on a resource counts off it."""
    left = 0.0
    for stage in tracked.stages:
        for step in stage.steps:
            for role in step.roles:
                if role.required and not role.done and role.counted is not None:
                    resource_id = resource_of.get(role.counted.key)
                    spent = logged_minutes.get(resource_id, 0) / 60
                    left += max(0.0, role.counted.hours - spent)
    return round(left, 1)


def actual_pace(weeks: list, today: date, first_logged_on: date | None) -> float | None:
    """Hours a week over the last PACE_WEEKS complete weeks since logging began, or None.

    `weeks` are studylog.Week objects that include those weeks; the current week, still
    under way, never counts.
    """
    if first_logged_on is None:
        return None
    this_monday = studylog.week_start(today)
    first_monday = max(this_monday - timedelta(weeks=PACE_WEEKS),
                       studylog.week_start(first_logged_on))
    counted = [w for w in weeks if first_monday <= w.monday < this_monday]
    if not counted:
        return None
    return round(sum(w.minutes for w in counted) / 60 / len(counted), 1)


def forecast(remaining: float, weekly_hours: int, pace: float | None, today: date) -> Forecast:
    planned = finish_after(today, remaining, max(1, weekly_hours))
    # Before any week of logging, or at a pace of nothing, the plan's own pace is all we know;
    # nothing logged in four weeks projects at a tenth of an hour a week, far away but finite.
    projected = planned if pace is None else finish_after(today, remaining, max(pace, 0.1))
    return Forecast(remaining, weekly_hours, pace, planned, projected)


class ProjectionChangeQuerySet(models.QuerySet):
    def record(self, user, today: date, result: Forecast) -> "ProjectionChange":
        """Keep the projection when it differs from the last one kept; the latest either way."""
        latest = self.filter(user=user).order_by("-recorded_on", "-id").first()
        if latest and latest.projected_finish == result.projected_finish:
            return latest
        return self.create(user=user, recorded_on=today, projected_finish=result.projected_finish,
                           remaining_hours=result.remaining_hours, pace=result.pace)

    def as_of(self, user, day: date) -> "ProjectionChange | None":
        """The projection that stood on `day`."""
        return self.filter(user=user, recorded_on__lte=day).order_by("-recorded_on", "-id").first()


class ProjectionChange(models.Model):
    """A projected finish, kept each time it moves."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="projections"
    )
    recorded_on = models.DateField()
    projected_finish = models.DateField()
    remaining_hours = models.FloatField()
    pace = models.FloatField(null=True, blank=True)
    kept_going_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ProjectionChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_on", "-id"]

    def __str__(self):
        return f"{self.user} finishes on {self.projected_finish} (as of {self.recorded_on})"


def moved_words(days: int) -> str:
    """'two days later than last week', 'the same as last week'."""
    from django.contrib.humanize.templatetags.humanize import apnumber

    if days == 0:
        return "the same as last week"
    count = apnumber(abs(days))
    unit = "day" if abs(days) == 1 else "days"
    return f"{count} {unit} {'later' if days > 0 else 'earlier'} than last week"


def forecast_for(user, today: date, weekly_hours: int, entries, tracked, weeks) -> Forecast | None:
    """The learner's forecast from their roadmap entries (with progress) and study weeks."""
    if not entries:
        return None
    resource_of = {e.pk: e.resource_id for e in entries}
    logged, first = user.study_log.totals()
    pace = actual_pace(weeks, today, first)
    return forecast(remaining_hours(tracked, resource_of, logged), weekly_hours, pace, today)
