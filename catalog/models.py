"""The curated catalogue: domains of mathematics and the resources that teach them."""

import re

from django.apps import apps
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Prefetch, Subquery, Value, When
from django.urls import reverse

from catalog.maths import MathsError, render_maths


class Domain(models.Model):
    """An area a resource teaches. Slugs are relied on across the project; keep them."""

    LINEAR_ALGEBRA = "linear-algebra"
    CALCULUS = "calculus"
    PROBABILITY_STATISTICS = "probability-statistics"
    DISCRETE_MATH = "discrete-math"
    PROGRAMMING_MATH = "programming-math"

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0, help_text="Display order, smallest first.")
    # What `loadcatalog` last wrote, field by field: a field whose value no longer matches
    # was edited by a curator and is left alone by the next load.
    loaded_values = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Level(models.TextChoices):
    BEGINNER = "beginner", "Beginner"
    INTERMEDIATE = "intermediate", "Intermediate"
    ADVANCED = "advanced", "Advanced"


LEVEL_RANK = {Level.BEGINNER: 1, Level.INTERMEDIATE: 2, Level.ADVANCED: 3}


class Format(models.TextChoices):
    VIDEO_SERIES = "video-series", "Video series"
    INTERACTIVE_COURSE = "interactive-course", "Interactive course"
    COURSE = "course", "Course"
    BOOK = "book", "Book"
    PRACTICE_PLATFORM = "practice-platform", "Practice platform"
    RESEARCH_SOURCE = "research-source", "Research source"
    TOOL = "tool", "Tool"


class Cost(models.TextChoices):
    FREE = "free", "Free"
    FREE_PDF = "free-pdf", "Free PDF"
    # price_label starts with these same words, so a filter and a card say the same thing.
    PAID_MONTHLY = "paid-monthly", "Paid monthly"
    PAID_ONCE = "paid-once", "Paid once"


FREE_COSTS = (Cost.FREE, Cost.FREE_PDF)

APPROACH_BY_FORMAT = {
    Format.VIDEO_SERIES: "Watch in order, a few videos at a time, pausing to work each idea out.",
    Format.INTERACTIVE_COURSE: "Work through the lessons, solving each problem before moving on.",
    Format.COURSE: "A course: work through it in order and do its exercises.",
    Format.BOOK: "Read a chapter at a time and work its exercises.",
    Format.PRACTICE_PLATFORM: "Practise in short, regular sessions, coding each exercise yourself.",
    Format.RESEARCH_SOURCE: "Skim abstracts first; read in full what touches your project.",
    Format.TOOL: "A tool to use alongside what you study, not a course to finish.",
}


class Style(models.TextChoices):
    """Learning styles. The values double as the assessment form's `styles` choices."""

    VISUAL = "visual", "Visual"
    STRUCTURED = "structured", "Structured practice"
    ACTIVE = "active", "Active problem solving"
    HANDS_ON = "hands-on", "Hands-on code"
    READING = "reading", "Reading"


class Approach(models.TextChoices):
    """Where the guide draws the applied/theory line (statistics)."""

    UNSPECIFIED = "", "—"
    APPLIED = "applied", "Applied"
    THEORY = "theory", "Theory"


class Role(models.TextChoices):
    """The part a resource plays inside a step of the roadmap, in the guide's order."""

    UNDERSTAND = "understand", "Understand"
    PRACTISE = "practise", "Practise"
    APPLY = "apply", "Apply"
    REFERENCE = "reference", "Reference"


SEARCH_CONFIG = "english"
_WORD = re.compile(r"\w+")


def prefix_search_query(text):
    """A full-text query matching every word of `text` as a prefix ("eigen" → eigenvalues).

    Only word characters reach PostgreSQL's tsquery syntax, so no input can make it fail.
    Returns None when `text` holds no words.
    """
    words = _WORD.findall(text.lower())[:8]
    if not words:
        return None
    return SearchQuery(
        " & ".join(f"{word}:*" for word in words), search_type="raw", config=SEARCH_CONFIG
    )


# What the list and the detail page's related lists show; the rest stays in the database.
LIST_FIELDS = [
    "title",
    "slug",
    "provider",
    "level",
    "format",
    "cost",
    "price_usd",
    "estimated_hours",
    "is_reference",
    "published",
    "summary",
]
RELATED_FIELDS = ["title", "slug", "provider", "level", "published"]


class CuratedQuerySet(models.QuerySet):
    """Curated records (resources, concepts) with a `published` flag."""

    def published(self):
        return self.filter(published=True)

    def visible_to(self, user):
        """Staff see unpublished drafts; everybody else sees only published records."""
        if user.is_authenticated and user.is_staff:
            return self
        return self.published()


# The catalogue's sort options (CatalogFilterForm.sort); ties by title.
CATALOGUE_SORTS = {
    "title": ("title",),
    "hours": (F("estimated_hours").asc(nulls_last=True), "title"),
    "newest": ("-created_at", "title"),
}


class ResourceQuerySet(CuratedQuerySet):
    def search(self, text):
        """Resources matching every word of `text` (as prefixes), best match first."""
        query = prefix_search_query(text)
        if query is None:
            return self
        return (
            self.filter(search=query)
            .annotate(rank=SearchRank(F("search"), query))
            .order_by("-rank", "title")
        )

    def by_level(self):
        """Beginner first, then intermediate, then advanced; by title within a level."""
        return self.order_by("level_order", "title")

    def filtered(self, *, q="", domain="", level="", format="", style="", cost="", sort=""):
        """The catalogue's filters; empty ones are ignored. Search results come ranked,
        unless the learner chose a sort."""
        resources = self
        if domain:
            resources = resources.filter(domains__slug=domain)
        if level:
            resources = resources.filter(level=level)
        if format:
            resources = resources.filter(format=format)
        if style:
            resources = resources.filter(styles__contains=[style])
        if cost == "free":
            resources = resources.filter(cost__in=FREE_COSTS)
        if q and prefix_search_query(q) is not None:
            resources = resources.search(q)
            if not sort:
                return resources
        return resources.order_by(*CATALOGUE_SORTS.get(sort, ("level_order", "title")))

    def for_list(self, user):
        """The catalogue page: what `user` may see, with domains in one extra query.

        Each resource's domains are a plain list, `domain_list`: a related manager per row
        costs more than the row's other fields together.
        """
        return (
            self.visible_to(user)
            .only(*LIST_FIELDS)
            .prefetch_related(
                Prefetch(
                    "domains", queryset=Domain.objects.only("slug", "name"), to_attr="domain_list"
                )
            )
        )

    def with_learner_state(self, user):
        """Each resource with the learner's status (`my_status`, None if never set) and
        whether it is on their roadmap (`on_my_roadmap`): two subqueries in the same query,
        so a page of cards costs no more queries than an anonymous one. Visitors get none."""
        if not user.is_authenticated:
            return self
        # The apps that hold progress and roadmaps import this one, so they are looked up.
        progress = apps.get_model("progress", "Progress").objects.filter(
            user=user, resource=OuterRef("pk")
        )
        entries = apps.get_model("assessment", "RoadmapEntry").objects.filter(
            user=user, resource=OuterRef("pk")
        )
        roadmap = apps.get_model("assessment", "Roadmap").objects.filter(user=user)
        return self.annotate(
            my_status=Subquery(progress.values("status")[:1]),
            on_my_roadmap=Exists(entries),
            has_my_roadmap=Exists(roadmap),  # uncorrelated: PostgreSQL runs it once
        )

    def for_detail(self, user):
        """The detail page: domains, prerequisites, what builds on it and the concepts it
        teaches, one query each."""
        related = Resource.objects.visible_to(user).only(*RELATED_FIELDS).order_by("title")
        return (
            self.visible_to(user)
            .defer("search", "loaded_values")
            .prefetch_related(
                "domains",
                Prefetch("prerequisites", queryset=related),
                Prefetch("builds_on_this", queryset=related),
                Prefetch(
                    "concept_locations",
                    queryset=ConceptLocation.objects.taught_to(user),
                    to_attr="concepts_taught",
                ),
            )
        )


class Resource(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    provider = models.CharField(
        "provider or authors", max_length=200, help_text="Who makes it, e.g. Khan Academy."
    )
    url = models.URLField("canonical URL", max_length=500)
    format = models.CharField(max_length=30, choices=Format.choices)
    level = models.CharField(max_length=20, choices=Level.choices)
    domains = models.ManyToManyField(Domain, related_name="resources")
    cost = models.CharField(max_length=20, choices=Cost.choices, default=Cost.FREE)
    price_usd = models.DecimalField(
        "approximate price (USD)",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Required for paid resources: per month or one-off, as the cost says.",
    )
    styles = models.JSONField(
        "learning styles", default=list, blank=True, help_text="Any of the learning styles."
    )
    estimated_hours = models.PositiveIntegerField(null=True, blank=True)
    # Learners' actual hours, written by curation's ratings (the median once enough gave
    # one; see curation/ratings.py). The roadmap plans on it in place of estimated_hours.
    learner_hours = models.PositiveIntegerField(null=True, blank=True, editable=False)
    learner_hours_count = models.PositiveIntegerField(default=0, editable=False)
    summary = models.TextField(help_text="One paragraph: what it is and who it suits.")
    how_to_use = models.TextField("how to use it", blank=True)
    is_reference = models.BooleanField(
        "reference to consult",
        default=False,
        help_text="Consulted by topic rather than finished cover to cover.",
    )
    approach = models.CharField(
        max_length=10, choices=Approach.choices, default=Approach.UNSPECIFIED, blank=True
    )
    beyond_guide = models.BooleanField(
        "beyond the guide",
        default=False,
        help_text="Not named by the guide: the curators added it where a level or an area had "
        "too little. The roadmap offers the guide's own resources first.",
    )
    optimisation_focused = models.BooleanField(
        default=False, help_text="Calculus aimed at derivatives, gradients and optimisation."
    )
    role = models.CharField(
        "role in a step",
        max_length=12,
        choices=Role.choices,
        blank=True,
        help_text="Understand (see the idea), practise (structured course), apply (code it) "
        "or reference (consulted, never required). Blank: taken from the format.",
    )
    prerequisites = models.ManyToManyField(
        "self", symmetrical=False, related_name="builds_on_this", blank=True
    )
    published = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_verified = models.DateField(null=True, blank=True)
    # Weighted so that a title match outranks a provider match, which outranks the summary.
    search = models.GeneratedField(
        expression=(
            SearchVector("title", weight="A", config=SEARCH_CONFIG)
            + SearchVector("provider", weight="B", config=SEARCH_CONFIG)
            + SearchVector("summary", weight="C", config=SEARCH_CONFIG)
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    # The catalogue's default order (beginner first) as an indexed column, so that the first
    # page of a large catalogue is read from the index instead of sorting every row.
    level_order = models.GeneratedField(
        expression=Case(
            *(When(level=level, then=Value(rank)) for level, rank in LEVEL_RANK.items()),
            default=Value(9),
        ),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )
    # See Domain.loaded_values.
    loaded_values = models.JSONField(default=dict, blank=True, editable=False)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        indexes = [
            GinIndex(fields=["search"], name="catalog_resource_search_gin"),
            models.Index(fields=["level_order", "title"], name="catalog_resource_order_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("catalog:detail", args=[self.slug])

    @property
    def my_status_label(self):
        """The learner's status in words, from `with_learner_state` ("Not started" if unset)."""
        from progress.models import Status  # progress imports this module

        return Status(getattr(self, "my_status", None) or Status.NOT_STARTED).label

    @property
    def can_add_to_my_roadmap(self):
        """From `with_learner_state`: the learner has a roadmap and this is not on it (or was
        skipped, which adding puts back)."""
        if not getattr(self, "has_my_roadmap", False):
            return False
        return not self.on_my_roadmap or self.my_status == "skipped"

    @property
    def expected_hours(self):
        """The hours a roadmap plans for: the learners' median once there is one."""
        return self.learner_hours or self.estimated_hours

    @property
    def is_free(self):
        return self.cost in FREE_COSTS

    @property
    def level_rank(self):
        return LEVEL_RANK[self.level]

    @property
    def style_labels(self):
        return [Style(value).label for value in self.styles if value in Style.values]

    @property
    def price_label(self):
        """The cost as a learner reads it: "Free PDF", "Paid monthly, about 13 USD"."""
        if self.cost not in (Cost.PAID_MONTHLY, Cost.PAID_ONCE) or self.price_usd is None:
            return self.get_cost_display()
        amount = f"{self.price_usd:.2f}".removesuffix(".00")
        return f"{self.get_cost_display()}, about {amount} USD"

    @property
    def how_to_approach(self):
        """How to use it, from what it is: a reference is consulted, a video series watched."""
        if self.is_reference:
            return "A reference: look things up by topic, don't read it cover to cover."
        return APPROACH_BY_FORMAT[self.format]

    def clean(self):
        errors = {}
        if self.cost in (Cost.PAID_MONTHLY, Cost.PAID_ONCE) and self.price_usd is None:
            errors["price_usd"] = "A paid resource needs an approximate price."
        if self.cost in FREE_COSTS and self.price_usd:
            errors["price_usd"] = "A free resource has no price."
        if not isinstance(self.styles, list):
            errors["styles"] = "Learning styles must be a list."
        elif unknown := {str(value) for value in self.styles} - set(Style.values):
            errors["styles"] = f"Unknown learning style(s): {', '.join(sorted(unknown))}."
        if self.url and not self.url.lower().startswith(("http://", "https://")):
            errors["url"] = "Only http(s) links are allowed."
        if errors:
            raise ValidationError(errors)

    def prerequisite_errors(self, prerequisites):
        """Why `prerequisites` can't be this resource's prerequisites, or [] if they can.

        A resource can't assume itself, nor a resource that (directly or through others)
        already assumes it: that would make a cycle no learner could start.
        """
        if self.pk is None:
            return []  # Nothing can assume a resource that doesn't exist yet.
        chosen = {resource.pk: resource for resource in prerequisites}
        if self.pk in chosen:
            return ["A resource can't be its own prerequisite."]
        # Walk upwards from this resource through everything that builds on it.
        through = Resource.prerequisites.through
        dependants, frontier = set(), {self.pk}
        while frontier:
            frontier = (
                set(
                    through.objects.filter(to_resource_id__in=frontier).values_list(
                        "from_resource_id", flat=True
                    )
                )
                - dependants
            )
            dependants |= frontier
        cyclic = sorted(str(chosen[pk]) for pk in dependants & chosen.keys())
        if cyclic:
            return [
                f"That would make a cycle: {', '.join(cyclic)} already builds on this "
                "resource, so it can't also be one of its prerequisites."
            ]
        return []


# --- Concepts and their recall cards -------------------------------------------------------


def prerequisite_cycle_errors(instance, prerequisites):
    """Why `prerequisites` can't be `instance`'s prerequisites (a cycle), or [] if they can.

    Works for any model with a `prerequisites` many-to-many to itself.
    """
    if instance.pk is None:
        return []  # Nothing can assume a record that doesn't exist yet.
    kind = instance._meta.model_name
    chosen = {other.pk: other for other in prerequisites}
    if instance.pk in chosen:
        return [f"A {kind} can't be its own prerequisite."]
    # Walk upwards through everything that builds on it.
    through = type(instance).prerequisites.through
    dependants, frontier = set(), {instance.pk}
    while frontier:
        found = through.objects.filter(**{f"to_{kind}_id__in": frontier})
        frontier = set(found.values_list(f"from_{kind}_id", flat=True)) - dependants
        dependants |= frontier
    cyclic = sorted(str(chosen[pk]) for pk in dependants & chosen.keys())
    if cyclic:
        return [
            f"That would make a cycle: {', '.join(cyclic)} already builds on this "
            f"{kind}, so it can't also be one of its prerequisites."
        ]
    return []


CONCEPT_LINK_FIELDS = ["slug", "title", "level", "domain_id", "position", "published"]


class ConceptQuerySet(CuratedQuerySet):
    def _linked(self, user):
        return Concept.objects.visible_to(user).only(*CONCEPT_LINK_FIELDS)

    def for_index(self, user):
        """The concepts page: by area, each with its visible prerequisites, in two queries."""
        return (
            self.visible_to(user)
            .select_related("domain")
            .defer("loaded_values", "domain__loaded_values", "domain__description")
            .prefetch_related(
                Prefetch("prerequisites", queryset=self._linked(user), to_attr="prerequisite_list")
            )
        )

    def for_detail(self, user):
        """A concept's page: area and exercise joined; prerequisites, unlocks, visible
        resources that teach it and its cards one query each."""
        locations = (
            ConceptLocation.objects.filter(resource__in=Resource.objects.visible_to(user))
            .select_related("resource")
            .only("concept_id", "where", *(f"resource__{name}" for name in RELATED_FIELDS))
            .order_by("resource__level_order", "resource__title")
        )
        return (
            self.visible_to(user)
            .select_related("domain", "exercise")
            .defer("loaded_values", "exercise__solution", "exercise__loaded_values")
            .prefetch_related(
                Prefetch("prerequisites", queryset=self._linked(user)),
                Prefetch("unlocks", queryset=self._linked(user)),
                Prefetch("locations", queryset=locations),
                Prefetch("cards", queryset=RecallCard.objects.defer("loaded_values")),
            )
        )


class Concept(models.Model):
    """One idea worth remembering (eigenvalues, Bayes' theorem), curated like a resource."""

    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    domain = models.ForeignKey(
        Domain, on_delete=models.PROTECT, related_name="concepts", verbose_name="area"
    )
    level = models.CharField(max_length=20, choices=Level.choices)
    why = models.TextField(
        "why it matters for AI", help_text="Two plain sentences: why this matters for AI."
    )
    prerequisites = models.ManyToManyField(
        "self", symmetrical=False, related_name="unlocks", blank=True
    )
    published = models.BooleanField(default=True)
    position = models.PositiveIntegerField(
        default=0, help_text="Order within its area, smallest first."
    )
    # See Domain.loaded_values.
    loaded_values = models.JSONField(default=dict, blank=True, editable=False)

    objects = ConceptQuerySet.as_manager()

    class Meta:
        ordering = ["domain__order", "position", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("concepts:detail", args=[self.slug])

    @property
    def level_rank(self):
        return LEVEL_RANK[self.level]

    def prerequisite_errors(self, prerequisites):
        """Why `prerequisites` can't be this concept's prerequisites, or [] if they can."""
        return prerequisite_cycle_errors(self, prerequisites)


class ConceptLocationQuerySet(models.QuerySet):
    def taught_to(self, user):
        """Locations of the concepts `user` may see, with the concept, in curated order."""
        return (
            self.filter(concept__in=Concept.objects.visible_to(user))
            .select_related("concept")
            .only("resource_id", "where", *(f"concept__{n}" for n in CONCEPT_LINK_FIELDS))
            .order_by("concept__domain__order", "concept__position", "concept__title")
        )


class ConceptLocation(models.Model):
    """Where in a catalogue resource a concept is taught: a chapter, a video, a lesson."""

    concept = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="locations")
    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="concept_locations"
    )
    where = models.CharField(
        max_length=300, help_text='E.g. "Chapter 3: Linear transformations and matrices".'
    )
    loaded_values = models.JSONField(default=dict, blank=True, editable=False)

    objects = ConceptLocationQuerySet.as_manager()

    class Meta:
        ordering = ["concept", "resource__title"]
        constraints = [
            models.UniqueConstraint(
                fields=["concept", "resource"], name="catalog_conceptlocation_once"
            )
        ]

    def __str__(self):
        return f"{self.concept} in {self.resource}: {self.where}"


class CardKind(models.TextChoices):
    FORMULA = "formula", "Formula"
    MEANING = "meaning", "Meaning"
    WORKED = "worked", "Worked question"


class RecallCard(models.Model):
    """A prompt and its answer about one concept; maths is LaTeX between $…$ or $$…$$."""

    concept = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="cards")
    key = models.SlugField(
        "prompt id", max_length=100, help_text="Stable id within the concept; never reuse one."
    )
    kind = models.CharField(max_length=10, choices=CardKind.choices)
    prompt = models.TextField(help_text="Maths as LaTeX between $…$ (inline) or $$…$$.")
    answer = models.TextField(help_text="Maths as LaTeX between $…$ (inline) or $$…$$.")
    position = models.PositiveIntegerField(default=0)
    loaded_values = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["concept", "position", "key"]
        constraints = [
            models.UniqueConstraint(fields=["concept", "key"], name="catalog_recallcard_key_once")
        ]

    def __str__(self):
        return f"{self.concept}: {self.key}"

    def clean(self):
        errors = {}
        for name in ("prompt", "answer"):
            try:
                render_maths(getattr(self, name))
            except MathsError as error:
                errors[name] = str(error)
        if errors:
            raise ValidationError(errors)


class ExerciseQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(concept__in=Concept.objects.visible_to(user))

    def for_concepts(self, concept_slugs, level):
        """Exercises of published concepts among `concept_slugs`, the nearest to `level`
        first (at the level, then below it, then above), then in curated order."""
        rank = LEVEL_RANK[level]
        distance = Case(
            *(
                When(concept__level=other, then=Value(abs(r - rank) * 2 + (r > rank)))
                for other, r in LEVEL_RANK.items()
            ),
            default=Value(9),
        )
        return (
            self.filter(concept__slug__in=list(concept_slugs), concept__published=True)
            .select_related("concept")
            .alias(distance=distance)
            .order_by("distance", "concept__domain__order", "concept__position", "pk")
        )


class Exercise(models.Model):
    """'Code it within 24 hours': a notebook exercise for one concept, at the concept's level.

    The solution is kept here so tests can prove the checks pass with it; it is never served.
    """

    concept = models.OneToOneField(Concept, on_delete=models.CASCADE, related_name="exercise")
    title = models.CharField(max_length=200)
    task = models.TextField(help_text="The task in Markdown; maths as LaTeX between $…$.")
    starter = models.TextField("starter code", help_text="Python the learner completes.")
    solution = models.TextField(help_text="A working version of the starter code. Not served.")
    checks = models.TextField(help_text="Python asserts that pass only for a working version.")
    break_it = models.TextField(
        "break it", help_text="Markdown: a parameter to change and a result to predict."
    )
    loaded_values = models.JSONField(default=dict, blank=True, editable=False)

    objects = ExerciseQuerySet.as_manager()

    class Meta:
        ordering = ["concept"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("concepts:notebook", args=[self.concept.slug])
