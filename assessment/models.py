"""Self-assessments and the roadmap built from the latest one.

The roadmap is stored so it stays stable while the learner works through it. Progress on a
resource is keyed by (user, resource) in its own table, so rebuilding the roadmap replaces
stages and entries without ever touching recorded progress.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import F, FilteredRelation, Max, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import WEEKLY_HOURS_MAX, WEEKLY_HOURS_MIN, Budget, Goal, Profile
from assessment import roadmap as builder
from catalog.models import ConceptLocation, Resource
from progress import goals
from progress.models import Progress, Status

# The four self-rated areas, by form field name; the names are part of the form and export
# contract. "programming" is the catalogue's programming-math domain. Discrete maths is an
# optional fifth rating (blank allowed), never one of the guide's four core areas.
RATING_FIELDS = tuple(builder.AREA_DOMAINS)
OPTIONAL_RATING_FIELDS = tuple(builder.OPTIONAL_AREA_DOMAINS)

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
    discrete_math = models.PositiveSmallIntegerField(
        "discrete maths", validators=_rating_validators, null=True, blank=True
    )
    goal = models.CharField(max_length=30, choices=Goal.choices)
    budget = models.CharField(max_length=10, choices=Budget.choices, default=Budget.ANY)
    styles = models.JSONField(default=list, blank=True)
    weekly_hours = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(WEEKLY_HOURS_MIN), MaxValueValidator(WEEKLY_HOURS_MAX)]
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
            models.CheckConstraint(
                condition=Q(discrete_math__isnull=True)
                | (Q(discrete_math__gte=1) & Q(discrete_math__lte=5)),
                name="assessment_discrete_math_1_to_5_or_blank",
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

    @property
    def builder_ratings(self) -> dict[str, int | None]:
        """The four core ratings and the optional fifth, as the roadmap builder takes them."""
        return {**self.ratings, **{name: getattr(self, name) for name in OPTIONAL_RATING_FIELDS}}

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
        beyond_guide=resource.beyond_guide,
        is_reference=resource.is_reference,
        format=resource.format,
        estimated_hours=resource.expected_hours,
        role=resource.role,
        # Only published prerequisites: a draft is never on anybody's plan.
        prerequisites=tuple(sorted(p.slug for p in resource.prerequisites.all() if p.published)),
    )


def published_catalogue():
    """Published resources with what `resource_info` reads, in three queries."""
    return Resource.objects.published().prefetch_related(
        "domains", models.Prefetch("prerequisites", Resource.objects.only("slug", "published"))
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
    # The goal, budget and styles it was built with ({} before they were recorded: then
    # the assessment's), so a changed profile can offer a rebuild.
    built_with = models.JSONField(default=dict, blank=True)
    starts_on = models.DateField()
    built_at = models.DateTimeField(default=timezone.now)
    # Set while the learner has lowered the plan: apply roles stop counting (see lower()).
    lowered_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Roadmap of {self.user}"

    def lower(self, lowered: bool) -> None:
        """Lower the plan (apply roles become optional, out of its time) or put it back.

        Nothing is deleted: entries, picks and progress stay, so putting it back restores
        the plan as it was.
        """
        self.lowered_at = timezone.now() if lowered else None
        self.save(update_fields=["lowered_at"])

    @classmethod
    def build_for(
        cls, assessment: Assessment, starts_on: date | None = None, preferences=None
    ) -> "Roadmap":
        """Build (or rebuild) the learner's roadmap from `assessment`.

        Entries are replaced, but resources the learner added stay on the roadmap, and the
        alternative the learner picked in a role stays picked while it is still there.
        Progress (skips included) lives in its own (user, resource) table and is never
        touched here. `preferences` (a Profile) overrides the assessment's goal, budget,
        styles and hours: a rebuild from the profile's current answers.
        """
        user = assessment.user
        prefs = preferences or assessment
        resources = {r.slug: r for r in published_catalogue()}
        starts_on = starts_on or timezone.localdate()
        plan = builder.build(
            builder.RoadmapInput(
                ratings=assessment.builder_ratings,
                goal=prefs.goal,
                catalogue=tuple(resource_info(r) for r in resources.values()),
                free_only=prefs.budget == Budget.FREE,
                styles=tuple(prefs.styles or ()),
                weekly_hours=prefs.weekly_hours,
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
            picked = {(e.step, e.role): e.resource_id for e in previous.values() if e.is_chosen}
            roadmap.stages.all().delete()
            roadmap.assessment = assessment
            roadmap.weekly_hours = prefs.weekly_hours
            roadmap.built_with = _preferences(prefs)
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
                    already_planned=[
                        {"resource": a.slug, "title": a.title, "stage": a.stage + 1}
                        for a in s.already_planned
                    ],
                )
                for s in plan.stages
            )
            entries = []
            ends = {}
            for stage, planned in zip(stages, plan.stages, strict=True):
                ends[stage.pk] = len(planned.entries)
                present = {(e.step, e.role, resources[e.slug].pk) for e in planned.entries}
                for position, e in enumerate(planned.entries):
                    resource = resources[e.slug]
                    previous.pop(resource.pk, None)
                    pick = picked.get((e.step, e.role))
                    kept = pick is not None and (e.step, e.role, pick) in present
                    entries.append(
                        RoadmapEntry(
                            user=user,
                            stage=stage,
                            position=position,
                            resource=resource,
                            reason=e.reason,
                            is_optional=e.optional,
                            step=e.step,
                            role=e.role,
                            is_chosen=resource.pk == pick if kept else e.chosen,
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
                        **added_step(old.resource),
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
                    **added_step(resource),
                )
            if Progress.objects.filter(
                user=self.user, resource=resource, status=Status.SKIPPED
            ).exists():
                Progress.objects.change(self.user, resource, Status.NOT_STARTED)
        return entry

    @property
    def current_weekly_hours(self) -> int:
        """The learner's weekly hours now (the profile), so a change moves every date."""
        try:
            return self.user.profile.weekly_hours
        except Profile.DoesNotExist:
            return self.weekly_hours

    @property
    def current_goal(self) -> str:
        """The learner's goal now (the profile), else the one the roadmap was built with."""
        try:
            return self.user.profile.goal
        except Profile.DoesNotExist:
            return self.built_with.get("goal") or getattr(self.assessment, "goal", "")

    def rebuild_from_profile(self) -> "Roadmap":
        """Rebuild from the latest ratings and the profile's goal, budget, styles and hours.

        Recorded progress lives in its own table and is kept; so are the learner's picks.
        """
        return Roadmap.build_for(self.assessment, self.starts_on, Profile.for_user(self.user))

    def needs_rebuild(self) -> bool:
        """Whether the profile's goal, budget or styles differ from the roadmap's."""
        if self.assessment is None:
            return False
        try:
            profile = self.user.profile
        except Profile.DoesNotExist:
            return False
        return (self.built_with or _preferences(self.assessment)) != _preferences(profile)

    def schedule(self, stages, entries) -> builder.Tracked:
        """Steps, completion and dates of the stages as shown today (see builder.track).

        Drawn from the entries (with_progress()) and the learner's current weekly hours each
        time they are shown, never stored: a skip, a pick, an added resource or a new
        weekly-hours figure moves them at once. Sets `weeks`, `starts_on`, `finishes_on`
        and `state` on each stage and `finishes_on` on the roadmap.
        """
        tracked = track_entries(stages, entries, self.current_weekly_hours, self.starts_on)
        by_index = {state.index: state for state in tracked.stages}
        for stage in stages:
            state = by_index[stage.index]
            stage.state = state
            stage.weeks, stage.starts_on, stage.finishes_on = (
                state.weeks, state.starts_on, state.finishes_on
            )
        self.finishes_on = tracked.finishes_on
        return tracked


def _preferences(answers) -> dict:
    """The answers besides the ratings that shape a roadmap (hours only move its dates)."""
    return {"goal": answers.goal, "budget": answers.budget,
            "styles": sorted(answers.styles or [])}


def track_entries(stages, entries, weekly_hours=5, starts_on=None) -> builder.Tracked:
    """builder.track over stored entries (with_progress(), the resource loaded)."""
    index_of = {stage.pk: stage.index for stage in stages}
    items = [e.tracked_item(index_of[e.stage_id]) for e in entries if e.stage_id in index_of]
    # for_roadmap_page() loads each entry's roadmap with its stage: no query of its own.
    lowered = bool(entries) and entries[0].stage.roadmap.lowered_at is not None
    return builder.track(
        items, sorted(index_of.values()), weekly_hours, starts_on or timezone.localdate(),
        lowered=lowered,
    )


def open_entries(tracked: builder.Tracked, entries) -> list["RoadmapEntry"]:
    """The entry to work on in each required role not yet done, in roadmap order."""
    by_pk = {e.pk: e for e in entries}
    return [
        by_pk[role.counted.key]
        for stage in tracked.stages
        for step in stage.steps
        for role in step.roles
        if role.required and not role.done
    ]


@dataclass
class ShownRole:
    role: str
    name: str
    main: "RoadmapEntry"  # the alternative that finished it, else the learner's pick
    alternatives: list
    required: bool
    done: bool
    starts_on: date | None
    finishes_on: date | None
    # Where a check-off without JavaScript comes back to: this row of the roadmap.
    return_to: str = ""


@dataclass
class ShownStep:
    key: str
    anchor: str
    heading: str
    roles: list
    required: bool
    done: bool
    here: bool
    # The learner's goal's key concepts its resources teach: (title, url) pairs.
    key_concepts: tuple = ()


def key_concepts_taught(user, goal: str, resource_ids) -> dict[int, list[tuple[str, str]]]:
    """The goal's key concepts each resource teaches, in curated order: one query, or none
    for a goal that names no key concepts."""
    slugs, level = goals.key_concepts(goal), goals.key_level(goal)
    if not slugs and not level:
        return {}
    key = Q(concept__slug__in=slugs)
    if level:
        key |= Q(concept__level=level)
    taught = {}
    for location in ConceptLocation.objects.taught_to(user).filter(key, resource__in=resource_ids):
        concept = location.concept
        taught.setdefault(location.resource_id, []).append(
            (concept.title, concept.get_absolute_url())
        )
    return taught


def _step_key_concepts(roles, taught) -> tuple:
    """Each key concept once, from every resource of the step, chosen or alternative."""
    found = {}
    for role in roles:
        for entry in (role.main, *role.alternatives):
            for title, url in taught.get(entry.resource.pk, ()):
                found.setdefault(url, title)
    return tuple((title, url) for url, title in found.items())


STEP_HEADINGS = {
    f"{builder.GO_DEEPER}/reference": "References: consult by topic",
    f"{builder.GO_DEEPER}/research": "Research: read the abstract first",
}


def shown_path(stages, entries, tracked: builder.Tracked, key_concepts=None,
               opened: int | None = None) -> None:
    """Set `path` (steps with roles), `is_current` and `is_open` on each scheduled stage.

    `key_concepts` maps a resource's pk to the goal's key concepts it teaches. The current
    stage is open, and so is stage `opened` (the one the learner asked to see).
    """
    by_pk = {e.pk: e for e in entries}
    roadmap_url = reverse("assessment:roadmap")
    here = tracked.next_step
    current = here.stage if here else None
    for stage in stages:
        stage.path = []
        for step in stage.state.steps:
            roles = []
            for state in step.roles:
                finished = next((i for i in state.items if i.done), None)
                main = finished or state.counted or state.items[0]
                roles.append(
                    ShownRole(
                        role=state.role,
                        name=builder.ROLE_NAMES[state.role],
                        main=by_pk[main.key],
                        alternatives=[by_pk[i.key] for i in state.items if i.key != main.key],
                        required=state.required,
                        done=state.done,
                        starts_on=state.starts_on,
                        finishes_on=state.finishes_on,
                        return_to=f"{roadmap_url}?stage={stage.index}#entry-{main.key}",
                    )
                )
            first = roles[0].main
            stage.path.append(
                ShownStep(
                    key=step.step,
                    anchor=f"step-{stage.index}-{len(stage.path)}",
                    heading=_step_heading(step.step, first, step.required),
                    roles=roles,
                    required=step.required,
                    done=step.done,
                    here=step is here,
                    key_concepts=_step_key_concepts(roles, key_concepts or {}),
                )
            )
        stage.is_current = stage.index == current
        stage.is_open = (stage.is_current or (current is None and stage.index == 0)
                         or stage.index == opened)


def roadmap_place(stage_index: int, step: str) -> str:
    """Where an entry sits on the roadmap, in words: "Stage 2 · intermediate step"."""
    if step.startswith("added/"):
        what = "added by you"
    elif step in STEP_HEADINGS:
        what = STEP_HEADINGS[step].split(":")[0].lower()
    else:
        what = f"{step.rsplit('/', 1)[-1]} step"
    return f"Stage {stage_index + 1} · {what}"


def _step_heading(step: str, entry: "RoadmapEntry", required: bool) -> str:
    if entry.added_by_learner:
        return "Added by you"
    if step in STEP_HEADINGS:
        return STEP_HEADINGS[step]
    level = step.rsplit("/", 1)[-1].capitalize()
    if entry.is_optional:
        return f"{level} refreshers: optional, not a step"
    return f"{level} step" if required else f"{level} step: nothing left to do"


@dataclass
class PreviewEntry:
    """A planned entry shaped like a stored one, for the visitor's preview."""

    pk: str
    resource: Resource
    reason: str
    is_optional: bool
    added_by_learner = False
    is_done = False
    skipped = False
    progress = None

    @property
    def shown_reason(self) -> str:
        return self.reason


@dataclass
class PreviewStage:
    index: int
    area: str
    title: str
    summary: str
    advice: str
    already_planned: list
    starts_on: date | None = None
    finishes_on: date | None = None
    weeks: int = 0
    state: object = None


def preview_path(plan: builder.Plan, resources: dict, weekly_hours: int):
    """A plan just built (not stored) as the roadmap page's stages, for the preview."""
    stages, entries, items = [], [], []
    for s in plan.stages:
        stages.append(
            PreviewStage(
                s.index, s.area, s.title, s.summary, s.advice,
                [{"resource": a.slug, "title": a.title, "stage": a.stage + 1}
                 for a in s.already_planned],
            )
        )
        for e in s.entries:
            entries.append(PreviewEntry(e.slug, resources[e.slug], e.reason, e.optional))
            items.append(builder.Item(key=e.slug, stage=s.index, step=e.step, role=e.role,
                                      optional=e.optional, chosen=e.chosen, hours=e.hours))
    tracked = builder.track(items, [s.index for s in stages], weekly_hours, plan.starts_on)
    for stage, state in zip(stages, tracked.stages, strict=True):
        stage.state, stage.weeks = state, state.weeks
        stage.starts_on, stage.finishes_on = state.starts_on, state.finishes_on
    shown_path(stages, entries, tracked)
    return stages, tracked


def added_step(resource: Resource) -> dict:
    """A resource the learner added is a step of its own, in the role it plays."""
    consulted = resource.is_reference or resource.format == builder.RESEARCH_SOURCE
    role = builder.resource_role(resource.role, resource.format, consulted)
    return {"step": f"added/{resource.slug}", "role": role, "is_chosen": True}


class RoadmapStage(models.Model):
    """One area of study (or the final "Go deeper" stage) with its projected dates."""

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="stages")
    index = models.PositiveSmallIntegerField()
    # A catalogue domain slug, or "go-deeper" for the last stage.
    area = models.SlugField(max_length=50)
    title = models.CharField(max_length=100)
    summary = models.TextField(blank=True, help_text="Why this stage is here, and in this place.")
    advice = models.TextField(blank=True, help_text="How to work through this stage.")
    # Multi-area resources that are a step in an earlier stage:
    # [{"resource": slug, "title": ..., "stage": number}], shown "already on your plan".
    already_planned = models.JSONField(default=list, blank=True)

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
            self.select_related("stage__roadmap", "resource")
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
    # The step (area/level) and role the entry plays in it, and whether it is the learner's
    # pick among the role's alternatives: the one whose hours count.
    step = models.CharField(max_length=120, blank=True)
    role = models.CharField(max_length=12, default=builder.PRACTISE)
    is_chosen = models.BooleanField("chosen alternative", default=False)

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

    def tracked_item(self, stage_index: int) -> builder.Item:
        """The entry as progress and time count it; needs the resource and progress."""
        return builder.Item(
            key=self.pk,
            stage=stage_index,
            step=self.step,
            role=self.role,
            optional=self.is_optional,
            chosen=self.is_chosen,
            done=self.is_done,
            skipped=self.skipped,
            hours=builder.entry_hours(
                self.resource.expected_hours, self.role == builder.REFERENCE
            ),
        )

    def choose(self) -> None:
        """Make this the learner's pick among its role's alternatives (its hours count)."""
        with transaction.atomic():
            alternatives = self.user.roadmap_entries.filter(
                stage_id=self.stage_id, step=self.step, role=self.role
            )
            alternatives.exclude(pk=self.pk).update(is_chosen=False)
            alternatives.filter(pk=self.pk).update(is_chosen=True)
        self.is_chosen = True

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
            discrete_math=answers.get("discrete_math"),
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


# Models kept in modules of their own, registered with the app here.
from assessment.pace import ProjectionChange  # noqa: E402, F401
from assessment.reminders import EmailSent  # noqa: E402, F401
