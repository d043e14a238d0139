"""The periodic scheduler: each task once per slot, whatever runs twice."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from mathpath import schedule, stack
from mathpath.models import ScheduledRun
from mathpath.schedule import Entry
from tests.threads import run_together
from tests.worker import run_worker

TICK = Entry("tests.schedule_tasks.tick", timedelta(minutes=5))
WEEKLY = Entry("tests.schedule_tasks.tock", timedelta(days=7), offset=timedelta(hours=3))


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("entry", "now", "slot"),
    [
        (TICK, "2026-03-02T08:00:00", "2026-03-02T08:00:00"),
        (TICK, "2026-03-02T08:04:59", "2026-03-02T08:00:00"),
        (TICK, "2026-03-02T08:05:00", "2026-03-02T08:05:00"),
        (Entry("x", timedelta(days=1)), "2026-03-02T23:59:00", "2026-03-02T00:00:00"),
        # Weekly slots start on Mondays (2026-03-02 is one), here at 03:00 by the offset.
        (WEEKLY, "2026-03-02T02:59:00", "2026-02-23T03:00:00"),
        (WEEKLY, "2026-03-02T03:00:00", "2026-03-02T03:00:00"),
        (WEEKLY, "2026-03-08T23:00:00", "2026-03-02T03:00:00"),
    ],
)
def test_the_slot_of_a_moment(entry, now, slot):
    assert entry.slot_start(at(now)) == at(slot)


def test_it_waits_until_the_nearest_next_slot():
    assert schedule.seconds_until_next_slot(at("2026-03-02T08:03:00"), [TICK, WEEKLY]) == 120


@pytest.mark.django_db
def test_a_task_is_enqueued_once_per_slot_and_again_in_the_next():
    assert schedule.enqueue_due(at("2026-03-02T08:00:10"), [TICK]) == [TICK.task]
    assert schedule.enqueue_due(at("2026-03-02T08:04:50"), [TICK]) == []
    assert DBTaskResult.objects.count() == 1
    assert schedule.enqueue_due(at("2026-03-02T08:05:01"), [TICK, WEEKLY]) == [
        TICK.task, WEEKLY.task,
    ]
    runs = ScheduledRun.objects.order_by("slot", "task_path")
    assert [(run.task_path, run.slot) for run in runs] == [
        (WEEKLY.task, at("2026-03-02T03:00:00")),
        (TICK.task, at("2026-03-02T08:00:00")),
        (TICK.task, at("2026-03-02T08:05:00")),
    ]
    assert {run.result_id for run in runs} == {str(r.id) for r in DBTaskResult.objects.all()}


@pytest.mark.django_db(transaction=True)
def test_schedulers_running_at_once_enqueue_a_slot_once():
    now = at("2026-03-02T08:00:10")
    results, errors = run_together(4, lambda n: schedule.enqueue_due(now, [TICK, WEEKLY]))
    assert errors == []
    assert sorted(task for enqueued in results for task in enqueued) == sorted(
        [TICK.task, WEEKLY.task]
    )
    assert DBTaskResult.objects.count() == 2
    assert ScheduledRun.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_what_the_scheduler_enqueued(monkeypatch):
    monkeypatch.setattr(schedule, "SCHEDULE", [TICK])
    out = io.StringIO()
    call_command("run_schedule", "--now", "2026-03-02T08:00:00+00:00", stdout=out)
    call_command("run_schedule", "--now", "2026-03-02T08:01:00+00:00", stdout=out)
    assert out.getvalue() == f"Enqueued {TICK.task}.\n"
    run_worker()
    result = DBTaskResult.objects.get()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "tick"


@pytest.mark.parametrize("bad", ["tomorrow", "2026-03-02T08:00"])
def test_run_schedule_refuses_a_bad_now(bad):
    with pytest.raises(CommandError, match="--now"):
        call_command("run_schedule", "--now", bad)


def test_the_stack_starts_the_scheduler_beside_the_worker():
    for mode in ("dev", "serve"):
        started = stack.commands(mode, "8000")
        assert started["scheduler"][-1] == "run_schedule"
        assert "db_worker" in started["worker"]
