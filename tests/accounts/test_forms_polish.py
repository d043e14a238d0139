"""Profile and sign-up forms: one source for the hours bounds, canonical time zones."""

import re

import pytest

from accounts import time_zones
from accounts.models import WEEKLY_HOURS_MAX, WEEKLY_HOURS_MIN, Profile, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.mark.parametrize("path", ["/accounts/profile/", "/assessment/"])
def test_the_hours_widget_help_and_validator_agree(client, path):
    client.force_login(UserFactory())
    html = client.get(path).content.decode()
    field = re.search(r'<input[^>]*name="weekly_hours"[^>]*>', html).group(0)
    assert f'min="{WEEKLY_HOURS_MIN}"' in field and f'max="{WEEKLY_HOURS_MAX}"' in field
    assert f"A whole number from {WEEKLY_HOURS_MIN} to {WEEKLY_HOURS_MAX}." in html


def test_the_profile_refuses_hours_outside_the_bounds(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/accounts/profile/", {
        "goal": "general-ml", "weekly_hours": "0", "budget": "any", "time_zone": "UTC",
    })
    assert response.status_code == 400
    assert "greater than or equal to 1" in response.content.decode()


def test_the_time_zone_list_is_canonical_grouped_and_shows_the_offset(client):
    client.force_login(UserFactory())
    html = client.get("/accounts/profile/").content.decode()
    select = re.search(r'<select[^>]*name="time_zone".*?</select>', html, re.S).group(0)
    for alias in ['value="W-SU"', 'value="Zulu"', 'value="Etc/GMT+1"', 'value="Asia/Calcutta"']:
        assert alias not in select
    assert '<optgroup label="Europe">' in select and '<optgroup label="America">' in select
    assert re.search(r'value="Europe/Berlin">Berlin \(UTC\+0[12]:00\)</option>', select)
    assert re.search(r'value="UTC" selected>UTC \(UTC\+00:00\)', select)
    assert "data-preselect-browser-zone" in select
    assert len(time_zones.canonical_zones()) < 400


def test_a_zone_saved_before_keeps_its_place_in_the_list(client):
    user = UserFactory()
    Profile.objects.update_or_create(user=user, defaults={"time_zone": "Asia/Calcutta"})
    client.force_login(user)
    html = client.get("/accounts/profile/").content.decode()
    assert 'value="Asia/Calcutta" selected' in html
    assert "data-preselect-browser-zone" not in html


@pytest.mark.parametrize("sent, kept", [
    ("Europe/Berlin", "Europe/Berlin"), ("", "UTC"), ("Mars/Olympus", "UTC"),
])
def test_sign_up_keeps_the_browsers_zone_from_the_hidden_field(client, sent, kept):
    form = client.get("/accounts/signup/").content.decode()
    assert re.search(r'<input type="hidden" name="time_zone"[^>]*data-browser-time-zone', form)
    client.post("/accounts/signup/", {
        "email": "ada@example.com", "password1": PASSWORD, "password2": PASSWORD,
        "time_zone": sent,
    })
    user = User.objects.get(email="ada@example.com")
    assert Profile.for_user(user).time_zone == kept
