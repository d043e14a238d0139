"""Mail never holds up, or breaks, a request: every message goes through the task queue.

The default mailer, QueuedEmailBackend, turns each message into plain JSON data and, once
the caller's transaction commits, enqueues the `deliver` task (django.tasks, stored in
PostgreSQL by django_tasks_db). The worker, `manage.py db_worker`, sends it with the
"outgoing" mailer: ConsoleEmailBackend in development, SMTP in production. A send that
fails with a network or SMTP error is tried again after each of settings.MAIL_RETRY_DELAYS
(seconds); after the last, the failure is logged and the task ends FAILED, where the admin
lists it under Task Results.

A message given up on, refused for good by the server (a 5xx for every recipient, such as
an unknown address: no retry would help) or failed after the last attempt, is announced by
the `message_failed` signal with the message's headers, so that the code that wrote it
(reminders) can tell which one it was.
"""

import base64
import logging
import smtplib
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.console import EmailBackend as DjangoConsoleBackend
from django.db import transaction
from django.dispatch import Signal
from django.tasks import task
from django.utils import timezone
from django.utils.encoding import force_str

logger = logging.getLogger("mathpath.mail")

OUTGOING = "outgoing"

message_failed = Signal()  # with headers= and error=


class QueuedEmailBackend(BaseEmailBackend):
    """Queue each message for the worker instead of sending it now."""

    def send_messages(self, email_messages):
        queued = 0
        for message in email_messages:
            if not message.recipients():
                continue
            # Enqueued on commit: a rolled-back sign-up sends nothing, and the worker never
            # runs ahead of the rows the message talks about.
            transaction.on_commit(partial(deliver.enqueue, message_to_data(message)))
            queued += 1
        return queued


@task
def deliver(message, attempt=1):
    """Send one queued message; after a network or SMTP error, enqueue the next attempt."""
    email = message_from_data(message)
    try:
        mailers[OUTGOING].send_messages([email])
    except smtplib.SMTPRecipientsRefused as error:
        if not all(code >= 500 for code, _ in error.recipients.values()):
            return _retry(message, attempt, email, error)
        logger.error("mail refused for good: subject=%r to=%s error=%r",
                     email.subject, email.recipients(), error)
        message_failed.send(sender=deliver, headers=message["headers"], error=repr(error))
        return {"sent": False, "error": repr(error), "refused": True}
    except OSError as error:  # smtplib's errors, refused connections and timeouts alike
        return _retry(message, attempt, email, error)
    return {"sent": True, "attempt": attempt}


def _retry(message, attempt, email, error):
    """Enqueue the next attempt, or give up (and raise) after the last delay."""
    delays = settings.MAIL_RETRY_DELAYS
    if attempt > len(delays):
        logger.error(
            "mail not sent, giving up after %d attempts: subject=%r to=%s error=%r",
            attempt, email.subject, email.recipients(), error,
        )
        message_failed.send(sender=deliver, headers=message["headers"], error=repr(error))
        raise error
    run_after = timezone.now() + timedelta(seconds=delays[attempt - 1])
    retry = deliver.using(run_after=run_after).enqueue(message, attempt + 1)
    logger.warning(
        "mail not sent (attempt %d), trying again at %s: subject=%r to=%s error=%r",
        attempt, run_after.isoformat(), email.subject, email.recipients(), error,
    )
    # This attempt ends as a success that says so: only a message given up on is FAILED.
    return {"sent": False, "error": repr(error), "retry": retry.id}


def _content_to_data(content):
    if isinstance(content, bytes):
        return {"base64": base64.b64encode(content).decode()}
    return force_str(content)


def _content_from_data(content):
    return base64.b64decode(content["base64"]) if isinstance(content, dict) else content


def message_to_data(message):
    """The message as JSON-ready data, with everything needed to send it as it is."""
    # Building the MIME message checks the headers now, in the caller, as sending would;
    # its Date and Message-ID are kept so that every attempt sends the same message.
    mime = message.message()
    headers = {str(name): force_str(value) for name, value in message.extra_headers.items()}
    present = {name.lower() for name in headers}
    for name in ["Date", "Message-ID"]:
        if name.lower() not in present:
            headers[name] = str(mime[name])
    attachments = []
    for attachment in message.attachments:
        # Files (name, content, type) are queued; ready-made MIME parts would need a format
        # of their own, and MathPath sends none.
        if not isinstance(attachment, tuple) or not isinstance(attachment[1], (str, bytes)):
            raise TypeError(f"Only files can be attached to queued mail, not {attachment!r}.")
        filename, content, mimetype = attachment
        attachments.append([filename, _content_to_data(content), mimetype])
    return {
        "subject": force_str(message.subject),
        "body": force_str(message.body),
        "from_email": force_str(message.from_email),
        "to": [force_str(address) for address in message.to],
        "cc": [force_str(address) for address in message.cc],
        "bcc": [force_str(address) for address in message.bcc],
        "reply_to": [force_str(address) for address in message.reply_to],
        "headers": headers,
        "content_subtype": message.content_subtype,
        "encoding": message.encoding,
        "alternatives": [
            [_content_to_data(content), mimetype]
            for content, mimetype in getattr(message, "alternatives", [])
        ],
        "attachments": attachments,
    }


def message_from_data(data):
    """The EmailMultiAlternatives that message_to_data() described."""
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
        alternatives=[
            (_content_from_data(content), mimetype) for content, mimetype in data["alternatives"]
        ],
    )
    message.content_subtype = data["content_subtype"]
    message.encoding = data["encoding"]
    for filename, content, mimetype in data["attachments"]:
        message.attach(filename, _content_from_data(content), mimetype)
    return message


class ConsoleEmailBackend(DjangoConsoleBackend):
    """Print each message with its text decoded, so that the links in it can be copied.

    Django's console backend prints the message as it would go over the wire, where a long
    line is quoted-printable: a reset link is cut by "=" line ends and "=" becomes "=3D".
    """

    def write_message(self, message):
        mime = message.message()
        for name, value in mime.items():
            if name.lower() != "content-transfer-encoding":
                self.stream.write(f"{name}: {value}\n")
        parts = [part for part in mime.walk() if not part.is_multipart()]
        for part in parts:
            self.stream.write("\n")
            if part.get_content_maintype() == "text" and not part.is_attachment():
                if len(parts) > 1:
                    self.stream.write(f"[{part.get_content_type()}]\n")
                self.stream.write(part.get_content().rstrip("\n") + "\n")
            else:
                size = len(part.get_payload(decode=True) or b"")
                self.stream.write(
                    f"[attachment {part.get_filename()!r}, {part.get_content_type()}, "
                    f"{size} bytes]\n"
                )
        self.stream.write("-" * 79 + "\n")
