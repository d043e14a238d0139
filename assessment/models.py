"""Self-assessments and the roadmap built from the latest one.

The roadmap is stored so it stays stable while the learner works through it. Progress on a
resource is keyed by (user, resource) in its own table, so rebuilding the roadmap replaces
stages and entries without ever touching recorded progress.
"""

import secrets
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Count, F, FilteredRelation, Max, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import Budget, Goal, Profile
from assessment import exercises, notes, reviews
from assessment import roadmap as builder
from catalog.models import Resource

# The four self-rated areas, by form field name; the names are part of the form and export
# contract. "programming" is the catalogue's programming-math domain.
RATING_FIELDS = tuple(builder.AREA_DOMAINS)

_rating_validators = [MinValueValidator(1), MaxValueValidator(5)]


def _rating_field(label):
    return models.PositiveSmallIntegerField(label, validators=_rating_validators)


class AssessmentQuerySet(models.QuerySet):
    def for_history_page(self):
        return self.order_by("-taken_at", "-id")

    def for_chart(self, limit=12):
        """The latest `limit` assessments, oldest first, for the ratings chart."""
        latest = self.order_by("-taken_at", "-id").only("taken_at", *RATING_FIELDS)[:limit]
        return list(reversed(latest))


class Assessment(models.Model):
    """One dated self-assessment. Retaking adds a new one; earlier ones are kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessments"
    )
    linear_algebra = _rating_field("linear algebra")
    calculus = _rating_field("calculus")
    probability_statistics = _rating_field("probability & statistics")
    programming = _rating_field("programming mathematics")
    goal = models.CharField(max_length=30, choices=Goal.choices)
    budget = models.CharField(max_length=10, choices=Budget.choices, default=Budget.ANY)
    styles = models.JSONField(default=list, blank=True)
    weekly_hours = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(80)]
    )
    # Calibration check results per area: {"calculus": {"score": 2, "out_of": 4}, ...}.
    calibration = models.JSONField(default=dict, blank=True)
    taken_at = models.DateTimeField(default=timezone.now, db_index=True)
    # The random key the questionnaire was rendered with: the same form sent twice (a double
    # click, a resent page) is one assessment. Empty for submissions without one.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-taken_at", "-id"]
        constraints = [
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 1}) & Q(**{f"{name}__lte": 5}),
                    name=f"assessment_{name}_1_to_5",
                )
                for name in RATING_FIELDS
            ),
            # NULLs are distinct, so submissions without a key never collide.
            models.UniqueConstraint(
                fields=["user", "submission_key"], name="assessment_user_submission_key_unique"
            ),
        ]

    def __str__(self):
        return f"Assessment of {self.user} on {self.taken_at:%Y-%m-%d}"

    @property
    def ratings(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in RATING_FIELDS}

    def changes_since(self, earlier: "Assessment | None") -> dict[str, int] | None:
        """Rating change per area since `earlier`, or None for a first assessment."""
        if earlier is None:
            return None
        return {name: getattr(self, name) - getattr(earlier, name) for name in RATING_FIELDS}


def resource_info(resource: Resource) -> builder.ResourceInfo:
    """The builder's view of a catalogue resource (its domains must be prefetched)."""
    return builder.ResourceInfo(
        slug=resource.slug,
        title=resource.title,
        level=resource.level,
        domains=tuple(sorted(d.slug for d in resource.domains.all())),
        is_free=resource.is_free,
        styles=tuple(resource.styles or ()),
        approach=resource.approach or "",
        optimisation_focused=resource.optimisation_focused,
        is_reference=resource.is_reference,
        format=resource.format,
        estimated_hours=resource.estimated_hours,
    )


class Roadmap(models.Model):
    """A learner's current roadmap: its stages and entries, built from one assessment."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roadmap"
    )
    assessment = models.ForeignKey(
        Assessment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    weekly_hours = models.PositiveSmallIntegerField(default=5)
    starts_on = models.DateField()
    finishes_on = models.DateField()
    built_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Roadmap of {self.user}"

    @classmethod
    def build_for(cls, assessment: Assessment, starts_on: date | None = None) -> "Roadmap":
        """Build (or rebuild) the learner's roadmap from `assessment`.

        Entries are replaced, but the learner's own choices survive on resources that
        remain: skips stay skipped and resources they added stay on the roadmap. Progress
        lives in its own (user, resource) table and is never touched here.
        """
        user = assessment.user
        resources = {r.slug: r for r in Resource.objects.published().prefetch_related("domains")}
        starts_on = starts_on or timezone.localdate()
        plan = builder.build(
            builder.RoadmapInput(
                ratings=assessment.ratings,
                goal=assessment.goal,
                catalogue=tuple(resource_info(r) for r in resources.values()),
                free_only=assessment.budget == Budget.FREE,
                styles=tuple(assessment.styles or ()),
                weekly_hours=assessment.weekly_hours,
                starts_on=starts_on,
            )
        )
        with transaction.atomic():
            roadmap, _ = cls.objects.select_for_update().get_or_create(
                user=user,
                defaults={"starts_on": plan.starts_on, "finishes_on": plan.finishes_on},
            )
            previous = {
                e.resource_id: e
                for e in user.roadmap_entries.select_related("resource").prefetch_related(
                    "resource__domains"
                )
            }
            # "Skipped" is a progress status; the entries' flag mirrors it for scheduling.
            skipped = dict(
                Progress.objects.filter(user=user, status=Status.SKIPPED).values_list(
                    "resource_id", "skip_reason"
                )
            )
            roadmap.stages.all().delete()
            roadmap.assessment = assessment
            roadmap.weekly_hours = assessment.weekly_hours
            roadmap.starts_on, roadmap.finishes_on = plan.starts_on, plan.finishes_on
            roadmap.built_at = timezone.now()
            roadmap.save()

            stages = RoadmapStage.objects.bulk_create(
                RoadmapStage(
                    roadmap=roadmap,
                    index=s.index,
                    area=s.area,
                    title=s.title,
                    summary=s.summary,
                    advice=s.advice,
                    weeks=s.weeks,
                    starts_on=s.starts_on,
                    finishes_on=s.finishes_on,
                )
                for s in plan.stages
            )
            entries = []
            ends = {}
            for stage, planned in zip(stages, plan.stages, strict=True):
                ends[stage.pk] = len(planned.entries)
                for position, e in enumerate(planned.entries):
                    resource = resources[e.slug]
                    old = previous.pop(resource.pk, None)
                    entries.append(
                        RoadmapEntry(
                            user=user,
                            stage=stage,
                            position=position,
                            resource=resource,
                            reason=e.reason,
                            is_optional=e.optional,
                            skipped=resource.pk in skipped,
                            skip_reason=skipped.get(resource.pk, ""),
                        )
                    )
            # Resources the learner added by hand stay, in the stage of their area.
            for old in previous.values():
                if not old.added_by_learner:
                    continue
                stage = roadmap.stage_for(old.resource, stages)
                ends[stage.pk] += 1
                entries.append(
                    RoadmapEntry(
                        user=user,
                        stage=stage,
                        position=ends[stage.pk] - 1,
                        resource=old.resource,
                        reason=ADDED_REASON,
                        added_by_learner=True,
                        skipped=old.resource_id in skipped,
                        skip_reason=skipped.get(old.resource_id, ""),
                    )
                )
            RoadmapEntry.objects.bulk_create(entries)
            if any(e.added_by_learner or e.skipped for e in entries):
                roadmap.reschedule()
        return roadmap

    @staticmethod
    def stage_for(resource: Resource, stages) -> "RoadmapStage":
        """The first stage teaching one of the resource's domains, else the last stage."""
        slugs = {d.slug for d in resource.domains.all()}
        return next((s for s in stages if s.area in slugs), stages[-1])

    def add_resource(self, resource: Resource) -> "RoadmapEntry":
        """Put a catalogue resource on the roadmap (or back on it, if it was skipped)."""
        with transaction.atomic():
            # The roadmap's row first, as a rebuild takes it: two adds at the same moment
            # (a double click) then run one after the other, so the second finds the entry
            # the first made instead of breaking the one-entry-per-resource constraint, and
            # adds to one stage get distinct positions.
            Roadmap.objects.select_for_update().filter(pk=self.pk).first()
            entry = self.user.roadmap_entries.select_for_update().filter(resource=resource).first()
            if entry is None:
                stage = self.stage_for(resource, list(self.stages.all()))
                entry = RoadmapEntry.objects.create(
                    user=self.user,
                    stage=stage,
                    position=next_position(stage),
                    resource=resource,
                    reason=ADDED_REASON,
                    added_by_learner=True,
                )
            elif entry.skipped:
                set_progress(self.user, resource, Status.NOT_STARTED)
            self.reschedule()
        return entry

    def reschedule(self):
        """Recompute each stage's weeks and dates from the steps still on it."""
        stages = list(
            self.stages.prefetch_related(
                models.Prefetch(
                    "entries", RoadmapEntry.objects.select_related("resource").order_by("position")
                )
            )
        )
        hours = [
            builder.stage_hours(e.counted_step() for e in s.entries.all() if e.counts)
            for s in stages
        ]
        dates = builder.stage_dates(hours, self.weekly_hours, self.starts_on)
        for stage, (weeks, start, finish) in zip(stages, dates, strict=True):
            stage.weeks, stage.starts_on, stage.finishes_on = weeks, start, finish
        RoadmapStage.objects.bulk_update(stages, ["weeks", "starts_on", "finishes_on"])
        self.finishes_on = dates[-1][2] if dates else self.starts_on
        self.save(update_fields=["finishes_on"])


class RoadmapStage(models.Model):
    """One area of study (or the final "Go deeper" stage) with its projected dates."""

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="stages")
    index = models.PositiveSmallIntegerField()
    # A catalogue domain slug, or "go-deeper" for the last stage.
    area = models.SlugField(max_length=50)
    title = models.CharField(max_length=100)
    summary = models.TextField(blank=True, help_text="Why this stage is here, and in this place.")
    advice = models.TextField(blank=True, help_text="How to work through this stage.")
    weeks = models.PositiveSmallIntegerField(default=1)
    starts_on = models.DateField()
    finishes_on = models.DateField()

    class Meta:
        ordering = ["index"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "index"], name="roadmap_stage_index_unique")
        ]

    def __str__(self):
        return f"{self.index + 1}. {self.title}"


# Resource fields that no list of roadmap entries shows.
ENTRY_RESOURCE_UNUSED = ("search", "loaded_values", "summary", "how_to_use", "url")


class RoadmapEntryQuerySet(models.QuerySet):
    def for_roadmap_page(self):
        """Entries in roadmap order with everything the page shows, in one query."""
        return (
            self.select_related("stage", "resource")
            # Long texts no page of entries shows (the search vector alone is kilobytes).
            .defer(
                "stage__summary",
                "stage__advice",
                *(f"resource__{name}" for name in ENTRY_RESOURCE_UNUSED),
            )
            .with_progress()
            .order_by("stage__index", "position")
        )

    def with_progress(self):
        """Annotate the learner's status on each entry's resource (see RoadmapEntry.progress).

        One LEFT JOIN on the (user, resource) unique index, not a subquery per column.
        """
        return self.annotate(
            mine=FilteredRelation(
                "resource__progress_records",
                condition=Q(resource__progress_records__user=F("user")),
            ),
            progress_status=F("mine__status"),
            progress_started_at=F("mine__started_at"),
            progress_finished_at=F("mine__finished_at"),
        )


class RoadmapEntry(models.Model):
    """One resource on a learner's roadmap. A resource appears at most once per learner."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roadmap_entries"
    )
    stage = models.ForeignKey(RoadmapStage, on_delete=models.CASCADE, related_name="entries")
    position = models.PositiveSmallIntegerField()
    resource = models.ForeignKey(
        "catalog.Resource", on_delete=models.CASCADE, related_name="roadmap_entries"
    )
    reason = models.TextField()
    is_optional = models.BooleanField(
        "optional refresher", default=False, help_text="Offered, not a step of the roadmap."
    )
    added_by_learner = models.BooleanField(default=False)
    skipped = models.BooleanField(default=False)
    skip_reason = models.CharField(max_length=200, blank=True)

    objects = RoadmapEntryQuerySet.as_manager()

    class Meta:
        ordering = ["stage__index", "position"]
        verbose_name_plural = "roadmap entries"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "resource"], name="roadmap_entry_user_resource_unique"
            )
        ]

    def __str__(self):
        return f"{self.resource} on the roadmap of {self.user}"

    @property
    def counts(self) -> bool:
        """Whether the entry is a step that takes time (not a refresher, not skipped)."""
        return not (self.is_optional or self.skipped)

    def counted_step(self) -> tuple[str, int]:
        """(step, expected hours) as the builder counts them; needs stage and resource."""
        resource = self.resource
        if self.stage.area == builder.GO_DEEPER:
            step = builder.go_deeper_step(resource.format)
            return step, builder.entry_hours(resource.estimated_hours, True)
        return resource.level, builder.entry_hours(resource.estimated_hours, False)

    @property
    def progress(self) -> "Progress | None":
        """The learner's progress on this resource, from `with_progress()` (no query)."""
        status = getattr(self, "progress_status", None)
        if status is None:
            return None
        return Progress(
            user_id=self.user_id,
            resource_id=self.resource_id,
            status=status,
            skip_reason=self.skip_reason,
            started_at=self.progress_started_at,
            finished_at=self.progress_finished_at,
        )

    @property
    def is_done(self) -> bool:
        return getattr(self, "progress_status", None) == Status.DONE

    @property
    def shown_reason(self) -> str:
        if self.skipped:
            why = f": {self.skip_reason}" if self.skip_reason else "."
            return f"You chose to skip this{why}"
        return self.reason

    def skip(self, reason: str = ""):
        """Skip this resource. Skipping is a progress status; this entry's flag mirrors it."""
        set_progress(self.user, self.resource, Status.SKIPPED, reason)
        self.refresh_from_db(fields=["skipped", "skip_reason"])

    def restore(self):
        """Put a skipped resource back: its status returns to "not started"."""
        set_progress(self.user, self.resource, Status.NOT_STARTED)
        self.refresh_from_db(fields=["skipped", "skip_reason"])


ADDED_REASON = "You added this from the catalogue."


def next_position(stage: RoadmapStage) -> int:
    top = stage.entries.aggregate(top=Max("position"))["top"]
    return 0 if top is None else top + 1


def take_assessment(
    user, answers: dict, calibration: dict | None = None, submission_key=None
) -> Assessment:
    """Record a completed questionnaire, update the learner's preferences, build the roadmap.

    `answers` holds the questionnaire's cleaned data (see assessment.forms.AssessmentForm).
    A `submission_key` already used by this learner raises IntegrityError before anything
    else is written: the assessment is created first for that reason.
    """
    with transaction.atomic():
        assessment = Assessment.objects.create(
            user=user,
            submission_key=submission_key,
            goal=answers["goal"],
            budget=answers["budget"],
            styles=list(answers.get("styles") or []),
            weekly_hours=answers["weekly_hours"],
            calibration=calibration or {},
            **{name: answers[name] for name in RATING_FIELDS},
        )
        profile = Profile.for_user(user)
        profile.goal = assessment.goal
        profile.budget = assessment.budget
        profile.styles = assessment.styles
        profile.weekly_hours = assessment.weekly_hours
        profile.save(update_fields=["goal", "budget", "styles", "weekly_hours", "updated_at"])
        Roadmap.build_for(assessment)
    return assessment


# --- Progress: statuses, the event log, reviews, focus, notes, calendar, exercises ----------


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    SKIPPED = "skipped", "Skipped"


class ProgressQuerySet(models.QuerySet):
    def statuses(self) -> dict[int, "Progress"]:
        """{resource id: Progress} in one query."""
        return {p.resource_id: p for p in self}

    def for_timeline(self):
        return self.select_related("resource").order_by("-updated_at", "-id")


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

    class Meta:
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
                set_progress(self.user, self.resource, Status.DONE)
            if outcome == FocusOutcome.EXTENDED:
                Focus.objects.create(
                    user=self.user,
                    resource=self.resource,
                    starts_on=today,
                    ends_on=max(today, self.ends_on) + timedelta(days=EXTEND_DAYS),
                )
        return True


def start_focus(user, resource: Resource, today: date) -> Focus:
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
                focus = Focus.objects.create(
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
            set_progress(user, resource, Status.IN_PROGRESS)
    return focus


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

    class Meta:
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


def save_note(user, resource: Resource, text: str) -> Note:
    """Create or replace the learner's note on `resource` in one upsert, rendered once."""
    note = Note(
        user=user,
        resource=resource,
        text=text,
        text_html=notes.render_markdown(text),
        updated_at=timezone.now(),
    )
    (note,) = Note.objects.bulk_create(
        [note],
        update_conflicts=True,
        unique_fields=["user", "resource"],
        update_fields=["text", "text_html", "updated_at"],
    )
    return note


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

    @classmethod
    def revoke_all(cls, user) -> int:
        return cls.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )


class ExerciseSuggestionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(dismissed_at__isnull=True).order_by("-created_at", "-id")


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


# The whole change is one call of a PL/pgSQL function (migration 0004 holds it and says
# why): atomic on its own, one round trip, and planned once per server connection.
_CHANGE_SQL = """
SELECT * FROM assessment_change_status(
    %(user)s, %(slug)s, %(drafts)s, %(status)s, %(reason)s, %(now)s,
    %(dues)s::date[], %(days)s::integer[], %(domain)s
)
"""
_PROGRESS_RETURNED = ("id", "status", "skip_reason", "started_at", "finished_at", "updated_at")


@dataclass(frozen=True)
class StatusChange:
    progress: "Progress"
    changed: bool
    previous: str


def set_progress(user, resource: Resource, status: str, reason: str = "") -> StatusChange:
    """Set `user`'s status on `resource`, atomically, in one database call.

    Its INSERT … ON CONFLICT DO UPDATE makes it race-free: however many requests arrive at
    once there is one row per (user, resource), and its WHERE clause makes repeating the
    current status a no-op, so only a real change is logged, and only the first "done"
    schedules reviews and suggests an exercise. The roadmap entry's skip flag follows the
    status, so "skipped" is one concept wherever it is set.
    """
    change = _change_status(user, resource.slug, status, reason, drafts=True)
    change.progress.resource = resource
    return change


def set_progress_by_slug(user, slug: str, status: str, reason: str = "") -> StatusChange | None:
    """set_progress for the resource `user` can see under `slug`; None when there is none.

    For the status control: the resource is found by the same call that writes, so the
    request needs no query of its own to look it up.
    """
    return _change_status(user, slug, status, reason, drafts=user.is_staff)


def _change_status(user, slug, status, reason, *, drafts) -> StatusChange | None:
    if status not in Status.values:
        raise ValueError(f"Unknown status {status!r}")
    reason = reason.strip()[:200] if status == Status.SKIPPED else ""
    now = timezone.now()
    done = status == Status.DONE
    steps, domain = [], ""
    if done:
        zone, domain_slugs = _done_facts(user, slug)
        steps = reviews.first_reviews(reviews.local_date(now, zone))
        domain = exercises.domain_for_exercise(domain_slugs)
    params = {
        "user": user.pk,
        "slug": slug,
        "drafts": drafts,
        "status": status,
        "reason": reason,
        "now": now,
        "dues": [step.due for step in steps],
        "days": [step.interval_days for step in steps],
        "domain": domain,
    }
    # Skipping and putting back move the roadmap's projected dates too, in one transaction
    # with the change. Other changes are the one call alone, atomic by itself. (Leaving
    # "skipped" for anything but "not started", which the pages never offer, reschedules
    # right after, in a transaction of its own.)
    moves_dates = status in (Status.SKIPPED, Status.NOT_STARTED)
    with transaction.atomic() if moves_dates else nullcontext():
        return _call_change_status(user, params)


def _call_change_status(user, params) -> StatusChange | None:
    with connection.cursor() as cursor:
        cursor.execute(_CHANGE_SQL, params)
        row = cursor.fetchone()
    if row is None:
        return None
    resource = _loaded(Resource, id=row[0], slug=row[1], title=row[2])
    previous, flag_moved, changed = row[3:6]
    # The call returns the row as written, or as it is when nothing changed: no second
    # query to read it back.
    progress = _loaded(Progress, **dict(zip(_PROGRESS_RETURNED, row[6:], strict=True)))
    progress.user, progress.resource = user, resource
    if not changed:
        return StatusChange(progress, changed=False, previous=previous)
    user.pages_version_moved = True  # the call moved it (the middleware reads this)
    if flag_moved:  # skipped or put back: the projected dates move
        roadmap = Roadmap.objects.filter(user=user).first()
        if roadmap is not None:
            roadmap.reschedule()
    return StatusChange(progress, changed=True, previous=previous or Status.NOT_STARTED)


def _loaded(model, **values):
    """An instance as the ORM loads one with only these fields (the rest deferred)."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(connection.alias, names, [values[name] for name in names])


# What "done" schedules from: the learner's time zone and the resource's domain slugs, in
# one small query, written out because the ORM takes longer to build it than to run it.
_DONE_FACTS_SQL = """
SELECT (SELECT time_zone FROM accounts_profile WHERE user_id = %s),
       ARRAY(SELECT d.slug FROM catalog_domain d
             JOIN catalog_resource_domains rd ON rd.domain_id = d.id
             JOIN catalog_resource r ON r.id = rd.resource_id
             WHERE r.slug = %s ORDER BY d."order", d.name)
"""


def _done_facts(user, slug) -> tuple[str, list[str]]:
    with connection.cursor() as cursor:
        cursor.execute(_DONE_FACTS_SQL, [user.pk, slug])
        zone, domain_slugs = cursor.fetchone()
    return zone or "UTC", domain_slugs
