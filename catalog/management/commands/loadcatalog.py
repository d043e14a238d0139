"""`python manage.py loadcatalog [PATH]`: load the curated catalogue (see catalog.loader)."""

from django.core.management.base import BaseCommand, CommandError

from catalog.loader import DEFAULT_PATH, CatalogDataError, load_catalog


class Command(BaseCommand):
    help = (
        "Load the curated catalogue from its data file. Safe to re-run: nothing is "
        "duplicated and fields edited in the admin since the last load are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", default=str(DEFAULT_PATH), help="YAML file (default: %(default)s)"
        )

    def handle(self, *args, path, **options):
        try:
            domains, resources = load_catalog(path)
        except CatalogDataError as error:
            raise CommandError(f"{error} Nothing was changed.") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Catalogue loaded: {domains.summary('domains')}; {resources.summary('resources')}."
            )
        )
        kept = domains.kept_edits + resources.kept_edits
        if kept:
            self.stdout.write(
                f"Kept {len(kept)} field(s) edited in the admin: {', '.join(sorted(kept))}."
            )
