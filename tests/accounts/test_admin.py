"""The admin's log-in goes through allauth, and staff need two-factor authentication."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_the_admin_log_in_page_sends_visitors_to_the_rate_limited_site_log_in(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/admin/")


def test_the_admin_log_in_form_cannot_be_posted_to_directly(client, staff):
    from tests.factories import PASSWORD

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


def test_staff_with_an_authenticator_app_reach_the_admin(staff_client, staff, settings):
    settings.ADMIN_REQUIRE_MFA = True
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert staff_client.get("/admin/").status_code == 200


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
