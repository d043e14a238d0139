"""The weekly summary: last week's hours against the goal, the next step, the projection."""

import re
from datetime import date, time, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Profile
from assessment.models import Roadmap
from assessment.reminders import send_reminders
from progress import reviews
from progress.models import StudyLog
from tests.assessment.factories import AssessmentFactory, ResourceFactory
from tests.reminders.helpers import at, learner

pytestmark = pytest.mark.django_db


def with_a_plan(user, weekly_hours=6):
    ResourceFactory(title="Essence of linear algebra", level="beginner",
                    domains=["linear-algebra"], estimated_hours=60)
    Roadmap.build_for(AssessmentFactory(user=user, linear_algebra=1))
    Profile.objects.filter(user=user).update(weekly_hours=weekly_hours)
    return user


def test_a_learner_who_logged_three_hours_gets_monday_mail_with_the_slip(mailoutbox):
    # Acceptance: opted in, 6 h a week planned, cards due on Monday morning.
    ada = with_a_plan(learner("ada@example.com", "Europe/Paris", weekly=True, summary_day=0))
    send_reminders(at("2026-06-08T06:00"))  # Monday 8 June, 08:00 in Paris
    first = [m for m in mailoutbox if m.subject.startswith("[MathPath] Your week")]
    assert "Projected finish: 17 August 2026." in first[0].body  # 60 h at 6 h a week
    mailoutbox.clear()
    for day, minutes in [(8, 60), (10, 90), (13, 30)]:  # 3 h over the week
        StudyLog.objects.create(user=ada, minutes=minutes, logged_on=date(2026, 6, day))

    send_reminders(at("2026-06-15T05:59"))
    assert mailoutbox == []
    send_reminders(at("2026-06-15T06:00"))
    send_reminders(at("2026-06-15T06:05"))  # a second run sends nothing more
    subjects = sorted(m.subject for m in mailoutbox)
    assert subjects == ["[MathPath] 1 card due — about 1 minute",
                        "[MathPath] Your week: 3 h of 6 h"]
    weekly = next(m for m in mailoutbox if "Your week" in m.subject)
    assert "Week of 8 June: 3 h of your 6 h goal." in weekly.body
    # Last week: 60 h at the planned 6 h a week from 8 June, 17 August. Now 60 h at the 3 h a
    # week kept, from 15 June: 140 days, 2 November, 77 days later.
    assert "Projected finish: 2 November 2026 (77 days later than last week)." in weekly.body
    assert "Your pace: 3.0 h a week over the last four weeks; you planned 6 h." in weekly.body
    assert "Next step: Essence of linear algebra" in weekly.body
    assert weekly.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/email/unsubscribe/" in weekly.extra_headers["List-Unsubscribe"]


def test_no_summary_on_other_days_or_for_those_who_did_not_ask(mailoutbox):
    with_a_plan(learner("ada@example.com", weekly=True, summary_day=2, due=0))
    with_a_plan(learner("bob@example.com", weekly=False, summary_day=0, due=0))
    for day in range(8, 15):
        send_reminders(at(f"2026-06-{day:02}T08:00"))
    assert [m.to for m in mailoutbox] == [["ada@example.com"]]  # Wednesday the 10th only


def test_the_weekly_figures_equal_the_dashboards(mailoutbox):
    zone = "America/New_York"
    now = timezone.now()
    local = now.astimezone(reviews.zone(zone))
    ada = with_a_plan(learner("ada@example.com", zone, weekly=True, due=0,
                              summary_day=local.weekday(),
                              reminder_time=time(local.hour, local.minute)))
    today = local.date()
    last_monday = today - timedelta(days=today.weekday() + 7)
    StudyLog.objects.create(user=ada, minutes=150, logged_on=last_monday + timedelta(days=2))
    StudyLog.objects.create(user=ada, minutes=45, logged_on=last_monday - timedelta(days=7))
    assert len(send_reminders(now)) == 1
    body = mailoutbox[0].body

    client = Client()
    client.force_login(ada)
    html = client.get("/").content.decode()
    assert f"Week of {last_monday:%-d %B}: 2.5 h of your 6 h goal." in body
    assert f'<tr><th scope="row">{last_monday:%-d %b %Y}</th><td>2.5</td></tr>' in html
    finish = re.search(r"Projected finish: (\d+ \w+ \d{4})", body).group(1)
    assert f"Projected finish: <strong>{finish}</strong>" in html
    pace_words = re.search(r"Your pace: ([\d.]+ h a week)", body).group(1)
    assert f"{pace_words} over the last four weeks" in html
