"""Background work: the weekly link check, run by the task worker."""

from django.tasks import task

from catalog.models import Resource
from curation.models import LinkCheck


@task
def check_links(slug: str = ""):
    """Check every published resource's link (or the one `slug` names)."""
    resources = Resource.objects.published().order_by("pk")
    if slug:
        resources = Resource.objects.filter(slug=slug)
    checks = LinkCheck.objects.run(resources.only("pk", "url", "title"))
    counts = {}
    for check in checks:
        counts[check.verdict] = counts.get(check.verdict, 0) + 1
    return counts
