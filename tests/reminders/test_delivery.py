"""Reminders through the real scheduler, worker and an SMTP server on loopback."""

import os
from datetime import timedelta
from importlib import import_module
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Profile
from assessment.reminders import EmailSent, send_reminders, send_reminders_task
from mathpath import schedule
from progress import reviews
from tests.reminders.helpers import at, learner
from tests.smtp import SMTPServer
from tests.worker import run_worker, run_worker_processes

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def smtp(settings):
    server = SMTPServer()
    server.start()
    settings.MAILERS = {
        "default": import_module(os.environ["DJANGO_SETTINGS_MODULE"]).MAILERS["default"],
        "outgoing": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "use_tls": False,
                        "timeout": 5},
        },
    }
    settings.MAIL_RETRY_DELAYS = [0, 0]
    yield server
    server.stop()


def opted_in_now(email, zone):
    """A learner whose reminder time is this very minute on their own clock."""
    local = timezone.now().astimezone(reviews.zone(zone))
    return learner(email, zone, reminder_time=local.time().replace(second=0, microsecond=0))


def test_the_scheduler_and_worker_mail_each_opted_in_learner_once(smtp, monkeypatch):
    # Only the reminders' entry: the weekly link check would reach the internet.
    [entry] = [e for e in schedule.SCHEDULE if e.task.endswith("send_reminders_task")]
    monkeypatch.setattr(schedule, "SCHEDULE", [entry])
    for email, zone in [("tokyo@example.com", "Asia/Tokyo"),
                        ("paris@example.com", "Europe/Paris"),
                        ("newyork@example.com", "America/New_York")]:
        opted_in_now(email, zone)
    learner("off@example.com", daily=False)
    call_command("run_schedule", "--once")
    run_worker()  # runs the reminders task, then the deliveries it queued
    call_command("run_schedule", "--once")  # same slot: nothing more
    run_worker()

    assert sorted(message["To"] for message in smtp.messages) == [
        "newyork@example.com", "paris@example.com", "tokyo@example.com",
    ]
    message = smtp.messages[0]
    assert message["Subject"] == "[MathPath] 1 card due — about 1 minute"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Unsubscribe"].startswith("<http")
    assert {part.get_content_type() for part in message.walk()} >= {"text/plain", "text/html"}


def test_two_workers_at_once_send_each_reminder_once(smtp):
    for n in range(8):
        opted_in_now(f"learner{n}@example.com", ["UTC", "Asia/Kolkata", "America/Denver"][n % 3])
    for _ in range(6):  # as if a slot's task and several manual runs were all waiting
        send_reminders_task.enqueue()
    smtp.hold_first = True  # both workers are busy at the same moment
    run_worker_processes(smtp.port)

    assert sorted(message["To"] for message in smtp.messages) == sorted(
        f"learner{n}@example.com" for n in range(8)
    )
    assert EmailSent.objects.count() == 8


def test_three_refused_deliveries_switch_the_learners_reminders_off(smtp, caplog):
    ada = learner("ada@example.com", weekly=True, focus=True, summary_day=6)  # Sundays
    smtp.refused.add("ada@example.com")
    for day, expect_on in [(1, True), (2, True), (3, False)]:
        send_reminders(at(f"2026-06-0{day}T08:00"))
        run_worker()
        profile = Profile.objects.get(user=ada)
        assert profile.reminders_daily is expect_on, day
    assert (profile.reminders_weekly, profile.reminders_focus) == (False, False)
    assert EmailSent.objects.filter(failed_at__isnull=False).count() == 3
    assert "No such user" in EmailSent.objects.first().failure
    assert smtp.received == []
    assert "reminders switched off after 3 failed deliveries" in caplog.text
    # Nothing more is sent to the address that bounced.
    send_reminders(at("2026-06-04T08:00"))
    assert EmailSent.objects.count() == 3


def test_a_delivered_reminder_breaks_a_run_of_failures(smtp):
    ada = learner("ada@example.com")
    for day in (1, 2, 3, 4, 5):
        if day == 3:
            smtp.refused.discard("ada@example.com")
        else:
            smtp.refused.add("ada@example.com")
        send_reminders(at(f"2026-06-0{day}T08:00") + timedelta(minutes=1))
        run_worker()
    assert Profile.objects.get(user=ada).reminders_daily is True
    assert len(smtp.received) == 1
