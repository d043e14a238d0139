"""Email that learners asked for, and only that: the morning reminder, the focus note.

`send_reminders(now)` is the one way these emails go out: the scheduled task
(`send_reminders_task`, every few minutes, see mathpath/schedule.py) and `manage.py
send_reminders [--now]` both call it. For each learner who opted in, it reads their clock:
in the three hours from their reminder time, each kind that has something to say is sent
once that day. Once is kept by the database: an EmailSent row per (learner, kind, local
day), inserted in the same transaction that queues the message, so a restart, a second
scheduler or a second worker never sends it twice.

Every email carries RFC 8058 one-click unsubscribe headers with a signed token for that
learner and that kind; three failed deliveries in a row (an unknown address, a mailbox
that bounces) switch the learner's reminders off.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.dispatch import receiver
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile
from mathpath.mail import message_failed
from mathpath.params import row_id
from progress import reviews

logger = logging.getLogger("mathpath.reminders")

EMAIL_ID_HEADER = "X-MathPath-Email"
UNSUBSCRIBE_SALT = "assessment.reminders.unsubscribe"
FAILURES_BEFORE_OFF = 3
FOCUS_NOTE_DAYS_BEFORE = 2
# Sent from the learner's reminder time for this long: a scheduler that was down an hour
# catches up, but a morning email never arrives in the evening (nor on opting in at night).
SEND_WINDOW = timedelta(hours=3)
# What a due card takes, for "about N minutes": a quick recall.
CARD_MINUTES = 1


class EmailKind(models.TextChoices):
    DAILY = "daily", "the morning email on days with cards due"
    WEEKLY = "weekly", "the weekly summary"
    FOCUS = "focus", "the note two days before a focus ends"


PREFERENCE = {
    EmailKind.DAILY: "reminders_daily",
    EmailKind.WEEKLY: "reminders_weekly",
    EmailKind.FOCUS: "reminders_focus",
}


class EmailSentQuerySet(models.QuerySet):
    def claim(self, user, kind: str, day: date) -> "EmailSent | None":
        """The record of this email, or None when it was sent already (by anyone)."""
        try:
            with transaction.atomic():
                return self.create(user=user, kind=kind, day=day)
        except IntegrityError:
            return None


class EmailSent(models.Model):
    """One reminder email, recorded before it is queued: the key that sends it once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="emails_sent"
    )
    kind = models.CharField(max_length=10, choices=EmailKind.choices)
    day = models.DateField(help_text="The learner's local date the email is for.")
    sent_at = models.DateTimeField(default=timezone.now)
    failed_at = models.DateTimeField(null=True, blank=True)
    failure = models.CharField(max_length=500, blank=True)

    objects = EmailSentQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name_plural = "emails sent"
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "day"], name="email_sent_once")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.user} on {self.day}"


@dataclass(frozen=True)
class DueToday:
    cards: int

    @property
    def minutes(self) -> int:
        return self.cards * CARD_MINUTES

    @property
    def words(self) -> str:
        """'6 cards due — about 6 minutes'."""
        cards = f"{self.cards} card{'' if self.cards == 1 else 's'}"
        minutes = f"{self.minutes} minute{'' if self.minutes == 1 else 's'}"
        return f"{cards} due — about {minutes}"


def due_today(user, today: date) -> DueToday:
    """What the learner has due today (and overdue), as the dashboard counts it.

    Only cards: the reviews of whole resources are retired and none is pending.
    """
    return DueToday(cards=user.learner_cards.due_by(today).count())


def site_url(path: str) -> str:
    return settings.SITE_URL + path


def unsubscribe_token(user, kind: str) -> str:
    return signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """(learner id, kind) from a token; signing.BadSignature when it was not made here."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(data, dict) or data.get("k") not in EmailKind.values:
        raise signing.BadSignature("not an unsubscribe token")
    return int(data["u"]), data["k"]


def unsubscribe(profile: Profile, kind: str) -> bool:
    """Stop this kind of email for this learner; False when it was off already."""
    field = PREFERENCE[kind]
    return bool(Profile.objects.filter(pk=profile.pk, **{field: True}).update(**{field: False}))


def _message(sent: EmailSent, subject: str, template: str, context: dict):
    user = sent.user
    unsubscribe_url = site_url(
        reverse("assessment:unsubscribe", args=[unsubscribe_token(user, sent.kind)])
    )
    context = {
        **context,
        "kind": EmailKind(sent.kind),
        "dashboard_url": site_url(reverse("home")),
        "preferences_url": site_url(reverse("accounts:profile") + "#reminders"),
        "unsubscribe_url": unsubscribe_url,
        "subject": subject,
    }
    message = EmailMultiAlternatives(
        subject=f"[MathPath] {subject}",
        body=render_to_string(f"assessment/email/{template}.txt", context),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            EMAIL_ID_HEADER: str(sent.pk),
        },
    )
    message.attach_alternative(
        render_to_string(f"assessment/email/{template}.html", context), "text/html"
    )
    return message


def _daily(profile: Profile, today: date):
    user = profile.user
    due = due_today(user, today)
    if not due.cards:
        return None
    context = {"due": due, "session_url": site_url(reverse("progress:card_session"))}
    return due.words[0].upper() + due.words[1:], "daily", context


def _focus(profile: Profile, today: date):
    user = profile.user
    focus = user.focuses.filter(answered_at__isnull=True).select_related("resource").first()
    if focus is None or (focus.ends_on - today).days != FOCUS_NOTE_DAYS_BEFORE:
        return None
    context = {"focus": focus, "resource_url": site_url(focus.resource.get_absolute_url())}
    return f"Two days left with {focus.resource.title}", "focus", context


def weekly_summary(user, today: date, weekly_hours: int, tz_name: str) -> dict:
    """The figures of the weekly summary: last week's, as the dashboard shows that week."""
    from assessment import pace, week
    from assessment.models import ProjectionChange, open_entries, track_entries

    entries = list(user.roadmap_entries.for_roadmap_page())
    stages = list({e.stage_id: e.stage for e in entries}.values())
    tracked = track_entries(stages, entries, weekly_hours)
    weeks, last_week = week.weeks_of(user, today, weekly_hours, tz_name,
                                     week_of=today - timedelta(days=7))
    result = pace.forecast_for(user, today, weekly_hours, entries, tracked, weeks)
    moved = None
    if result is not None:
        before = ProjectionChange.objects.as_of(user, today - timedelta(days=7))
        ProjectionChange.objects.record(user, today, result)
        moved = (result.projected_finish - before.projected_finish).days if before else None
    focus = user.focuses.filter(answered_at__isnull=True).select_related("resource").first()
    next_entry = next(iter(open_entries(tracked, entries)), None)
    return {
        "week": last_week,
        "forecast": result,
        "moved_words": pace.moved_words(moved) if moved is not None else "",
        "next_entry": next_entry,
        "next_url": site_url(next_entry.resource.get_absolute_url()) if next_entry else "",
        "focus": focus,
        "focus_days_left": focus.days_left(today) if focus else 0,
        "roadmap_url": site_url(reverse("assessment:roadmap")),
        "log_url": site_url(reverse("progress:log_time")),
    }


def _weekly(profile: Profile, today: date):
    if today.weekday() != profile.weekly_summary_day:
        return None
    context = weekly_summary(profile.user, today, profile.weekly_hours, profile.time_zone)
    figures = context["week"]
    subject = f"Your week: {figures.hours_words} of {figures.goal_hours} h"
    return subject, "weekly", context


BUILDERS = {EmailKind.DAILY: _daily, EmailKind.WEEKLY: _weekly, EmailKind.FOCUS: _focus}


def opted_in():
    return (
        Profile.objects.filter(
            Q(reminders_daily=True) | Q(reminders_weekly=True) | Q(reminders_focus=True),
            user__is_active=True,
        )
        .select_related("user")
        .order_by("pk")
    )


def in_window(local: datetime, reminder_time) -> bool:
    """Whether the local wall-clock time is within SEND_WINDOW after the reminder time."""
    since_midnight = timedelta(hours=local.hour, minutes=local.minute, seconds=local.second)
    start = timedelta(hours=reminder_time.hour, minutes=reminder_time.minute)
    return start <= since_midnight < start + SEND_WINDOW


def send_reminders(now: datetime | None = None) -> list[EmailSent]:
    """Queue every reminder due at `now` on each learner's own clock; the ones queued."""
    now = now or timezone.now()
    sent = []
    for profile in opted_in():
        local = now.astimezone(reviews.zone(profile.time_zone))
        if not in_window(local, profile.reminder_time):
            continue
        for kind, build in BUILDERS.items():
            if not getattr(profile, PREFERENCE[kind]):
                continue
            if EmailSent.objects.filter(user=profile.user, kind=kind, day=local.date()).exists():
                continue
            email = _send_once(profile, kind, local.date(), build)
            if email:
                sent.append(email)
    return sent


def _send_once(profile: Profile, kind: str, day: date, build) -> EmailSent | None:
    with transaction.atomic():
        built = build(profile, day)
        if built is None:
            return None
        record = EmailSent.objects.claim(profile.user, kind, day)
        if record is None:
            return None  # another run queued it a moment ago
        subject, template, context = built
        # Queued when this transaction commits, with the record that keeps it to once.
        _message(record, subject, template, {**context, "learner": profile.user}).send()
    return record


@task
def send_reminders_task():
    return len(send_reminders())


def _record_of(headers) -> int | None:
    value = (headers or {}).get(EMAIL_ID_HEADER, "")
    return row_id(value)


@receiver(message_failed)
def note_failed_delivery(sender, headers=None, error="", **kwargs):
    """Mark the reminder failed; after three failures in a row, stop sending any."""
    pk = _record_of(headers)
    record = EmailSent.objects.filter(pk=pk).select_related("user").first() if pk else None
    if record is None:
        return
    record.failed_at, record.failure = timezone.now(), error[:500]
    record.save(update_fields=["failed_at", "failure"])
    latest = list(
        EmailSent.objects.filter(user=record.user).values_list("failed_at", flat=True)[
            :FAILURES_BEFORE_OFF
        ]
    )
    if len(latest) == FAILURES_BEFORE_OFF and all(latest):
        Profile.objects.filter(user=record.user).update(
            **{field: False for field in PREFERENCE.values()}
        )
        logger.warning("reminders switched off after %d failed deliveries: user_id=%s",
                       FAILURES_BEFORE_OFF, record.user_id)

