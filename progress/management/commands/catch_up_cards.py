"""Give learners the recall cards of what they have started or finished and do not have."""

from django.core.management.base import BaseCommand

from progress.models import LearnerCard


class Command(BaseCommand):
    help = (
        "Give every learner the recall cards of the concepts taught by resources they have "
        "started or finished and that they do not have yet, due tomorrow in their time zone "
        "(run after loadcatalog; running it again adds nothing)."
    )

    def handle(self, *args, **options):
        added = LearnerCard.objects.catch_up()
        self.stdout.write(f"Gave learners {added} recall card{'s' if added != 1 else ''}.")
