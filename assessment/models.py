"""Self-assessments and the roadmap built from the latest one.

The roadmap is stored so it stays stable while the learner works through it. Progress on a
resource is keyed by (user, resource) in its own table, so rebuilding the roadmap replaces
stages and entries without ever touching recorded progress.
"""

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Max, Q
from django.utils import timezone

from accounts.models import Budget, Goal, Profile
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

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-taken_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{name}__gte": 1}) & Q(**{f"{name}__lte": 5}),
                name=f"assessment_{name}_1_to_5",
            )
            for name in RATING_FIELDS
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
                            skipped=bool(old and old.skipped),
                            skip_reason=old.skip_reason if old else "",
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
                        skipped=old.skipped,
                        skip_reason=old.skip_reason,
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
                entry.restore()
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


class RoadmapEntryQuerySet(models.QuerySet):
    def for_roadmap_page(self):
        """Entries in roadmap order with everything the page shows, in one query."""
        return self.select_related("stage", "resource").order_by("stage__index", "position")


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
    def shown_reason(self) -> str:
        if self.skipped:
            why = f": {self.skip_reason}" if self.skip_reason else "."
            return f"You chose to skip this{why}"
        return self.reason

    def skip(self, reason: str = ""):
        self.skipped = True
        self.skip_reason = reason.strip()[:200]
        self.save(update_fields=["skipped", "skip_reason"])

    def restore(self):
        self.skipped = False
        self.skip_reason = ""
        self.save(update_fields=["skipped", "skip_reason"])


ADDED_REASON = "You added this from the catalogue."


def next_position(stage: RoadmapStage) -> int:
    top = stage.entries.aggregate(top=Max("position"))["top"]
    return 0 if top is None else top + 1



def take_assessment(user, answers: dict, calibration: dict | None = None) -> Assessment:
    """Record a completed questionnaire, update the learner's preferences, build the roadmap.

    `answers` holds the questionnaire's cleaned data (see assessment.forms.AssessmentForm).
    """
    with transaction.atomic():
        assessment = Assessment.objects.create(
            user=user,
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
