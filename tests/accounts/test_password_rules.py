"""Passwords made of too few different characters are refused at sign-up and on change."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from accounts.validators import MinimumDistinctCharactersValidator
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

User = get_user_model()

TOO_FEW = "This password has too few different characters."


def sign_up(client, password):
    return client.post(
        "/accounts/signup/",
        {"email": "new@example.com", "password1": password, "password2": password},
    )


def test_the_sign_up_page_says_how_many_different_characters_a_password_needs(client):
    html = client.get("/accounts/signup/").content.decode()
    assert "Your password must use at least 5 different characters." in html


@pytest.mark.parametrize(
    "password",
    # Long enough and not on Django's common list, but one, two or four keys repeated.
    [
        "aaaaaaaaaaaa",
        "zzzzzzzzzzzzzzzz",
        "!!!!!!!!!!!!",
        "abababababab",
        "abcdabcdabcd",
        "AaAaAaAaAaAa",
    ],
)
def test_sign_up_refuses_a_password_of_too_few_different_characters(client, password):
    response = sign_up(client, password)
    assert response.status_code in (200, 400)
    assert TOO_FEW in response.content.decode()
    assert not User.objects.exists()
    assert "_auth_user_id" not in client.session


def test_sign_up_refuses_a_repeated_digit_and_says_why(client):
    response = sign_up(client, "111111111111")
    assert TOO_FEW in response.content.decode()
    assert not User.objects.exists()


def test_five_different_characters_are_enough(client):
    assert sign_up(client, "abcdeabcdeabcde").status_code == 302
    assert User.objects.filter(email="new@example.com").exists()


def test_changing_the_password_to_one_repeated_character_is_refused(log_in, learner):
    browser = log_in(learner)
    response = browser.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "q" * 20, "password2": "q" * 20},
    )
    assert response.status_code == 200
    assert TOO_FEW in response.content.decode()
    learner.refresh_from_db()
    assert learner.check_password(PASSWORD)


def test_the_validator_counts_characters_not_bytes_and_ignores_case():
    validator = MinimumDistinctCharactersValidator(min_distinct=3)
    validator.validate("日本語日本語")
    with pytest.raises(ValidationError, match="at least 3 different characters"):
        validator.validate("ÉéÉéÉéÉé")
