"""The HTML part of every reminder email passes the Nu HTML Checker."""

from datetime import date

import pytest

from assessment.reminders import send_reminders
from tests.guards.test_valid_html import validate, vnu_missing
from tests.reminders.helpers import at, focus_on, learner
from tests.reminders.test_weekly import with_a_plan

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(vnu_missing() is not None, reason=str(vnu_missing())),
]


def test_every_kind_of_reminder_is_valid_html(mailoutbox, tmp_path):
    ada = with_a_plan(learner("ada@example.com", due=2, focus=True, weekly=True, summary_day=0))
    focus_on(ada, ends_on=date(2026, 6, 3))
    send_reminders(at("2026-06-01T08:00"))  # a Monday
    pages = {message.subject: message.alternatives[0][0].encode() for message in mailoutbox}
    assert len(pages) == 3
    assert validate(pages, tmp_path) == {}
