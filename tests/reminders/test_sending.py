"""Reminder emails: at the learner's own time, once, only for those who asked."""

from datetime import date, time, timedelta

import pytest
from django.core.management import call_command

from assessment import reminders
from assessment.reminders import EmailSent, send_reminders
from tests.reminders.helpers import at, cards_due, focus_on, learner

pytestmark = pytest.mark.django_db


def run_day_in_steps(start, hours=24, minutes=15):
    """send_reminders every `minutes` from `start`, as the scheduler would; {email: [times]}."""
    seen = {}
    now = start
    while now < start + timedelta(hours=hours):
        for record in send_reminders(now):
            seen.setdefault(record.user.email, []).append(now)
        now += timedelta(minutes=minutes)
    return seen


def test_each_learner_gets_one_morning_email_at_eight_on_their_own_clock(mailoutbox):
    learner("tokyo@example.com", "Asia/Tokyo")
    learner("paris@example.com", "Europe/Paris")
    learner("newyork@example.com", "America/New_York")
    # 03:00 UTC is noon in Tokyo, past its window: nobody else's morning has begun.
    seen = run_day_in_steps(at("2026-06-01T03:00"))
    assert seen == {
        "tokyo@example.com": [at("2026-06-01T23:00")],  # 08:00 on the 2nd in Tokyo
        "paris@example.com": [at("2026-06-01T06:00")],  # 08:00 summer time
        "newyork@example.com": [at("2026-06-01T12:00")],
    }
    assert sorted(m.to[0] for m in mailoutbox) == sorted(seen)


@pytest.mark.parametrize(
    ("zone", "days", "expected"),
    [
        # Europe/London moves to summer time on Sunday 29 March 2026.
        ("Europe/London", "2026-03-28T00:00",
         ["2026-03-28T08:00", "2026-03-29T07:00", "2026-03-30T07:00"]),
        # New York moved on Sunday 8 March 2026, and moves back on 1 November.
        ("America/New_York", "2026-03-07T00:00",
         ["2026-03-07T13:00", "2026-03-08T12:00", "2026-03-09T12:00"]),
        ("America/New_York", "2026-10-31T00:00",
         ["2026-10-31T12:00", "2026-11-01T13:00", "2026-11-02T13:00"]),
    ],
)
def test_the_morning_email_keeps_to_local_time_across_a_clock_change(
    mailoutbox, zone, days, expected
):
    learner("ada@example.com", zone)
    seen = run_day_in_steps(at(days), hours=72)
    assert seen == {"ada@example.com": [at(moment) for moment in expected]}
    assert len(mailoutbox) == 3


def test_nobody_who_did_not_opt_in_or_has_nothing_due_gets_a_morning_email(mailoutbox):
    learner("off@example.com", daily=False, weekly=False, focus=False)
    learner("weekly-only@example.com", daily=False, weekly=True, summary_day=6)
    learner("nothing-due@example.com", due=0)
    learner("future@example.com", due_on=date(2030, 1, 1))
    assert run_day_in_steps(at("2026-06-01T00:00")) == {}
    assert mailoutbox == []


def test_the_morning_email_lists_what_is_due_with_links_and_one_click_unsubscribe(
    mailoutbox, settings
):
    settings.SITE_URL = "https://mathpath.example"
    user = learner("ada@example.com", due=2)
    [record] = send_reminders(at("2026-06-01T08:00"))
    [message] = mailoutbox
    assert message.subject == "[MathPath] 2 cards due — about 2 minutes"
    assert "Review your 2 cards: https://mathpath.example/cards/review/" in message.body
    assert "Open your dashboard: https://mathpath.example/" in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert '<a href="https://mathpath.example/">Open your dashboard</a>' in html
    token = reminders.unsubscribe_token(user, "daily")
    url = f"https://mathpath.example/email/unsubscribe/{token}/"
    assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in message.body and url in html
    assert (record.kind, record.day) == ("daily", date(2026, 6, 1))


def test_due_cards_are_counted_and_linked_to_the_card_session(mailoutbox, settings):
    settings.SITE_URL = "https://mathpath.example"
    ada = learner("ada@example.com", due=0)
    cards_due(ada, 6)
    cards_due(learner("later@example.com", due=0), 2, due=date(2030, 1, 1))
    send_reminders(at("2026-06-01T08:00"))
    [message] = mailoutbox
    assert message.subject == "[MathPath] 6 cards due — about 6 minutes"
    assert "Review your 6 cards: https://mathpath.example/cards/review/" in message.body


def test_cards_are_counted_in_words():
    assert reminders.DueToday(cards=6).words == "6 cards due — about 6 minutes"
    assert reminders.DueToday(cards=1).words == "1 card due — about 1 minute"


def test_a_run_missed_at_the_time_catches_up_within_three_hours_and_not_later(mailoutbox):
    learner("early@example.com", reminder_time=time(7, 0))
    learner("late@example.com", reminder_time=time(7, 0))
    assert send_reminders(at("2026-06-01T06:59")) == []
    assert [r.user.email for r in send_reminders(at("2026-06-01T09:59"))] == [
        "early@example.com", "late@example.com",
    ]
    assert send_reminders(at("2026-06-02T10:00")) == []  # the window closed at 10:00


def test_a_second_run_the_same_day_sends_nothing_and_the_next_day_sends_again(mailoutbox):
    learner("ada@example.com", reminder_time=time(7, 0))
    assert len(send_reminders(at("2026-06-01T07:00"))) == 1
    assert send_reminders(at("2026-06-01T07:05")) == []
    assert send_reminders(at("2026-06-01T09:59")) == []
    assert len(send_reminders(at("2026-06-02T07:00"))) == 1
    assert EmailSent.objects.count() == len(mailoutbox) == 2


def test_the_focus_note_comes_two_days_before_the_focus_ends(mailoutbox):
    user = learner("ada@example.com", due=0, daily=False, focus=True)
    focus_on(user, ends_on=date(2026, 6, 5))
    for day in range(1, 6):
        send_reminders(at(f"2026-06-0{day}T09:00"))
    [message] = mailoutbox
    assert message.subject == "[MathPath] Two days left with Essence of linear algebra"
    assert "end on Friday 5 June" in message.body
    assert EmailSent.objects.get().day == date(2026, 6, 3)


def test_the_command_runs_the_same_code_at_the_time_given(mailoutbox, capsys):
    learner("ada@example.com", "Europe/Paris")
    call_command("send_reminders", "--now", "2026-06-01T07:59+02:00")
    assert mailoutbox == []
    call_command("send_reminders", "--now", "2026-06-01T08:00+02:00")
    assert len(mailoutbox) == 1
    assert "Queued 1 email." in capsys.readouterr().out


def test_the_export_lists_the_emails_sent_and_the_preferences(mailoutbox):
    from accounts.export import export_user_data

    user = learner("ada@example.com", "Europe/Paris")
    send_reminders(at("2026-06-01T06:00"))
    data = export_user_data(user)
    assert data["emails_sent"] == [
        {"kind": "daily", "sent_at": data["emails_sent"][0]["sent_at"], "day": "2026-06-01",
         "failed_at": None}
    ]
    assert data["profile"]["reminders_daily"] is True
    assert data["profile"]["reminder_time"] == "08:00"
