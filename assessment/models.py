"""Self-assessments and the roadmap built from the latest one.

The roadmap is stored so it stays stable while the learner works through it. Progress on a
resource is keyed by (user, resource) in its own table, so rebuilding the roadmap replaces
stages and entries without ever touching recorded progress.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Max, Q
from django.utils import timezone

from accounts.models import Budget, Goal

# The four self-rated areas: form field name -> (catalogue domain slug, display title).
# The field names are part of the assessment form and export contract.
AREAS = {
    "linear_algebra": ("linear-algebra", "Linear algebra"),
    "calculus": ("calculus", "Calculus"),
    "probability_statistics": ("probability-statistics", "Probability & statistics"),
    "programming": ("programming-math", "Programming mathematics"),
}
RATING_FIELDS = tuple(AREAS)

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


def next_position(stage: RoadmapStage) -> int:
    top = stage.entries.aggregate(top=Max("position"))["top"]
    return 0 if top is None else top + 1

