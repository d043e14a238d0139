"""`manage.py check_links [--slug S]`: check resource links now and print each verdict."""

from django.core.management.base import BaseCommand, CommandError

from catalog.models import Resource
from curation.models import LinkCheck


class Command(BaseCommand):
    help = "Check every published resource's URL (or one, with --slug) and store the result."

    def add_arguments(self, parser):
        parser.add_argument("--slug", default="", help="Check only the resource with this slug.")

    def handle(self, *args, slug="", **options):
        resources = Resource.objects.published().order_by("pk")
        if slug:
            resources = Resource.objects.filter(slug=slug)
            if not resources.exists():
                raise CommandError(f"No resource has the slug {slug!r}.")
        checks = LinkCheck.objects.run(resources.only("pk", "url", "title", "slug"))
        for check in checks:
            where = f" → {check.final_url}" if check.redirects else ""
            status = check.status_code or check.error
            verdict = check.get_verdict_display()
            self.stdout.write(f"{check.resource.slug}: {verdict} ({status}){where}")
        needing = sum(check.verdict != "ok" for check in checks)
        self.stdout.write(f"{len(checks)} checked, {needing} need attention.")
