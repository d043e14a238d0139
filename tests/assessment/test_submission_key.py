"""Submitting the questionnaire twice (double click, resent form): one assessment per key."""

import re
import uuid

import pytest
from django.test import Client

from assessment.models import Assessment, Roadmap
from tests.assessment.test_questionnaire import URL, answers
from tests.threads import logged_in_clients, run_together

THREADS = 50


def key_in(html):
    return re.search(r'name="submission_key" value="([0-9a-f-]{36})"', html).group(1)


def test_the_questionnaire_carries_a_fresh_hidden_submission_key(user_client, client):
    first = user_client.get(URL).content.decode()
    assert re.search(r'<input type="hidden" name="submission_key" value="[0-9a-f-]{36}"', first)
    assert key_in(first) != key_in(user_client.get(URL).content.decode())
    assert key_in(client.get(URL).content.decode())


def test_the_same_key_twice_saves_one_assessment_and_lands_on_the_same_roadmap(
    user_client, user, catalogue
):
    key = key_in(user_client.get(URL).content.decode())
    first = user_client.post(URL, answers(submission_key=key))
    roadmap = Roadmap.objects.get(user=user)
    second = user_client.post(URL, answers(submission_key=key), follow=True)

    assert first.status_code == 302 and first["Location"] == "/roadmap/"
    assert second.status_code == 200 and second.redirect_chain == [("/roadmap/", 302)]
    assessment = Assessment.objects.get(user=user)
    assert assessment.submission_key == uuid.UUID(key)
    assert Roadmap.objects.get(user=user).built_at == roadmap.built_at
    assert Roadmap.objects.get(user=user).assessment == assessment


def test_different_keys_save_two_assessments(user_client, user, catalogue):
    for _ in range(2):
        key = key_in(user_client.get(URL).content.decode())
        assert user_client.post(URL, answers(submission_key=key)).status_code == 302
    assert Assessment.objects.filter(user=user).count() == 2


def test_a_submission_without_a_key_or_with_a_garbled_one_is_still_saved(
    user_client, user, catalogue
):
    assert user_client.post(URL, answers()).status_code == 302
    assert user_client.post(URL, answers()).status_code == 302
    assert user_client.post(URL, answers(submission_key="not-a-key")).status_code == 302
    assert list(Assessment.objects.filter(user=user).values_list("submission_key", flat=True)) \
        == [None, None, None]


def test_one_key_belongs_to_one_learner(user_client, user, other_user, catalogue):
    key = str(uuid.uuid4())
    other = Client()
    other.force_login(other_user)
    assert user_client.post(URL, answers(submission_key=key)).status_code == 302
    assert other.post(URL, answers(submission_key=key)).status_code == 302
    assert Assessment.objects.filter(user=user).count() == 1
    assert Assessment.objects.filter(user=other_user).count() == 1


def test_a_form_with_errors_keeps_its_key(user_client, catalogue):
    key = str(uuid.uuid4())
    response = user_client.post(URL, answers(submission_key=key, calculus="9"))
    assert response.status_code == 400
    assert key_in(response.content.decode()) == key


def test_a_visitors_submission_with_a_key_is_handed_over_once_on_sign_up(client, catalogue):
    key = key_in(client.get(URL).content.decode())
    for _ in range(2):
        assert client.post(URL, answers(submission_key=key))["Location"] == "/assessment/preview/"
    response = client.post("/accounts/signup/", {
        "email": "visitor@example.com", "password1": "a long unusual passphrase 42",
        "password2": "a long unusual passphrase 42",
    })
    assert response.status_code == 302
    assert Assessment.objects.filter(user__email="visitor@example.com").count() == 1


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_identical_submissions_save_one_assessment(user, catalogue):
    key = str(uuid.uuid4())
    clients = logged_in_clients(user, THREADS, raise_request_exception=False)
    codes, errors = run_together(
        THREADS, lambda n: clients[n].post(URL, answers(submission_key=key)).status_code
    )

    assert not errors
    assert codes == [302] * THREADS
    assessment = Assessment.objects.get(user=user)
    assert Roadmap.objects.get(user=user).assessment == assessment
