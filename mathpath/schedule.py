"""Periodic tasks: a plain list of (task, interval), enqueued through django.tasks.

django.tasks and django_tasks_db run tasks but do not repeat them, so `manage.py
run_schedule` (started by mathpath/stack.py beside the worker) does only that: for each
entry of SCHEDULE it works out the current slot, a window of `interval` counted from
SLOT_EPOCH, and enqueues the task once in it. Once is kept by the database, not by the
process: a ScheduledRun row per (task, slot start) with a unique constraint, inserted in
the same transaction as the task, so a second scheduler, or a restart within the slot,
finds the row and enqueues nothing. A slot missed while no scheduler ran is not caught up
(the next slot runs as usual); tasks that must not miss a day look back themselves.

To add a periodic task, write it with @task (arguments: none) and add a line to SCHEDULE:

    Entry("linkhealth.tasks.check_links", timedelta(days=7)),

Weekly slots start on Mondays at 00:00 UTC (SLOT_EPOCH is a Monday); pass `offset` to move
them within the interval (timedelta(hours=3) for 03:00).
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string

# A Monday at midnight UTC: daily slots start at midnight and weekly ones on Mondays.
SLOT_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Entry:
    task: str  # dotted path of a django.tasks Task that takes no arguments
    interval: timedelta
    offset: timedelta = timedelta(0)

    def slot_start(self, now: datetime) -> datetime:
        """The start of the slot `now` falls in."""
        elapsed = now - (SLOT_EPOCH + self.offset)
        return SLOT_EPOCH + self.offset + (elapsed // self.interval) * self.interval

    def next_slot(self, now: datetime) -> datetime:
        return self.slot_start(now) + self.interval


SCHEDULE: list[Entry] = [
    # Reminders follow each learner's own clock, so they run often; each email still goes
    # at most once a day (assessment/reminders.py keeps a row per learner, kind and day).
    Entry("assessment.reminders.send_reminders_task", timedelta(minutes=5)),
    # Every published resource's link, on Mondays at 03:00 UTC (curation).
    Entry("curation.tasks.check_links", timedelta(days=7), offset=timedelta(hours=3)),
]


def enqueue_due(now: datetime, schedule=None) -> list[str]:
    """Enqueue each entry whose current slot has no run yet; the task paths enqueued."""
    from mathpath.models import ScheduledRun

    enqueued = []
    for entry in SCHEDULE if schedule is None else schedule:
        slot = entry.slot_start(now)
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(task_path=entry.task, slot=slot)
                result = import_string(entry.task).enqueue()
                run.result_id = str(result.id)
                run.save(update_fields=["result_id"])
        except IntegrityError:
            continue  # another scheduler (or this one before a restart) enqueued this slot
        enqueued.append(entry.task)
    return enqueued


def parse_now(text: str) -> datetime:
    """An aware datetime from a command's --now; ValueError that says what is wrong."""
    at = datetime.fromisoformat(text)
    if at.tzinfo is None:
        raise ValueError("it needs a time zone offset, e.g. 2026-03-02T08:00+00:00")
    return at


def seconds_until_next_slot(now: datetime, schedule=None) -> float:
    entries = SCHEDULE if schedule is None else schedule
    if not entries:
        return 60.0
    return min((entry.next_slot(now) - now).total_seconds() for entry in entries)
