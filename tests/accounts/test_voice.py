"""allauth's pages, messages and emails speak in the site's voice (locale/en, sentence case)."""

import re

import pytest
from django.core import mail

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
TITLE_CASE = ["Password Reset Email", "New Password", "Confirm Access", "Sign Out",
              "Email Addresses", "Sign In", "Please Confirm", "User Sessions"]


def visible_text(response):
    return re.sub(r"<[^>]+>", " ", response.content.decode())


def test_sign_up_says_one_thing_and_its_email_says_mathpath(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "ada@example.com", "password1": PASSWORD, "password2": PASSWORD},
        follow=True,
    )
    said = [str(m) for m in response.context["messages"]]
    assert said == [
        "Welcome to MathPath. We sent a link to ada@example.com: open it to confirm your "
        "address. Next, take the assessment to get your roadmap."
    ]
    [email] = mail.outbox
    assert email.subject == "[MathPath] Confirm your email address"
    assert "Someone, we hope you, signed up for MathPath with this email address." in email.body
    for wording in ["testserver", "register an account", "Thank you for using"]:
        assert wording not in email.body.replace("http://testserver/", "")


def test_the_password_reset_email_says_mathpath_not_the_library(client):
    UserFactory(email="ada@example.com")
    client.post("/accounts/password/reset/", {"email": "ada@example.com"})
    [email] = mail.outbox
    asked = "Someone, we hope you, asked to reset the password of your MathPath account."
    assert asked in email.body
    assert "user account" not in email.body
    assert email.subject.startswith("[MathPath] ") and not re.search(r" [A-Z]", email.subject[11:])


@pytest.mark.parametrize("path", [
    "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/",
    "/accounts/email/", "/accounts/sessions/", "/accounts/reauthenticate/",
    "/accounts/password/change/", "/accounts/logout/",
])
def test_allauth_pages_have_no_title_case_wording(client, path):
    user = UserFactory()
    if path not in {"/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"}:
        client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200, path
    text = visible_text(response)
    assert not [words for words in TITLE_CASE if words in text], path


def test_the_email_and_reauthenticate_pages_use_the_sites_words(client):
    client.force_login(UserFactory())
    assert "Email addresses" in visible_text(client.get("/accounts/email/"))
    assert "Confirm it is you" in visible_text(client.get("/accounts/reauthenticate/"))
