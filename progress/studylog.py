"""The study log: time a learner spent, by local date, and the hours of each week.

MathPath counts weekly hours, not daily check-offs: a resource of 30 to 120 hours takes
weeks, and a streak would punish the days in between. Weeks run Monday to Sunday on the
learner's own calendar (the dates they log are their own dates).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Min, Sum
from django.utils import timezone

MAX_MINUTES = 24 * 60
OLDEST_DAYS = 366


class StudyLogQuerySet(models.QuerySet):
    def minutes_per_week(self, first_monday: date, last_day: date) -> dict[date, int]:
        """{monday: minutes} for the weeks from `first_monday` to `last_day`, one query."""
        per_day = (
            self.filter(logged_on__gte=first_monday, logged_on__lte=last_day)
            .order_by()
            .values("logged_on")
            .annotate(minutes=Sum("minutes"))
            .values_list("logged_on", "minutes")
        )
        weeks = {}
        for day, minutes in per_day:
            monday = week_start(day)
            weeks[monday] = weeks.get(monday, 0) + minutes
        return weeks

    def totals(self) -> tuple[dict[int, int], date | None]:
        """({resource id: minutes logged on it}, the first day logged), one query."""
        rows = (self.order_by().values("resource_id")
                .annotate(minutes=Sum("minutes"), first=Min("logged_on"))
                .values_list("resource_id", "minutes", "first"))
        by_resource, first = {}, None
        for resource_id, minutes, day in rows:
            if resource_id is not None:
                by_resource[resource_id] = minutes
            first = day if first is None else min(first, day)
        return by_resource, first


class StudyLog(models.Model):
    """Time spent studying on one day, on one resource or in general, with a short note."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="study_log"
    )
    resource = models.ForeignKey(
        "catalog.Resource", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MINUTES)]
    )
    logged_on = models.DateField()
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = StudyLogQuerySet.as_manager()

    class Meta:
        ordering = ["-logged_on", "-id"]
        indexes = [models.Index(fields=["user", "logged_on"], name="studylog_user_day")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__gte=1, minutes__lte=MAX_MINUTES),
                name="studylog_minutes_range",
            )
        ]

    def __str__(self):
        return f"{self.minutes} min on {self.logged_on} by {self.user}"


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class Week:
    monday: date
    minutes: int

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)


def last_weeks(user, today: date, weeks: int = 12) -> list[Week]:
    """The last `weeks` Monday weeks up to the one holding `today`, oldest first."""
    this_monday = week_start(today)
    first = this_monday - timedelta(weeks=weeks - 1)
    minutes = user.study_log.minutes_per_week(first, this_monday + timedelta(days=6))
    mondays = [first + timedelta(weeks=n) for n in range(weeks)]
    return [Week(monday, minutes.get(monday, 0)) for monday in mondays]


def hours_words(minutes: int) -> str:
    """'3 h', '1.5 h', '20 min': how the site writes logged time."""
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes / 60:.1f}".rstrip("0").rstrip(".") + " h"


def logged_message(entry: StudyLog) -> str:
    on = f"{entry.logged_on:%A %-d %B}"
    what = f" on “{entry.resource.title}”" if entry.resource else ""
    return f"Logged {hours_words(entry.minutes)}{what} for {on}."


class LogTimeForm(forms.ModelForm):
    """Minutes, date and an optional one-line note; the resource comes by its slug."""

    resource = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = StudyLog
        fields = ["minutes", "logged_on", "note"]
        labels = {"minutes": "Minutes", "logged_on": "Date", "note": "Note (optional)"}
        help_texts = {"note": "One line, for yourself: what you did."}
        widgets = {
            "minutes": forms.NumberInput(attrs={"min": 1, "max": MAX_MINUTES, "step": 5}),
            "logged_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.TextInput(attrs={"maxlength": 200}),
        }

    def __init__(self, *args, today: date, resources, **kwargs):
        self.today, self.resources = today, resources
        super().__init__(*args, **kwargs)
        self.fields["logged_on"].error_messages["invalid"] = "Enter the date as YYYY-MM-DD."
        self.fields["logged_on"].required = False  # empty means today, on the learner's clock
        self.fields["minutes"].error_messages["max_value"] = (
            "A day has 1,440 minutes: log each day on its own."
        )

    def clean_logged_on(self):
        day = self.cleaned_data["logged_on"] or self.today
        if day > self.today:
            raise forms.ValidationError("That date is in the future: log time once it is spent.")
        if day < self.today - timedelta(days=OLDEST_DAYS):
            raise forms.ValidationError("Log time from the last year only.")
        return day

    def clean_resource(self):
        slug = self.cleaned_data["resource"].strip()
        if not slug:
            return None
        resource = self.resources.filter(slug=slug).only("id", "slug", "title").first()
        if resource is None:
            raise forms.ValidationError("That resource is not in the catalogue.")
        return resource

    def save_for(self, user) -> StudyLog:
        entry = self.save(commit=False)
        entry.user, entry.resource = user, self.cleaned_data["resource"]
        entry.save()
        return entry
