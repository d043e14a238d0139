"""Queue the reminder emails due now: the same code as the scheduled task."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from assessment.reminders import send_reminders
from mathpath.schedule import parse_now


class Command(BaseCommand):
    help = "Queue the reminders, weekly summaries and focus notes due now on learners' clocks."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", help="Act as if it were this ISO date and time, e.g. 2026-03-02T08:00+01:00."
        )

    def handle(self, *args, now=None, **options):
        at = timezone.now()
        if now:
            try:
                at = parse_now(now)
            except ValueError as error:
                raise CommandError(f"--now: {error}") from None
        sent = send_reminders(at)
        self.stdout.write(f"Queued {len(sent)} email{'' if len(sent) == 1 else 's'}.")
        for record in sent:
            self.stdout.write(f"  {record.kind} to {record.user.email} for {record.day}")
