"""The curated catalogue: domains of mathematics and the resources that teach them."""

from django.core.exceptions import ValidationError
from django.db import models
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


class ResourceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def visible_to(self, user):
        """Staff see unpublished drafts; everybody else sees only published resources."""
        if user.is_authenticated and user.is_staff:
            return self
        return self.published()


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
    prerequisites = models.ManyToManyField(
        "self", symmetrical=False, related_name="builds_on_this", blank=True
    )
    published = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_verified = models.DateField(null=True, blank=True)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

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

    def clean(self):
        errors = {}
        if self.cost in (Cost.PAID_MONTHLY, Cost.PAID_ONCE) and self.price_usd is None:
            errors["price_usd"] = "A paid resource needs an approximate price."
        if self.cost in FREE_COSTS and self.price_usd:
            errors["price_usd"] = "A free resource has no price."
        unknown = set(self.styles or []) - set(Style.values)
        if unknown:
            errors["styles"] = f"Unknown learning style(s): {', '.join(sorted(unknown))}."
        if self.url and not self.url.lower().startswith(("http://", "https://")):
            errors["url"] = "Only http(s) links are allowed."
        if errors:
            raise ValidationError(errors)
