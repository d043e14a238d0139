"""The curated catalogue: domains of mathematics and the resources that teach them."""

import re

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Prefetch, Value, When
from django.urls import reverse


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
    PAID_MONTHLY = "paid-monthly", "Paid (monthly)"
    PAID_ONCE = "paid-once", "Paid (one-off)"


FREE_COSTS = (Cost.FREE, Cost.FREE_PDF)


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


class ResourceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def visible_to(self, user):
        """Staff see unpublished drafts; everybody else sees only published resources."""
        if user.is_authenticated and user.is_staff:
            return self
        return self.published()

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

    def filtered(self, *, q="", domain="", level="", format="", style="", cost=""):
        """The catalogue's filters; empty ones are ignored. Search results come ranked."""
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
            return resources.search(q)
        return resources.by_level()

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

    def for_detail(self, user):
        """The detail page: domains, prerequisites and what builds on it, one query each."""
        related = Resource.objects.visible_to(user).only(*RELATED_FIELDS).order_by("title")
        return (
            self.visible_to(user)
            .defer("search", "loaded_values")
            .prefetch_related(
                "domains",
                Prefetch("prerequisites", queryset=related),
                Prefetch("builds_on_this", queryset=related),
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
        """The cost as a learner reads it: "Free PDF", "about 13 USD a month"."""
        if self.cost not in (Cost.PAID_MONTHLY, Cost.PAID_ONCE) or self.price_usd is None:
            return self.get_cost_display()
        amount = f"{self.price_usd:.2f}".removesuffix(".00")
        per = " a month" if self.cost == Cost.PAID_MONTHLY else ", one-off"
        return f"About {amount} USD{per}"

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
