"""Curation keeps the catalogue true: link checks, learners' reports, suggestions, ratings."""

import time
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from catalog.models import Resource
from curation import linkcheck
from curation.linkcheck import Verdict


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
                status=409,
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

    @property
    def link_label(self):
        return dict(Verdict.CHOICES).get(self.link_verdict, "")


def resource_curation(resource: Resource, user) -> ResourceCuration:
    """The link health and the viewer's newest report on `resource`, in one query."""
    annotations = {}
    if user.is_authenticated:
        newest_flag = Flag.objects.filter(user=user, resource=OuterRef("pk")).order_by(
            "-created_at", "-pk"
        )
        annotations = {f"f_{name}": Subquery(newest_flag.values(name)[:1]) for name in FLAG_FIELDS}
    row = (
        with_link_health(Resource.objects.filter(pk=resource.pk))
        .annotate(**annotations)
        .values("link_verdict", "link_checked_at", *annotations)
        .first()
    ) or {}
    flag = None
    if row.get("f_status"):
        flag = Flag(user=user, resource=resource, **{f: row[f"f_{f}"] for f in FLAG_FIELDS})
    return ResourceCuration(
        link_verdict=row.get("link_verdict"),
        link_checked_at=row.get("link_checked_at"),
        own_flag=flag,
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
