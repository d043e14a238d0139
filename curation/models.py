"""Curation keeps the catalogue true: link checks, learners' reports, suggestions, ratings."""

import json
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import IntegrityError, models, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from catalog.models import Cost, Domain, Format, Level, Resource
from curation import linkcheck, ratings
from curation.linkcheck import Verdict
from mathpath.sql import one_row


class LinkCheckQuerySet(models.QuerySet):
    def latest_first(self):
        """The checks of the outer query's resource (for a Subquery), newest first."""
        return self.filter(resource=OuterRef("pk")).order_by("-checked_at", "-pk")

    def run(self, resources, client=None) -> list["LinkCheck"]:
        """Check every resource's URL, a pause between requests, and store each result.

        The checker never sets `last_verified`: that date means a curator looked.
        """
        own_client = client is None
        client = client or linkcheck.make_client()
        checks = []
        try:
            for n, resource in enumerate(resources):
                if n and settings.LINK_CHECK_DELAY:
                    time.sleep(settings.LINK_CHECK_DELAY)  # a few requests a second at most
                result = linkcheck.check_url(resource.url, client)
                checks.append(self.create(resource=resource, url=resource.url, **vars(result)))
        finally:
            if own_client:
                client.close()
        return checks


class LinkCheck(models.Model):
    """One visit of a resource's URL by the checker; the newest is the resource's link health."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="link_checks")
    checked_at = models.DateTimeField(default=timezone.now, db_index=True)
    url = models.URLField("URL checked", max_length=500)
    method = models.CharField(max_length=4, default="HEAD")
    status_code = models.PositiveSmallIntegerField("HTTP status", null=True, blank=True)
    final_url = models.URLField("final URL after redirects", max_length=2000, blank=True)
    redirects = models.JSONField(default=list, blank=True)
    verdict = models.CharField(max_length=20, choices=Verdict.CHOICES)
    error = models.CharField(max_length=500, blank=True)

    objects = LinkCheckQuerySet.as_manager()

    class Meta:
        ordering = ["-checked_at", "-pk"]
        indexes = [models.Index(fields=["resource", "-checked_at"], name="curation_check_latest")]

    def __str__(self):
        return f"{self.resource} · {self.get_verdict_display()} · {self.checked_at:%Y-%m-%d}"

    @property
    def moved_to(self) -> str:
        """The new URL a curator may accept, or "" when the link did not move for good."""
        if self.verdict == Verdict.MOVED and self.final_url and self.final_url != self.url:
            return self.final_url
        return ""


def with_link_health(resources):
    """`resources` annotated with their newest check's verdict, status, final URL and time."""
    latest = LinkCheck.objects.latest_first()
    return resources.annotate(
        link_verdict=Subquery(latest.values("verdict")[:1]),
        link_status=Subquery(latest.values("status_code")[:1]),
        link_final_url=Subquery(latest.values("final_url")[:1]),
        link_checked_at=Subquery(latest.values("checked_at")[:1]),
    )


def accept_new_urls(resources, today) -> int:
    """Point each resource that moved permanently at its new URL; a curator's action.

    Accepting is a curator looking at the link, so it also sets `last_verified`.
    """
    accepted = 0
    for resource in with_link_health(resources):
        if resource.link_verdict != Verdict.MOVED or not resource.link_final_url:
            continue
        if resource.link_final_url == resource.url:
            continue
        resource.url = resource.link_final_url
        resource.last_verified = today
        resource.save(update_fields=["url", "last_verified", "updated_at"])
        accepted += 1
    return accepted


class FlagReason(models.TextChoices):
    BROKEN_LINK = "broken-link", "Broken link"
    NOW_PAID = "now-paid", "Now paid"
    OUTDATED = "outdated", "Outdated"
    WRONG_LEVEL = "wrong-level", "Wrong level"
    OTHER = "other", "Other"


class FlagStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"
    DISMISSED = "dismissed", "Dismissed"


class FlagRefused(Exception):
    """Why a report was not taken: the message is for the learner, the status for the page."""

    def __init__(self, message, status):
        super().__init__(message)
        self.status = status


class FlagQuerySet(models.QuerySet):
    def report(self, user, resource: Resource, reason: str, text: str) -> "Flag":
        """File a learner's report, or raise FlagRefused (one open report each, a daily limit)."""
        since = timezone.now() - timezone.timedelta(days=1)
        if self.filter(user=user, created_at__gte=since).count() >= settings.FLAGS_PER_DAY:
            raise FlagRefused(
                f"You have sent {settings.FLAGS_PER_DAY} reports in the last 24 hours, the most "
                "we take in a day. Please try again tomorrow; what you wrote is kept below.",
                status=429,
            )
        try:
            with transaction.atomic():
                return self.create(user=user, resource=resource, reason=reason, text=text)
        except IntegrityError:
            # The one-open-report constraint, also under two quick submissions at once.
            raise FlagRefused(
                "You already have an open report on this resource; curators will answer it "
                "before you can send another.",
                status=400,
            ) from None


class Flag(models.Model):
    """A learner's report of a problem with a resource, and the curators' answer."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags"
    )
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="flags")
    reason = models.CharField("what is wrong", max_length=20, choices=FlagReason.choices)
    text = models.CharField("details", max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    curator_note = models.CharField(
        "note to the learner", max_length=500, blank=True,
        help_text="Shown to the learner on the resource page once the report is closed.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = FlagQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "resource"],
                condition=models.Q(status="open"),
                name="curation_one_open_flag_per_learner",
            )
        ]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.resource}"

    def close(self, status: str, note: str) -> None:
        """A curator's answer: resolved or dismissed, with a note the learner reads."""
        self.status = status
        self.curator_note = note
        self.closed_at = timezone.now() if status != FlagStatus.OPEN else None
        self.save(update_fields=["status", "curator_note", "closed_at"])


@dataclass
class ResourceCuration:
    """The curation facts one resource page shows (see `resource_curation`)."""

    link_verdict: str | None = None
    link_checked_at: object = None
    own_flag: "Flag | None" = None
    is_done: bool = False
    own_usefulness: int | None = None
    ratings: object = None  # a ratings.RatingsSummary once enough learners rated

    @property
    def link_label(self):
        return dict(Verdict.CHOICES).get(self.link_verdict, "")


# Every view of a resource page, signed in or not, draws these facts. Built as a Resource
# query with a Subquery per field, the lookup took 5.4-6.3 ms in-process, nearly all of it
# Django building the subqueries; this statement takes under 1 ms (benchmark data,
# 2026-12-02). A visitor's user id is NULL, which matches no row.
_CURATION_SQL = """
SELECT lc.verdict AS link_verdict, lc.checked_at AS link_checked_at,
       (SELECT jsonb_agg(jsonb_build_object(
                   'usefulness', r.usefulness, 'difficulty', r.difficulty,
                   'actual_hours', r.actual_hours, 'self_rating', r.self_rating))
        FROM curation_rating r WHERE r.resource_id = %(resource)s) AS rating_rows,
       f.reason, f.status, f.curator_note, f.created_at,
       own.usefulness AS own_usefulness,
       EXISTS (SELECT 1 FROM assessment_progress p WHERE p.user_id = %(user)s
               AND p.resource_id = %(resource)s AND p.status = %(done)s) AS is_done
FROM (VALUES (1)) AS one
LEFT JOIN LATERAL (
    SELECT verdict, checked_at FROM curation_linkcheck WHERE resource_id = %(resource)s
    ORDER BY checked_at DESC, id DESC LIMIT 1
) lc ON true
LEFT JOIN LATERAL (
    SELECT reason, status, curator_note, created_at FROM curation_flag
    WHERE user_id = %(user)s AND resource_id = %(resource)s ORDER BY created_at DESC, id DESC
    LIMIT 1
) f ON true
LEFT JOIN curation_rating own ON own.user_id = %(user)s AND own.resource_id = %(resource)s
"""


def resource_curation(resource: Resource, user) -> ResourceCuration:
    """The link health, the ratings and the viewer's newest report on `resource`, in one query."""
    from progress.models import Status

    row = one_row(_CURATION_SQL, {"resource": resource.pk, "user": user.pk, "done": Status.DONE})
    flag = None
    if row["status"]:
        flag = Flag(user=user, resource=resource, **{f: row[f] for f in FLAG_FIELDS})
    return ResourceCuration(
        link_verdict=row["link_verdict"],
        link_checked_at=row["link_checked_at"],
        own_flag=flag,
        is_done=row["is_done"],
        own_usefulness=row["own_usefulness"],
        ratings=ratings.summarise(json.loads(row["rating_rows"] or "[]")),
    )


FLAG_FIELDS = ("reason", "status", "curator_note", "created_at")


def open_flag_count(resource_ref):
    """How many reports on the resource `resource_ref` names are open (an annotation)."""
    open_flags = (
        Flag.objects.filter(resource=resource_ref, status=FlagStatus.OPEN)
        .order_by()
        .values("resource")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(open_flags), 0)


def with_open_flags(resources):
    """`resources` annotated with how many learners' reports on each are still open."""
    return resources.annotate(open_flags=open_flag_count(OuterRef("pk")))


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a curator"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Not added"


def same_url_variants(url: str) -> list[str]:
    """The spellings of `url` that name the same page: http(s), www., a trailing slash."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    rest = f"?{parts.query}" if parts.query else ""
    return [
        f"{scheme}://{www}{host}{path}{slash}{rest}"
        for scheme in ("http", "https")
        for www in ("", "www.")
        for slash in ("", "/")
    ]


def existing_with_url(rows, url: str):
    """The first of `rows` (a model or QuerySet) whose `url` is a spelling of `url`, or None."""
    condition = models.Q()
    for variant in same_url_variants(url):
        condition |= models.Q(url__iexact=variant)
    rows = rows.objects.all() if isinstance(rows, type) else rows
    return rows.filter(condition).first()


class SuggestionQuerySet(models.QuerySet):
    def for_page(self, user):
        return self.filter(user=user).select_related("area", "resource").order_by("-created_at")


class Suggestion(models.Model):
    """A learner's suggestion of a resource for the catalogue, and the curators' decision."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suggestions"
    )
    title = models.CharField(max_length=200)
    url = models.URLField("URL", max_length=500)
    area = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="suggestions")
    level = models.CharField(max_length=20, choices=Level.choices)
    cost = models.CharField(max_length=20, choices=Cost.choices)
    why = models.TextField("why it belongs in the catalogue", max_length=1000)
    status = models.CharField(
        max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.PENDING
    )
    reason = models.CharField(
        "reason (shown to the learner)", max_length=500, blank=True,
        help_text="Required when you do not add the resource.",
    )
    resource = models.ForeignKey(
        Resource, on_delete=models.SET_NULL, null=True, blank=True, related_name="suggestions",
        help_text="The draft made from this suggestion.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def approve(self) -> Resource:
        """Make an unpublished draft resource from the suggestion, for a curator to finish."""
        with transaction.atomic():
            base = slugify(self.title)[:180] or "suggested-resource"
            slug, n = base, 1
            while Resource.objects.filter(slug=slug).exists():
                n += 1
                slug = f"{base}-{n}"
            draft = Resource.objects.create(
                title=self.title,
                slug=slug,
                provider=urlsplit(self.url).netloc.removeprefix("www.") or "Unknown",
                url=self.url,
                format=Format.COURSE,
                level=self.level,
                cost=self.cost,
                summary=self.why,
                published=False,
                estimated_hours=None,
            )
            draft.domains.add(self.area)
            self.resource = draft
            self.status = SuggestionStatus.APPROVED
            self.reviewed_at = timezone.now()
            self.save(update_fields=["resource", "status", "reviewed_at"])
        return draft

    def reject(self, reason: str) -> None:
        self.status = SuggestionStatus.REJECTED
        self.reason = reason
        self.reviewed_at = timezone.now()
        self.save(update_fields=["status", "reason", "reviewed_at"])


class Difficulty(models.TextChoices):
    EASIER = "easier", "Easier than the level shown"
    AS_EXPECTED = "as-expected", "As expected"
    HARDER = "harder", "Harder than the level shown"


class RatingQuerySet(models.QuerySet):
    def put(self, user, resource: Resource, **answers) -> "Rating":
        """Save the learner's rating of `resource` (one each; rating again replaces it).

        The learner's self-rating in the resource's area is taken now, so the breakdown
        says how the resource served learners at the level they were at when they used it.
        """
        rating, _ = self.update_or_create(
            user=user,
            resource=resource,
            defaults={**answers, "self_rating": self_rating_for(user, resource)},
        )
        self.feed_learner_hours(resource)
        return rating

    def feed_learner_hours(self, resource: Resource) -> None:
        """Store the learners' hours on the resource for the roadmap (ratings.learners_hours)."""
        given = list(
            self.filter(resource=resource, actual_hours__isnull=False).values_list(
                "actual_hours", flat=True
            )
        )
        Resource.objects.filter(pk=resource.pk).update(
            learner_hours=ratings.learners_hours(given), learner_hours_count=len(given)
        )


class Rating(models.Model):
    """A learner's rating of a resource they finished: usefulness, difficulty, actual hours."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="resource_ratings"
    )
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="ratings")
    usefulness = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    difficulty = models.CharField(max_length=12, choices=Difficulty.choices)
    actual_hours = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(2000)]
    )
    # The learner's self-rating (1-5) in the resource's area when they rated it, if any.
    self_rating = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RatingQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "resource"], name="curation_one_rating_each")
        ]

    def __str__(self):
        return f"{self.usefulness}/5 for {self.resource}"


def self_rating_for(user, resource: Resource) -> int | None:
    """The learner's latest self-rating in the first of the resource's areas they rated."""
    from assessment.models import Assessment
    from assessment.roadmap import AREA_DOMAINS

    latest = Assessment.objects.filter(user=user).order_by("-taken_at", "-id").first()
    if latest is None:
        return None
    fields = {domain: field for field, domain in AREA_DOMAINS.items()}
    for slug in resource.domains.order_by("order").values_list("slug", flat=True):
        if slug in fields:
            return getattr(latest, fields[slug])
    return None


handle_validator = RegexValidator(
    r"^[a-z0-9](?:[a-z0-9-]{1,28}[a-z0-9])$",
    "3 to 30 lower-case letters, digits or hyphens, starting and ending with a letter or digit.",
)


class PublicCard(models.Model):
    """A learner's opt-in public progress card at /u/<handle>/. Off until they turn it on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="public_card"
    )
    enabled = models.BooleanField("show my progress card", default=False)
    handle = models.CharField(
        "handle", max_length=30, unique=True, validators=[handle_validator],
        help_text="Your card's address: /u/<handle>/. Never your email.",
    )
    allow_indexing = models.BooleanField("let search engines list my card", default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.handle

    def get_absolute_url(self):
        return reverse("curation:card", args=[self.handle])

    def shown(self) -> "CardContent":
        """Everything the public card shows, and nothing else (see CardContent)."""
        from assessment.models import Roadmap, RoadmapEntry
        from progress.models import Focus, Progress, Status

        done = set(
            Progress.objects.filter(user=self.user_id, status=Status.DONE).values_list(
                "resource_id", flat=True
            )
        )
        stages = {}
        entries = (
            RoadmapEntry.objects.filter(user=self.user_id, is_optional=False)
            .order_by("stage__index", "position")
            .values_list("stage__index", "stage__title", "resource_id")
        )
        for index, title, resource_id in entries:
            stage = stages.setdefault(index, {"title": title, "done": 0, "steps": 0})
            stage["steps"] += 1
            stage["done"] += resource_id in done
        focus = (
            Focus.objects.filter(user=self.user_id, answered_at__isnull=True)
            .values_list("resource__title", flat=True)
            .first()
        )
        # The hours a week the learner's roadmap is planned on.
        weekly_hours = (
            Roadmap.objects.filter(user=self.user_id).values_list("weekly_hours", flat=True).first()
        )
        return CardContent(
            handle=self.handle,
            stages=[CardStage(**stage) for stage in stages.values()],
            focus=focus or "",
            weekly_hours=weekly_hours,
        )


@dataclass(frozen=True)
class CardStage:
    title: str
    done: int
    steps: int


@dataclass(frozen=True)
class CardContent:
    """The public card's fields. Never email, notes, ratings or dates finer than a week."""

    handle: str
    stages: list
    focus: str
    weekly_hours: int | None

    @property
    def steps_done(self):
        return sum(stage.done for stage in self.stages)

    @property
    def steps(self):
        return sum(stage.steps for stage in self.stages)
