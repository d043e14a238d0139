"""Self-assessments and the roadmap built from the latest one.

The roadmap is stored so it stays stable while the learner works through it. Progress on a
resource is keyed by (user, resource) in its own table, so rebuilding the roadmap replaces
stages and entries without ever touching recorded progress.
"""

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import F, FilteredRelation, Max, Q
from django.utils import timezone

from accounts.models import Budget, Goal, Profile
from assessment import roadmap as builder
from catalog.models import Resource
from progress.models import Progress, Status

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
        estimated_hours=resource.expected_hours,
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
    built_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Roadmap of {self.user}"

    @classmethod
    def build_for(cls, assessment: Assessment, starts_on: date | None = None) -> "Roadmap":
        """Build (or rebuild) the learner's roadmap from `assessment`.

        Entries are replaced, but resources the learner added stay on the roadmap. Progress
        (skips included) lives in its own (user, resource) table and is never touched here.
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
                defaults={"starts_on": plan.starts_on},
            )
            previous = {
                e.resource_id: e
                for e in user.roadmap_entries.select_related("resource").prefetch_related(
                    "resource__domains"
                )
            }
            roadmap.stages.all().delete()
            roadmap.assessment = assessment
            roadmap.weekly_hours = assessment.weekly_hours
            roadmap.starts_on = plan.starts_on
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
                    )
                )
            RoadmapEntry.objects.bulk_create(entries)
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
            if Progress.objects.filter(
                user=self.user, resource=resource, status=Status.SKIPPED
            ).exists():
                Progress.objects.change(self.user, resource, Status.NOT_STARTED)
        return entry

    def schedule(self, stages, entries) -> None:
        """Give each stage its weeks and dates, and the roadmap its finish, as shown today.

        Drawn from the entries (with_progress(), grouped by stage) each time they are
        shown, never stored: a skip, a put-back or an added resource moves them at once
        and nothing has to remember to update them. Sets `weeks`, `starts_on` and
        `finishes_on` on each stage and `finishes_on` on the roadmap.
        """
        by_stage = {stage.pk: [] for stage in stages}
        for entry in entries:
            by_stage[entry.stage_id].append(entry)
        hours = [
            builder.stage_hours(e.counted_step(stage) for e in by_stage[stage.pk] if e.counts)
            for stage in stages
        ]
        dates = builder.stage_dates(hours, self.weekly_hours, self.starts_on)
        for stage, (weeks, start, finish) in zip(stages, dates, strict=True):
            stage.weeks, stage.starts_on, stage.finishes_on = weeks, start, finish
        self.finishes_on = dates[-1][2] if dates else self.starts_on


class RoadmapStage(models.Model):
    """One area of study (or the final "Go deeper" stage) with its projected dates."""

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="stages")
    index = models.PositiveSmallIntegerField()
    # A catalogue domain slug, or "go-deeper" for the last stage.
    area = models.SlugField(max_length=50)
    title = models.CharField(max_length=100)
    summary = models.TextField(blank=True, help_text="Why this stage is here, and in this place.")
    advice = models.TextField(blank=True, help_text="How to work through this stage.")

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
            progress_skip_reason=F("mine__skip_reason"),
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

    @property
    def skipped(self) -> bool:
        """Skipping is a progress status (from `with_progress()`), never stored here."""
        return getattr(self, "progress_status", None) == Status.SKIPPED

    @property
    def skip_reason(self) -> str:
        return (getattr(self, "progress_skip_reason", None) or "") if self.skipped else ""

    def counted_step(self, stage: "RoadmapStage | None" = None) -> tuple[str, int]:
        """(step, expected hours) as the builder counts them; needs the resource."""
        resource = self.resource
        if (stage or self.stage).area == builder.GO_DEEPER:
            step = builder.go_deeper_step(resource.format)
            return step, builder.entry_hours(resource.expected_hours, True)
        return resource.level, builder.entry_hours(resource.expected_hours, False)

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
        """Skip this resource: a progress status, so it is skipped wherever it is shown."""
        change = Progress.objects.change(self.user, self.resource, Status.SKIPPED, reason)
        self.progress_status = Status.SKIPPED
        self.progress_skip_reason = change.progress.skip_reason

    def restore(self):
        """Put a skipped resource back: its status returns to "not started"."""
        Progress.objects.change(self.user, self.resource, Status.NOT_STARTED)
        self.progress_status, self.progress_skip_reason = Status.NOT_STARTED, ""


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
