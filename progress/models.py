"""A learner's progress: statuses and their log, reviews, focus, notes, calendar, exercises.

Everything here is keyed by (user, resource) and never by a roadmap entry, so rebuilding the
roadmap never touches it. The tables keep the names they had in the assessment app.
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import Profile
from catalog.models import Resource
from progress import exercises, ical, notes, reviews


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    SKIPPED = "skipped", "Skipped"


@dataclass(frozen=True)
class StatusChange:
    progress: "Progress"
    changed: bool
    previous: str


class ProgressQuerySet(models.QuerySet):
    def statuses(self) -> dict[int, "Progress"]:
        """{resource id: Progress} in one query."""
        return {p.resource_id: p for p in self}

    def for_timeline(self):
        return self.select_related("resource").order_by("-updated_at", "-id")

    def change(self, user, resource: Resource, status: str, reason: str = "") -> StatusChange:
        """Set `user`'s status on `resource`: the one way a status changes.

        One transaction that locks the learner's row first, so simultaneous changes by
        one learner (a double click, two tabs) queue and each sees what the one before
        wrote. Repeating the current status writes nothing; a real change logs an event,
        drops the reviews still pending, and a change to "done" schedules the first
        reviews (dates in the learner's time zone) and suggests an exercise.
        """
        if status not in Status.values:
            raise ValueError(f"Unknown status {status!r}")
        reason = reason.strip()[:200] if status == Status.SKIPPED else ""
        with transaction.atomic():
            get_user_model().objects.select_for_update().filter(pk=user.pk).values("pk").get()
            progress = self.filter(user=user, resource=resource).first()
            previous = progress.status if progress else Status.NOT_STARTED
            if progress and (progress.status, progress.skip_reason) == (status, reason):
                return StatusChange(progress, changed=False, previous=previous)
            now = timezone.now()
            progress = progress or Progress(user=user, resource=resource)
            progress.status, progress.skip_reason, progress.updated_at = status, reason, now
            if status == Status.NOT_STARTED:
                progress.started_at = None
            elif status in (Status.IN_PROGRESS, Status.DONE) and progress.started_at is None:
                progress.started_at = now
            progress.finished_at = now if status == Status.DONE else None
            progress.save()
            ProgressEvent.objects.create(user=user, resource=resource, status=status, at=now)
            # A resource no longer done has nothing to review; rated reviews stay as history.
            # Pending reviews exist only while a resource is done, so only then is there any.
            if previous == Status.DONE:
                Review.objects.pending().filter(user=user, resource=resource).delete()
            if status == Status.DONE:
                today = reviews.local_date(now, learner_time_zone(user))
                Review.objects.schedule_first(user, resource, today)
                ExerciseSuggestion.objects.suggest(user, resource, now)
        return StatusChange(progress, changed=True, previous=previous)


class Progress(models.Model):
    """Where a learner is with one resource. One row per (user, resource), ever."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="progress"
    )
    resource = models.ForeignKey(
        "catalog.Resource", on_delete=models.CASCADE, related_name="progress_records"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    skip_reason = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ProgressQuerySet.as_manager()

    class Meta:
        db_table = "assessment_progress"
        verbose_name_plural = "progress"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "resource"], name="progress_user_resource_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="progress_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.resource} for {self.user}: {self.get_status_display()}"


class ProgressEventQuerySet(models.QuerySet):
    def since(self, first_day, tz_name):
        """Events from the start of `first_day` in the learner's zone."""
        start = datetime.combine(first_day, time.min, tzinfo=reviews.zone(tz_name))
        return self.filter(at__gte=start)

    def per_local_day(self, tz_name):
        """(local date, number of events) pairs, one query, for the activity heatmap."""
        return (
            self.order_by()
            .annotate(day=TruncDate("at", tzinfo=reviews.zone(tz_name)))
            .values("day")
            .annotate(n=Count("id"))
            .values_list("day", "n")
        )


class ProgressEvent(models.Model):
    """One status change, as it happened: the learner's timeline and activity heatmap."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="progress_events"
    )
    resource = models.ForeignKey("catalog.Resource", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices)
    at = models.DateTimeField(default=timezone.now)

    objects = ProgressEventQuerySet.as_manager()

    class Meta:
        db_table = "assessment_progressevent"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "at"], name="progress_event_user_at")]

    def __str__(self):
        return f"{self.user} → {self.status} on {self.resource} at {self.at:%Y-%m-%d %H:%M}"


class Rating(models.TextChoices):
    AGAIN = reviews.AGAIN, "Again"
    HARD = reviews.HARD, "Hard"
    GOOD = reviews.GOOD, "Good"
    EASY = reviews.EASY, "Easy"


class ReviewQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(done_at__isnull=True)

    def schedule_first(self, user, resource: Resource, today: date) -> None:
        """The guide's reviews after finishing: 1 day, 3 days and a week later."""
        self.bulk_create(
            Review(user=user, resource=resource, due=step.due, interval_days=step.interval_days)
            for step in reviews.first_reviews(today)
        )

    def for_dashboard(self, today):
        """Pending reviews up to a week ahead, oldest due first, with their resources."""
        return (
            self.pending()
            .filter(due__lte=today + timedelta(days=7))
            .select_related("resource")
            .only("due", "interval_days", "resource__slug", "resource__title")
            .order_by("due", "id")
        )


class Review(models.Model):
    """A spaced review of a finished resource, due on a date in the learner's time zone."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews"
    )
    resource = models.ForeignKey("catalog.Resource", on_delete=models.CASCADE, related_name="+")
    due = models.DateField()
    interval_days = models.PositiveSmallIntegerField()
    done_at = models.DateTimeField(null=True, blank=True)
    rating = models.CharField(max_length=10, choices=Rating.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        db_table = "assessment_review"
        ordering = ["due", "id"]
        indexes = [
            models.Index(
                fields=["user", "due"],
                condition=Q(done_at__isnull=True),
                name="review_pending_user_due",
            )
        ]

    def __str__(self):
        return f"Review of {self.resource} for {self.user} due {self.due}"

    def complete(self, rating: str, today) -> bool:
        """Record the rating and move the resource's later reviews by the new interval.

        False when the review was already done, rated by another request first (a double
        click, a second tab): then nothing changes and that request's rating stands.
        """
        with transaction.atomic():
            # Lock this review and look again: the rating of a review already done would
            # schedule its next review a second time.
            if not Review.objects.select_for_update().filter(
                pk=self.pk, done_at__isnull=True
            ).exists():
                return False
            later = list(
                Review.objects.select_for_update()
                .pending()
                .filter(user_id=self.user_id, resource_id=self.resource_id)
                .exclude(pk=self.pk)
                .order_by("due", "id")
            )
            moved, added = reviews.reschedule(
                [reviews.Step(r.due, r.interval_days) for r in later],
                today,
                self.interval_days,
                rating,
            )
            for review, step in zip(later, moved, strict=True):
                review.due, review.interval_days = step.due, step.interval_days
            if later:
                Review.objects.bulk_update(later, ["due", "interval_days"])
            if added:
                Review.objects.create(
                    user_id=self.user_id,
                    resource_id=self.resource_id,
                    due=added.due,
                    interval_days=added.interval_days,
                )
            self.rating = rating
            self.done_at = timezone.now()
            self.save(update_fields=["rating", "done_at"])
        return True


FOCUS_DAYS = 14
EXTEND_DAYS = 7


class FocusOutcome(models.TextChoices):
    DONE = "done", "Done — I finished it"
    EXTENDED = "extended", "Extend a week"
    SWITCHED = "switched", "Switch to something else"


class FocusQuerySet(models.QuerySet):
    def start(self, user, resource: Resource, today: date) -> "Focus":
        """Make `resource` the learner's focus for two weeks; an open focus counts as switched.

        When another request chose a focus at the same moment (a double click, a second tab),
        that one is kept and returned: the learner has one focus, whichever request won.
        """
        with transaction.atomic():
            now = timezone.now()
            user.focuses.select_for_update().filter(answered_at__isnull=True).update(
                outcome=FocusOutcome.SWITCHED, answered_at=now
            )
            try:
                with transaction.atomic():
                    focus = self.create(
                        user=user,
                        resource=resource,
                        starts_on=today,
                        ends_on=today + timedelta(days=FOCUS_DAYS),
                        created_at=now,
                    )
            except IntegrityError:
                # The other request's focus was committed after our update looked for open
                # ones; each statement sees what is committed, so this finds it.
                return user.focuses.select_related("resource").get(answered_at__isnull=True)
            # Committing to a resource means working on it.
            progress = user.progress.filter(resource=resource).first()
            if progress is None or progress.status in (Status.NOT_STARTED, Status.SKIPPED):
                Progress.objects.change(user, resource, Status.IN_PROGRESS)
        return focus


class Focus(models.Model):
    """The one resource a learner commits to for two weeks, and how it went."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="focuses"
    )
    resource = models.ForeignKey("catalog.Resource", on_delete=models.CASCADE, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField()
    outcome = models.CharField(max_length=10, choices=FocusOutcome.choices, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = FocusQuerySet.as_manager()

    class Meta:
        db_table = "assessment_focus"
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "focuses"
        constraints = [
            # At most one open commitment: choosing a new focus closes the old one first.
            models.UniqueConstraint(
                fields=["user"], condition=Q(answered_at__isnull=True), name="focus_one_open"
            )
        ]

    def __str__(self):
        return f"{self.user} focuses on {self.resource} until {self.ends_on}"

    def days_left(self, today) -> int:
        return max(0, (self.ends_on - today).days)

    def has_ended(self, today) -> bool:
        return today >= self.ends_on

    def answer(self, outcome: str, today: date) -> bool:
        """Record how the focus went; "extended" opens one more week on the same resource.

        False when the focus was answered meanwhile, by another request (a double click, a
        second tab) or by choosing a new focus: then nothing changes and that answer stands.
        """
        with transaction.atomic():
            # Lock the focus and look again: answering twice would open a second week (and
            # break the one-open-focus constraint) or overwrite the first answer.
            if not Focus.objects.select_for_update().filter(
                pk=self.pk, answered_at__isnull=True
            ).exists():
                return False
            self.outcome = outcome
            self.answered_at = timezone.now()
            self.save(update_fields=["outcome", "answered_at"])
            if outcome == FocusOutcome.DONE:
                Progress.objects.change(self.user, self.resource, Status.DONE)
            if outcome == FocusOutcome.EXTENDED:
                Focus.objects.create(
                    user=self.user,
                    resource=self.resource,
                    starts_on=today,
                    ends_on=max(today, self.ends_on) + timedelta(days=EXTEND_DAYS),
                )
        return True


class NoteQuerySet(models.QuerySet):
    def put(self, user, resource: Resource, text: str) -> "Note":
        """Create or replace the learner's note on `resource` in one upsert, rendered once."""
        note = Note(
            user=user,
            resource=resource,
            text=text,
            text_html=notes.render_markdown(text),
            updated_at=timezone.now(),
        )
        (note,) = self.bulk_create(
            [note],
            update_conflicts=True,
            unique_fields=["user", "resource"],
            update_fields=["text", "text_html", "updated_at"],
        )
        return note


class Note(models.Model):
    """A learner's private Markdown note on one resource."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notes"
    )
    resource = models.ForeignKey("catalog.Resource", on_delete=models.CASCADE, related_name="+")
    text = models.TextField(blank=True, max_length=notes.MAX_NOTE_LENGTH)
    # `text` rendered and cleaned when it was saved: pages show this and never parse a note.
    text_html = models.TextField(blank=True, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = NoteQuerySet.as_manager()

    class Meta:
        db_table = "assessment_note"
        constraints = [
            models.UniqueConstraint(fields=["user", "resource"], name="note_user_resource_unique")
        ]

    def __str__(self):
        return f"Note of {self.user} on {self.resource}"

    def save(self, *args, **kwargs):
        # However a note is saved, the HTML shown follows its text.
        self.text_html = notes.render_markdown(self.text)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "text" in update_fields:
            kwargs["update_fields"] = {*update_fields, "text_html"}
        super().save(*args, **kwargs)

    @property
    def html(self):
        return notes.trusted(self.text_html)


def new_calendar_secret() -> str:
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """The secret in a learner's calendar feed URL. Revoking it makes the URL 404."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens"
    )
    token = models.CharField(max_length=64, unique=True, default=new_calendar_secret)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "assessment_calendartoken"
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="calendar_one_live"
            )
        ]

    def __str__(self):
        return f"Calendar feed of {self.user}{' (revoked)' if self.revoked_at else ''}"

    @classmethod
    def issue(cls, user) -> "CalendarToken":
        """A fresh secret for `user`; the previous one (if any) is revoked first.

        When another request issued one at the same moment (a double click), that one is
        the learner's address and is returned.
        """
        with transaction.atomic():
            cls.revoke_all(user)
            try:
                with transaction.atomic():
                    return cls.objects.create(user=user)
            except IntegrityError:
                # The other secret was committed after revoke_all looked: it is live now.
                return cls.objects.get(user=user, revoked_at__isnull=True)

    def as_ics(self, base_url: str) -> bytes:
        """The learner's pending reviews and the end of their open focus, as iCalendar."""
        user = self.user
        items = [
            ical.ReviewItem(
                id=review.pk,
                resource_title=review.resource.title,
                due=review.due,
                stamp=review.created_at,
                url=base_url + review.resource.get_absolute_url(),
            )
            for review in user.reviews.pending().select_related("resource").order_by("due", "id")
        ]
        focus = user.focuses.filter(answered_at__isnull=True).select_related("resource").first()
        focus_item = focus and ical.FocusItem(
            id=focus.pk,
            resource_title=focus.resource.title,
            ends_on=focus.ends_on,
            stamp=focus.created_at,
            url=base_url + focus.resource.get_absolute_url(),
        )
        return ical.build_calendar(items, focus_item)

    @classmethod
    def revoke_all(cls, user) -> int:
        return cls.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )


class ExerciseSuggestionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(dismissed_at__isnull=True).order_by("-created_at", "-id")

    def suggest(self, user, resource: Resource, now) -> None:
        """The exercise for the resource's first area that has one, shown until dismissed.

        Finishing a resource again brings its exercise back (one upsert, no duplicate).
        """
        domain = exercises.domain_for_exercise(resource.domains.values_list("slug", flat=True))
        self.bulk_create(
            [ExerciseSuggestion(user=user, resource=resource, domain=domain, created_at=now)],
            update_conflicts=True,
            unique_fields=["user", "resource"],
            update_fields=["domain", "created_at", "dismissed_at"],
        )


class ExerciseSuggestion(models.Model):
    """'Code it within 24 hours': the exercise suggested when a resource was finished."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exercise_suggestions"
    )
    resource = models.ForeignKey("catalog.Resource", on_delete=models.CASCADE, related_name="+")
    domain = models.SlugField(max_length=50)
    created_at = models.DateTimeField(default=timezone.now)
    dismissed_at = models.DateTimeField(null=True, blank=True)

    objects = ExerciseSuggestionQuerySet.as_manager()

    class Meta:
        db_table = "assessment_exercisesuggestion"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "resource"], name="exercise_user_resource_unique"
            )
        ]

    def __str__(self):
        return f"Exercise for {self.user} after {self.resource}"

    @property
    def exercise(self):
        return exercises.exercise_for(self.domain)


def learner_time_zone(user) -> str:
    """The learner's IANA time zone name from their profile (UTC when unset)."""
    zone = Profile.objects.filter(user=user).values_list("time_zone", flat=True).first()
    return zone or "UTC"


# Models kept in modules of their own, registered with the app here.
from progress.studylog import StudyLog  # noqa: E402, F401
