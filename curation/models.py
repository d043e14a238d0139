"""Curation keeps the catalogue true: link checks, learners' reports, suggestions, ratings."""

import time

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Subquery
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
