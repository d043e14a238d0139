"""The email a learner opts in to, on the profile page: off until they tick it."""

from datetime import time

import pytest

from accounts.models import Profile

pytestmark = pytest.mark.django_db

PROFILE = {
    "goal": "nlp",
    "weekly_hours": "6",
    "budget": "free",
    "time_zone": "Europe/Paris",
}


def test_every_reminder_is_off_until_the_learner_opts_in(user_client, user):
    html = user_client.get("/accounts/profile/").content.decode()
    assert "Email reminders" in html
    for name in ["reminders_daily", "reminders_weekly", "reminders_focus"]:
        assert f'name="{name}"' in html
    assert 'name="reminder_time" value="08:00"' in html
    profile = Profile.objects.get(user=user)
    assert not (profile.reminders_daily or profile.reminders_weekly or profile.reminders_focus)
    assert (profile.reminder_time, profile.weekly_summary_day) == (time(8, 0), 0)


def test_opting_in_saves_the_time_and_the_day(user_client, user):
    form = {**PROFILE, "reminders_daily": "on", "reminders_weekly": "on",
            "reminder_time": "07:30", "weekly_summary_day": "6"}
    response = user_client.post("/accounts/profile/", form, follow=True)
    assert "Your profile has been saved." in response.content.decode()
    profile = Profile.objects.get(user=user)
    assert (profile.reminders_daily, profile.reminders_weekly, profile.reminders_focus) == (
        True, True, False,
    )
    assert (profile.reminder_time, profile.weekly_summary_day) == (time(7, 30), 6)
    assert profile.weekly_hours == 6


def test_a_post_without_time_or_day_keeps_them(user_client, user):
    Profile.for_user(user)
    Profile.objects.filter(user=user).update(reminder_time=time(6, 15), weekly_summary_day=3)
    user_client.post("/accounts/profile/", PROFILE)
    profile = Profile.objects.get(user=user)
    assert (profile.reminder_time, profile.weekly_summary_day) == (time(6, 15), 3)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("reminder_time", "25:00", "Enter the time as HH:MM"),
        ("reminder_time", "eight", "Enter the time as HH:MM"),
        ("weekly_summary_day", "7", "Select a valid choice"),
    ],
)
def test_a_bad_time_or_day_is_explained_and_nothing_is_saved(
    user_client, user, field, value, message
):
    form = {**PROFILE, "reminders_daily": "on", field: value}
    response = user_client.post("/accounts/profile/", form)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    if field == "reminder_time":
        assert f'value="{value}"' in html  # what the learner typed stays in the field
    assert not Profile.objects.get(user=user).reminders_daily
