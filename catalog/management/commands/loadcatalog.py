"""`python manage.py loadcatalog [PATH] [--concepts PATH]`: load the curated catalogue.

Resources first (catalog.loader), then the concepts that point into them
(catalog.concept_loader). A catalogue file other than the curated one is loaded without the
curated concepts (they name the curated resources) unless --concepts names a file.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from catalog import concept_loader
from catalog.loader import DEFAULT_PATH, CatalogDataError, load_catalog


class Command(BaseCommand):
    help = (
        "Load the curated catalogue and its concepts from their data files. Safe to re-run: "
        "nothing is duplicated and fields edited in the admin since the last load are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", default=str(DEFAULT_PATH), help="YAML file (default: %(default)s)"
        )
        parser.add_argument(
            "--concepts",
            help=f"YAML file of concepts and recall cards (default with the curated catalogue: "
            f"{concept_loader.DEFAULT_PATH})",
        )

    def handle(self, *args, path, concepts, **options):
        if concepts is None and path == str(DEFAULT_PATH):
            concepts = str(concept_loader.DEFAULT_PATH)
        try:
            with transaction.atomic():
                domains, resources = load_catalog(path)
                concept_report = concept_loader.load_concepts(concepts) if concepts else None
        except CatalogDataError as error:
            raise CommandError(f"{error} Nothing was changed.") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Catalogue loaded: {domains.summary('domains')}; {resources.summary('resources')}."
            )
        )
        kept = domains.kept_edits + resources.kept_edits
        if concept_report:
            summary = concept_report.summary("concepts, locations, cards and exercises")
            self.stdout.write(self.style.SUCCESS(f"Concepts loaded: {summary}."))
            kept += concept_report.kept_edits
        if kept:
            self.stdout.write(
                f"Kept {len(kept)} field(s) edited in the admin: {', '.join(sorted(kept))}."
            )
