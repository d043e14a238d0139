"""Enqueue the periodic tasks of mathpath/schedule.py, each once per slot."""

import signal
import threading
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from mathpath import schedule
from mathpath.models import ScheduledRun

KEEP_RUNS = timedelta(days=60)


class Command(BaseCommand):
    help = "Enqueue each periodic task once per slot (mathpath/schedule.py); runs until stopped."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Enqueue what is due now, then stop."
        )
        parser.add_argument(
            "--now", help="Act as if it were this ISO date and time (implies --once)."
        )

    def handle(self, *args, once=False, now=None, **options):
        if now:
            try:
                at = schedule.parse_now(now)
            except ValueError as error:
                raise CommandError(f"--now: {error}") from None
            self.report(schedule.enqueue_due(at))
            return
        if once:
            self.report(schedule.enqueue_due(timezone.now()))
            return

        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        self.stdout.write(f"Scheduler started with {len(schedule.SCHEDULE)} periodic tasks.")
        while not stop.is_set():
            close_old_connections()
            self.report(schedule.enqueue_due(timezone.now()))
            ScheduledRun.objects.filter(slot__lt=timezone.now() - KEEP_RUNS).delete()
            # Wake a moment after the next slot starts; a clock jump only delays one slot.
            stop.wait(min(60.0, schedule.seconds_until_next_slot(timezone.now()) + 0.5))

    def report(self, enqueued):
        for task_path in enqueued:
            self.stdout.write(f"Enqueued {task_path}.")
