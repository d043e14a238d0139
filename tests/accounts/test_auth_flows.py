"""Sign-up, log-in, log-out and password reset through allauth's pages."""

import logging
import re

import pytest
from django.contrib.auth import get_user_model

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()

GOOD_PASSWORD = "plum-tangent-orbit-42"


def sign_up(client, email="new@example.com", password=GOOD_PASSWORD, **kwargs):
    return client.post(
        "/accounts/signup/",
        {"email": email, "password1": password, "password2": password},
        **kwargs,
    )


def test_the_log_in_and_sign_up_pages_label_every_field(client):
    for url in ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]:
        html = client.get(url).content.decode()
        assert html.count("<h1") == 1, url
        for field_id in re.findall(
            r'<input[^>]*type="(?:email|password|text)"[^>]*id="([^"]+)"', html
        ):
            assert f'for="{field_id}"' in html, (url, field_id)


def test_signing_up_logs_the_new_user_in(client):
    response = sign_up(client, email="New@Example.com")
    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "new@example.com"
    assert client.get("/accounts/profile/").status_code == 200


def test_sign_up_refuses_a_common_password_and_explains_why(client):
    response = sign_up(client, password="password1234")
    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    assert not User.objects.exists()


def test_sign_up_refuses_a_password_shorter_than_twelve_characters(client):
    response = sign_up(client, password="k7#Qz!w9")
    assert "at least 12 characters" in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "password",
    ["ü" * 3 + "日本語のパスワード🙂 très sûr", "a-long-passphrase " * 20],
    ids=["unicode", "long"],
)
def test_sign_up_accepts_long_and_unicode_passwords(client, password):
    assert sign_up(client, password=password).status_code == 302
    client.post("/accounts/logout/")
    response = client.post("/accounts/login/", {"login": "new@example.com", "password": password})
    assert response.status_code == 302


def test_production_sign_up_with_a_registered_email_does_not_reveal_it(
    client, settings, mailoutbox
):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    UserFactory(email="taken@example.com")
    taken = sign_up(client, email="taken@example.com")
    fresh = sign_up(client, email="fresh@example.com")
    # Both answers send the visitor to "check your email"; only the inbox tells them apart.
    assert taken.status_code == fresh.status_code == 302
    assert taken["Location"] == fresh["Location"]
    assert User.objects.filter(email="taken@example.com").count() == 1
    assert sorted(m.to[0] for m in mailoutbox) == ["fresh@example.com", "taken@example.com"]


def test_logging_in_with_the_right_password_rotates_the_session_key(client, learner):
    client.get("/accounts/login/")
    client.session.save()
    before = client.session.session_key
    response = client.post("/accounts/login/", {"login": learner.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session.session_key != before
    assert client.session["_auth_user_id"] == str(learner.pk)


def test_a_wrong_password_shows_a_message_and_does_not_log_in(client, learner):
    response = client.post(
        "/accounts/login/", {"login": learner.email, "password": "wrong password!"}
    )
    assert response.status_code == 200
    assert (
        "The email address and/or password you specified are not correct."
        in response.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_the_sixth_wrong_password_in_a_row_is_refused_even_when_right(client, learner):
    for _ in range(5):
        client.post("/accounts/login/", {"login": learner.email, "password": "wrong password!"})
    response = client.post("/accounts/login/", {"login": learner.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_rate_limits_count_in_the_shared_database_cache(client, learner):
    from django.core.cache import cache
    from django.db import connection

    cache.clear()
    client.post("/accounts/login/", {"login": learner.email, "password": "wrong password!"})
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM mathpath_cache")
        assert cursor.fetchone()[0] >= 1


def test_too_many_requests_get_our_429_page(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reset_password": "1/m/ip"}
    client.post("/accounts/password/reset/", {"email": "a@example.com"})
    response = client.post("/accounts/password/reset/", {"email": "b@example.com"})
    assert response.status_code == 429
    html = response.content.decode()
    assert "<h1>Too many attempts</h1>" in html
    assert 'class="site-header"' in html


def test_log_out_is_post_only(user_client):
    response = user_client.get("/accounts/logout/")
    assert response.status_code == 200
    assert "_auth_user_id" in user_client.session
    response = user_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in user_client.session


def test_logging_out_ends_the_users_sessions_in_other_browsers(log_in, learner, other_user):
    laptop, phone = log_in(learner), log_in(learner)
    bystander = log_in(other_user)
    laptop.post("/accounts/logout/")
    assert phone.get("/accounts/profile/").status_code == 302
    assert bystander.get("/accounts/profile/").status_code == 200


def test_changing_the_password_ends_other_sessions_but_keeps_this_one(log_in, learner, mailoutbox):
    laptop, phone = log_in(learner), log_in(learner)
    response = laptop.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )
    assert response.status_code == 302
    assert laptop.get("/accounts/profile/").status_code == 200
    assert phone.get("/accounts/profile/").status_code == 302
    # An email tells the owner, in case it wasn't them.
    assert [m.to for m in mailoutbox] == [[learner.email]]
    assert "Hello from MathPath" in mailoutbox[0].body


def test_changing_the_password_needs_the_current_one(log_in, learner):
    laptop = log_in(learner)
    response = laptop.post(
        "/accounts/password/change/",
        {"oldpassword": "not my password", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )
    assert response.status_code == 200
    assert "Please type your current password." in response.content.decode()
    learner.refresh_from_db()
    assert learner.check_password(PASSWORD)


def test_adding_an_email_asks_for_the_password_again_after_five_minutes(log_in, learner):
    laptop = log_in(learner)
    session = laptop.session
    records = session["account_authentication_methods"]
    for record in records:
        record["at"] -= 6 * 60
    session["account_authentication_methods"] = records
    session.save()

    response = laptop.post("/accounts/email/", {"action_add": "", "email": "second@example.com"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert not learner.emailaddress_set.filter(email="second@example.com").exists()

    laptop.post(response["Location"], {"password": PASSWORD})
    assert learner.emailaddress_set.filter(email="second@example.com").exists()


def test_a_reset_email_carries_a_link_that_sets_a_new_password(client, learner, mailoutbox, log_in):
    phone = log_in(learner)
    response = client.post("/accounts/password/reset/", {"email": learner.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/password/reset/key/\S+)", mailoutbox[0].body).group(
        1
    )

    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_password_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    done = client.post(set_password_url, {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert done.status_code == 302

    learner.refresh_from_db()
    assert learner.check_password(GOOD_PASSWORD)
    assert phone.get("/accounts/profile/").status_code == 302
    # The link works once.
    assert "Link no longer valid" in client.get(link, follow=True).content.decode()


def test_a_reset_for_an_unknown_email_looks_the_same(client, learner, mailoutbox):
    known = client.post("/accounts/password/reset/", {"email": learner.email})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    # The stranger's inbox is told there is no account, so a typo is not a dead end.
    assert [m.to for m in mailoutbox] == [[learner.email], ["nobody@example.com"]]


def test_log_ins_are_logged_with_user_and_ip_but_never_the_password(client, learner, caplog):
    caplog.set_level(logging.INFO, logger="mathpath.auth")
    client.post("/accounts/login/", {"login": learner.email, "password": "wrong password!"})
    client.post("/accounts/login/", {"login": learner.email, "password": PASSWORD})
    records = [r for r in caplog.records if r.name == "mathpath.auth"]
    messages = [r.getMessage() for r in records]
    assert any("login failed" in m and learner.email in m and "127.0.0.1" in m for m in messages)
    assert any(
        "login succeeded" in m and f"user_id={learner.pk}" in m and "127.0.0.1" in m
        for m in messages
    )
    assert all(r.created for r in records)
    everything = "\n".join(messages)
    assert PASSWORD not in everything and "wrong password!" not in everything
    assert client.session.session_key not in everything


def test_refused_log_ins_past_the_limit_are_logged(client, learner, caplog):
    caplog.set_level(logging.INFO, logger="mathpath.auth")
    for _ in range(6):
        client.post("/accounts/login/", {"login": learner.email, "password": "wrong password!"})
    assert any("login refused (too many attempts)" in r.getMessage() for r in caplog.records)


def test_mandatory_verification_sends_a_link_that_confirms_and_logs_in(
    client, settings, mailoutbox
):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    response = sign_up(client, email="verify@example.com", follow=True)
    assert "_auth_user_id" not in client.session
    assert response.content.decode().count("<h1") == 1
    link = re.search(r"https?://[^/]+(/accounts/confirm-email/\S+)", mailoutbox[0].body).group(1)

    confirm_page = client.get(link)
    assert confirm_page.status_code == 200
    response = client.post(link)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(email="verify@example.com").pk)
