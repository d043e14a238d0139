"""Mail never breaks a request: it is queued on commit and sent by the real worker.

These tests run the mailer settings.py configures (Django's test runner would swap it for
locmem) in front of a real SMTP server on loopback, and the real worker, `db_worker`, so
they fail if mail is sent inside the request again. They commit for real because the
worker reads the queue like any other process.
"""

import io
import os
import re
from datetime import timedelta
from importlib import import_module
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import connection, transaction
from django.tasks import TaskResultStatus
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mathpath.mail import ConsoleEmailBackend
from tests.factories import UserFactory
from tests.worker import run_worker, run_worker_processes

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
GOOD_PASSWORD = "plum-tangent-orbit-42"
User = get_user_model()


def configured():
    """The settings module as settings.py wrote it, before the test runner's changes."""
    return import_module(os.environ["DJANGO_SETTINGS_MODULE"])


@pytest.fixture
def queued_mail(settings, smtp_server):
    """The configured default mailer, sending through the loopback SMTP server."""
    settings.MAILERS = {
        "default": configured().MAILERS["default"],
        "outgoing": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": smtp_server.port, "use_tls": False,
                        "timeout": 5},
        },
    }
    settings.MAIL_RETRY_DELAYS = [0, 0]
    yield smtp_server
    # Sign-ups and resets commit their rate-limit counts to the database cache.
    cache.clear()


def sign_up(client, email):
    form = {"email": email, "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    return client.post("/accounts/signup/", form)


def link_in(message, path):
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(rf"https?://[^/\s]+({re.escape(path)}\S+)", text).group(1)


def test_sign_up_queues_the_mail_and_the_worker_delivers_a_link_that_verifies(
    client, queued_mail
):
    response = sign_up(client, "ada@example.com")
    assert response.status_code == 302
    assert queued_mail.received == []
    assert DBTaskResult.objects.ready().count() == 1

    run_worker()
    [envelope] = queued_mail.received
    assert envelope.rcpt_tos == ["ada@example.com"]
    [message] = queued_mail.messages
    assert message["Subject"] == "[MathPath] Confirm your email address"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "signed up for MathPath" in body
    assert "register an account" not in body and "Thank you for using" not in body
    link = link_in(message, "/accounts/confirm-email/")
    assert client.get(link).status_code == 200
    assert client.post(link).status_code == 302
    assert EmailAddress.objects.get(email="ada@example.com").verified
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL


def test_the_worker_claims_each_task_with_skip_locked(queued_mail):
    EmailMessage("Hello", "Body", to=["ada@example.com"]).send()
    with CaptureQueriesContext(connection) as queries:
        run_worker()
    assert any("FOR UPDATE SKIP LOCKED" in query["sql"] for query in queries)
    assert len(queued_mail.received) == 1


def test_sign_up_with_the_mail_server_down_succeeds_and_the_mail_follows_once_it_is_up(
    client, queued_mail
):
    queued_mail.stop()
    response = sign_up(client, "ada@example.com")
    assert response.status_code == 302
    assert User.objects.filter(email="ada@example.com").exists()

    run_worker("--max-tasks", "1")
    attempt = DBTaskResult.objects.get(status=TaskResultStatus.SUCCESSFUL)
    assert attempt.return_value["sent"] is False
    assert "Connection refused" in attempt.return_value["error"]
    retry = DBTaskResult.objects.ready().get()
    assert str(retry.id) == attempt.return_value["retry"]
    assert retry.args_kwargs["args"][1] == 2  # the second attempt

    queued_mail.start()
    run_worker()
    assert [message["To"] for message in queued_mail.messages] == ["ada@example.com"]
    assert not DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL).exists()


def test_a_failed_attempt_is_tried_again_after_the_next_delay(settings, queued_mail):
    settings.MAIL_RETRY_DELAYS = [300, 1800]
    queued_mail.stop()
    EmailMessage("Hello", "Body", to=["ada@example.com"]).send()
    run_worker()
    # The batch worker stopped: the second attempt is not due for five minutes.
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    expected = timezone.now() + timedelta(seconds=300)
    assert abs(retry.run_after - expected) < timedelta(seconds=30)
    assert DBTaskResult.objects.count() == 2


def test_after_the_last_attempt_the_failure_is_logged_and_shown_in_the_admin(
    client, settings, queued_mail, caplog
):
    queued_mail.stop()
    EmailMessage("Hello", "Body", to=["ada@example.com"]).send()
    run_worker()

    # Three attempts: the first, then one after each of the two delays.
    assert DBTaskResult.objects.count() == 3
    failed = DBTaskResult.objects.failed().get()
    assert failed.args_kwargs["args"][1] == 3
    assert failed.exception_class_path == "builtins.ConnectionRefusedError"
    assert DBTaskResult.objects.successful().count() == 2
    assert not DBTaskResult.objects.ready().exists()
    errors = [r for r in caplog.records if r.name == "mathpath.mail" and r.levelname == "ERROR"]
    assert len(errors) == 1
    assert "giving up after 3 attempts" in errors[0].getMessage()
    assert "ada@example.com" in errors[0].getMessage()

    settings.ADMIN_REQUIRE_MFA = False
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert "Task Results" in client.get("/admin/").content.decode()
    listing = client.get("/admin/django_tasks_database/dbtaskresult/?status__exact=FAILED")
    assert listing.status_code == 200
    assert str(failed.id) in listing.content.decode()


def test_password_reset_answers_the_same_with_the_mail_server_down(client, queued_mail):
    learner = UserFactory(email="ada@example.com")
    queued_mail.stop()
    known = client.post("/accounts/password/reset/", {"email": learner.email})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert DBTaskResult.objects.ready().count() == 2

    queued_mail.start()
    run_worker()
    assert sorted(message["To"] for message in queued_mail.messages) == [
        "ada@example.com",
        "nobody@example.com",
    ]


def test_mail_is_queued_only_when_the_transaction_commits(queued_mail):
    with transaction.atomic():
        EmailMessage("Kept", "Body", to=["ada@example.com"]).send()
        assert not DBTaskResult.objects.exists()
    assert DBTaskResult.objects.count() == 1

    with pytest.raises(RuntimeError), transaction.atomic():
        EmailMessage("Rolled back", "Body", to=["ada@example.com"]).send()
        raise RuntimeError
    run_worker()
    assert [message["Subject"] for message in queued_mail.messages] == ["Kept"]


def test_two_workers_at_once_send_each_message_exactly_once(queued_mail):
    for n in range(20):
        EmailMessage(f"Message {n}", "Body", to=[f"learner{n}@example.com"]).send()
    # The first message is held until another arrives, so both workers are sending at once.
    queued_mail.hold_first = True
    run_worker_processes(queued_mail.port)

    subjects = sorted(message["Subject"] for message in queued_mail.messages)
    assert subjects == sorted(f"Message {n}" for n in range(20))
    rows = list(DBTaskResult.objects.all())
    assert len(rows) == 20
    assert all(row.status == TaskResultStatus.SUCCESSFUL for row in rows)
    assert all(len(row.worker_ids) == 1 for row in rows)
    assert {row.worker_ids[0] for row in rows} == {"worker-1", "worker-2"}


@pytest.mark.django_db
def test_a_queued_message_is_sent_as_it_was_written(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MAILERS = {
        "default": configured().MAILERS["default"],
        "outgoing": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
    }
    message = EmailMultiAlternatives(
        "Your reviews ✓",
        "Text for everyone, non-ASCII too: é",
        "MathPath <noreply@example.com>",
        ["ada@example.com"],
        cc=["cc@example.com"],
        bcc=["bcc@example.com"],
        reply_to=["help@example.com"],
        headers={"X-Review": "3"},
        alternatives=[("<p>Text for <b>everyone</b></p>", "text/html")],
    )
    message.attach("reviews.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    message.attach("chart.png", b"\x89PNG\r\n\x1a\n\x00binary", "image/png")
    with django_capture_on_commit_callbacks(execute=True):
        assert message.send() == 1

    [sent] = mailoutbox
    assert sent.sent_using == "outgoing"
    for field in ["subject", "body", "from_email", "to", "cc", "bcc", "reply_to",
                  "alternatives", "attachments", "content_subtype"]:
        assert getattr(sent, field) == getattr(message, field), field
    assert sent.extra_headers["X-Review"] == "3"
    # Every attempt sends the same Date and Message-ID, so a receiver sees one message.
    assert {"Date", "Message-ID"} <= set(sent.extra_headers)


@pytest.mark.django_db
def test_the_development_console_prints_a_reset_link_that_can_be_copied(client, mailoutbox):
    learner = UserFactory(email="ada@example.com")
    client.post("/accounts/password/reset/", {"email": learner.email})
    stream = io.StringIO()
    ConsoleEmailBackend(stream=stream).send_messages(mailoutbox)
    printed = stream.getvalue()

    assert "Subject: [MathPath] Password reset email" in printed
    assert "To: ada@example.com" in printed
    assert "=3D" not in printed and "=\n" not in printed
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", printed).group(1)
    assert "Choose a new password" in client.get(link, follow=True).content.decode()
    console = configured().EMAIL_URL_BACKENDS["console"]
    assert console == "mathpath.mail.ConsoleEmailBackend"
