"""One-click unsubscribe (RFC 8058): no log-in, no cookie, that learner and that kind only."""

import pytest
from django.core import signing
from django.test import Client

from accounts.models import Profile
from assessment import reminders
from tests.reminders.helpers import learner

pytestmark = pytest.mark.django_db


def url_for(user, kind):
    return f"/email/unsubscribe/{reminders.unsubscribe_token(user, kind)}/"


def preferences(user):
    profile = Profile.objects.get(user=user)
    return profile.reminders_daily, profile.reminders_weekly, profile.reminders_focus


def test_a_mail_clients_one_click_post_without_cookies_stops_that_kind_only():
    ada = learner("ada@example.com", daily=True, weekly=True, focus=True)
    bob = learner("bob@example.com", daily=True, weekly=True, focus=True)
    mail_client = Client(enforce_csrf_checks=True)  # no session, no CSRF cookie
    response = mail_client.post(
        url_for(ada, "daily"), "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert "gets no more of the morning email" in response.content.decode()
    assert preferences(ada) == (False, True, True)
    assert preferences(bob) == (True, True, True)


def test_the_link_in_the_body_asks_first_and_offers_the_preferences(client):
    ada = learner("ada@example.com", weekly=True)
    page = client.get(url_for(ada, "weekly"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Stop the weekly summary for a•••@example.com?" in html
    assert "/accounts/profile/#reminders" in html
    assert preferences(ada) == (True, True, False)  # a visit (or a link scanner) stops nothing
    done = client.post(url_for(ada, "weekly"))
    assert "Unsubscribed" in done.content.decode()
    assert preferences(ada) == (True, False, False)


def test_a_forged_token_is_refused_and_changes_nothing(client):
    ada = learner("ada@example.com")
    forged = signing.dumps({"u": ada.pk, "k": "daily"}, salt="something else")
    for token in [forged, "sample-token", url_for(ada, "daily").split("/")[3][:-2] + "xx"]:
        response = client.post(f"/email/unsubscribe/{token}/")
        assert response.status_code == 400
        assert "That unsubscribe link is not one we sent" in response.content.decode()
    assert preferences(ada)[0] is True


def test_a_token_of_a_deleted_account_is_a_404(client):
    gone = learner("gone@example.com")
    url = url_for(gone, "daily")
    gone.delete()
    assert client.post(url).status_code == 404
    assert client.get(url).status_code == 404


def test_another_learners_token_never_touches_mine(client):
    ada = learner("ada@example.com")
    bob = learner("bob@example.com")
    client.force_login(ada)
    client.post(url_for(bob, "daily"))
    assert preferences(ada)[0] is True
    assert preferences(bob)[0] is False


def test_the_page_is_quick(client, django_assert_max_num_queries):
    ada = learner("ada@example.com")
    with django_assert_max_num_queries(2):
        client.post(url_for(ada, "daily"))
