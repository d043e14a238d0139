"""`python manage.py prepare [--static]`: what the site needs before it serves.

Migrate, load the curated catalogue, give learners the cards they are owed and, with
--static, collect the static files. One process instead of one per step: each
`manage.py` start costs seconds (Django's imports, the embedded database's check), and
`make run`, `make serve` and `make migrate` run these steps on every start.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Migrate, load the catalogue (loadcatalog), give learners their recall cards "
        "(catch_up_cards) and, with --static, collect the static files."
    )

    def add_arguments(self, parser):
        parser.add_argument("--static", action="store_true", help="also run collectstatic")

    def handle(self, *args, static, **options):
        call_command("migrate", interactive=False, stdout=self.stdout, stderr=self.stderr)
        call_command("loadcatalog", stdout=self.stdout, stderr=self.stderr)
        call_command("catch_up_cards", stdout=self.stdout, stderr=self.stderr)
        if static:
            call_command("collectstatic", interactive=False, verbosity=0,
                         stdout=self.stdout, stderr=self.stderr)
