"""The admin's log-in goes through allauth, and staff need two-factor authentication."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.test import Client

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def mfa_on(settings):
    settings.ADMIN_REQUIRE_MFA = True
    # One step either side of now is accepted, so a test can use a fresh code each time
    # (allauth refuses a code twice) and never straddles a 30-second boundary.
    settings.MFA_TOTP_TOLERANCE = 1


@pytest.fixture
def committed():
    """For tests that need real commits: allauth sends authenticator_added on commit.

    Their rate-limit counters and used-code marks are committed to the database cache
    too; clear them so no later test inherits them.
    """
    yield
    from django.core.cache import cache

    cache.clear()


def totp_code(secret, step=0):
    """The code an authenticator app shows `step` periods from now (allauth's own maths)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + step))


def set_up_totp(user):
    """Give `user` an authenticator app directly, as if set up in another browser."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def activate_totp_through_the_pages(browser):
    """Set up an authenticator app through allauth's pages in `browser`; return its secret."""
    assert browser.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302
    assert browser.get("/accounts/2fa/totp/activate/").status_code == 200
    secret = browser.session[SECRET_SESSION_KEY]
    response = browser.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret, -1)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return secret


def log_in_with_totp(user, secret, step):
    browser = Client()
    browser.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    response = browser.post("/accounts/2fa/authenticate/", {"code": totp_code(secret, step)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return browser


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_the_admin_log_in_page_sends_visitors_to_the_rate_limited_site_log_in(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/admin/")


def test_the_admin_log_in_form_cannot_be_posted_to_directly(client, staff):
    response = client.post("/admin/login/", {"username": staff.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_learners_who_are_not_staff_are_refused_the_admin(user_client):
    response = user_client.get("/admin/", follow=True)
    assert response.status_code == 403


def test_staff_without_an_authenticator_app_are_sent_to_set_one_up(staff_client, settings):
    settings.ADMIN_REQUIRE_MFA = True
    response = staff_client.get("/admin/", follow=True)
    # Setting up the app asks for the password first (allauth's reauthentication).
    assert ("/accounts/2fa/totp/activate/", 302) in response.redirect_chain
    assert "The admin needs two-factor authentication" in response.content.decode()


def test_staff_who_gave_their_totp_code_at_log_in_reach_the_admin(client, staff, mfa_on):
    secret = set_up_totp(staff)
    response = client.post("/accounts/login/", {"login": staff.email, "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/admin/").status_code == 302
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200


def test_a_password_only_session_is_refused_the_admin_after_totp_is_set_up_elsewhere(
    log_in, staff, mfa_on
):
    laptop = log_in(staff)
    refused = laptop.get("/admin/", follow=True)
    assert ("/accounts/2fa/totp/activate/", 302) in refused.redirect_chain
    # The app set up without the signal that ends other sessions: the admin must still
    # ask this session for a code of its own.
    set_up_totp(staff)
    for url in ["/admin/", "/admin/accounts/user/"]:
        response = laptop.get(url, follow=True)
        assert response.status_code == 200
        assert response.redirect_chain[-1][0].startswith("/accounts/2fa/reauthenticate/"), url
        assert "a code from your authenticator app" in response.content.decode()


def test_a_session_that_confirms_a_totp_code_later_reaches_the_admin(log_in, staff, mfa_on):
    laptop = log_in(staff)
    secret = set_up_totp(staff)
    response = laptop.get("/admin/accounts/user/", follow=True)
    confirm_url = response.redirect_chain[-1][0]
    assert confirm_url == "/accounts/2fa/reauthenticate/?next=%2Fadmin%2Faccounts%2Fuser%2F"
    assert laptop.post(confirm_url, {"code": "000000"}).status_code == 200
    response = laptop.post(confirm_url, {"code": totp_code(secret)})
    assert response["Location"] == "/admin/accounts/user/"
    assert laptop.get("/admin/accounts/user/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_setting_up_totp_ends_the_other_sessions_and_this_one_confirms_a_code(
    log_in, staff, mfa_on, committed
):
    laptop, phone = log_in(staff), log_in(staff)
    secret = activate_totp_through_the_pages(laptop)
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    # The phone logged in with the password alone: it is logged out, not let in.
    response = phone.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert "_auth_user_id" not in phone.session
    # The laptop keeps its session, but setting up the app is not a log-in with it.
    response = laptop.get("/admin/", follow=True)
    confirm_url = response.redirect_chain[-1][0]
    assert confirm_url.startswith("/accounts/2fa/reauthenticate/")
    laptop.post(confirm_url, {"code": totp_code(secret, step=1)})
    assert laptop.get("/admin/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_removing_totp_ends_the_other_sessions_but_keeps_this_one(staff, mfa_on, committed):
    secret = set_up_totp(staff)
    laptop, phone = log_in_with_totp(staff, secret, 0), log_in_with_totp(staff, secret, 1)
    assert phone.get("/admin/").status_code == 200
    laptop.post("/accounts/reauthenticate/", {"password": PASSWORD})
    response = laptop.post("/accounts/2fa/totp/deactivate/")
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=staff).exists()
    assert phone.get("/accounts/profile/").status_code == 302
    assert laptop.get("/accounts/profile/").status_code == 200


def test_development_lets_staff_in_without_an_authenticator_app(staff_client, settings):
    settings.ADMIN_REQUIRE_MFA = False
    assert staff_client.get("/admin/").status_code == 200


def test_production_requires_two_factor_for_the_admin_by_default():
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "x7#Kq9!vLm2$Pz8@Rt4%Wn6^Yb3&Hc5*Jd1(Fg0)Se7-Ua2+Ik9=Ol4",
        "ALLOWED_HOSTS": "example.org",
    }
    env.pop("ADMIN_REQUIRE_MFA", None)
    code = "from django.conf import settings as s; print(s.ADMIN_REQUIRE_MFA)"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"
