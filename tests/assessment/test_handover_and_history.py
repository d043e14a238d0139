"""A visitor's assessment reaching their account, retakes and history, and the acceptance path."""

import pytest

from assessment.models import Assessment
from tests.factories import PASSWORD, UserFactory

ANSWERS = {
    "goal": "computer-vision",
    "linear_algebra": "2",
    "calculus": "4",
    "probability_statistics": "3",
    "programming": "3",
    "budget": "any",
    "weekly_hours": "5",
}


def test_a_visitor_sees_a_preview_and_an_invitation_to_sign_up(client, catalogue):
    response = client.post("/assessment/", ANSWERS)
    assert response.status_code == 302
    assert response["Location"] == "/assessment/preview/"
    page = client.get("/assessment/preview/").content.decode()
    assert "Sign up to save it" in page
    assert page.index("Linear algebra") < page.index("Calculus")
    assert not Assessment.objects.exists()


def test_the_preview_without_answers_goes_back_to_the_questionnaire(client, db):
    response = client.get("/assessment/preview/")
    assert response["Location"] == "/assessment/"


def test_signing_up_after_the_assessment_saves_it_and_builds_the_roadmap(client, catalogue):
    client.post("/assessment/", ANSWERS)
    response = client.post(
        "/accounts/signup/",
        {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get(user__email="new@example.com")
    assert assessment.linear_algebra == 2 and assessment.goal == "computer-vision"
    roadmap = assessment.user.roadmap
    assert roadmap.stages.first().area == "linear-algebra"
    assert "assessment_answers" not in client.session
    assert client.get("/roadmap/").status_code == 200


def test_logging_in_after_the_assessment_attaches_it_to_the_account(client, catalogue):
    user = UserFactory(email="back@example.com")
    client.post("/assessment/", ANSWERS)
    response = client.post("/accounts/login/", {"login": "back@example.com",
                                                 "password": PASSWORD})
    assert response.status_code == 302
    assert user.assessments.count() == 1
    # Logging in again later does not attach it twice.
    client.logout()
    client.post("/accounts/login/", {"login": "back@example.com", "password": PASSWORD})
    assert user.assessments.count() == 1


def test_logging_in_without_a_pending_assessment_creates_nothing(client, catalogue):
    UserFactory(email="plain@example.com")
    client.post("/accounts/login/", {"login": "plain@example.com", "password": PASSWORD})
    assert not Assessment.objects.exists()


def test_retaking_keeps_every_assessment_and_history_shows_the_change(user_client, user,
                                                                    catalogue):
    user_client.post("/assessment/", ANSWERS)
    user_client.post("/assessment/", {**ANSWERS, "linear_algebra": "4", "calculus": "2"})
    assert user.assessments.count() == 2
    response = user_client.get("/assessment/history/")
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [r["assessment"].linear_algebra for r in rows] == [4, 2]
    newest = {a["title"]: a["change"] for a in rows[0]["areas"]}
    assert newest == {"Linear algebra": 2, "Calculus": -2,
                      "Probability & statistics": 0, "Programming mathematics": 0}
    assert all(a["change"] is None for a in rows[1]["areas"])
    html = response.content.decode()
    assert "+2" in html and "\u22122" in html  # a proper minus sign


def test_history_shows_only_your_own_assessments(user_client, other_user, catalogue):
    from tests.assessment.factories import AssessmentFactory

    AssessmentFactory(user=other_user, goal="research")
    response = user_client.get("/assessment/history/")
    assert response.context["rows"] == []
    assert "Research" not in response.content.decode()


def test_history_needs_an_account(client, db):
    assert client.get("/assessment/history/").status_code == 302


@pytest.mark.parametrize("n", [1, 10])
def test_history_runs_a_fixed_number_of_queries(user_client, user, n,
                                                django_assert_max_num_queries):
    from tests.assessment.factories import AssessmentFactory

    AssessmentFactory.create_batch(n, user=user)
    with django_assert_max_num_queries(3):
        assert user_client.get("/assessment/history/").status_code == 200


def test_acceptance_a_visitor_signs_up_then_retakes(client, catalogue):
    """Rate LA 2, calculus 4, probability 3, programming 3 for computer vision; sign up;
    linear algebra comes first, starting with beginner resources; retake with LA 4 and
    calculus 2 and calculus comes first; history shows both."""
    client.post("/assessment/", ANSWERS)
    client.post("/accounts/signup/",
                {"email": "cv@example.com", "password1": PASSWORD, "password2": PASSWORD})

    page = client.get("/roadmap/")
    stages = page.context["stages"]
    assert stages[0].title == "Linear algebra"
    first_steps = [
        role.main for step in stages[0].path for role in step.roles if role.required
    ]
    assert first_steps[0].resource.level == "beginner"
    assert all(e.reason for e in first_steps)
    assert first_steps[0].reason in page.content.decode()

    client.post("/assessment/", {**ANSWERS, "linear_algebra": "4", "calculus": "2"})
    stages = client.get("/roadmap/").context["stages"]
    assert stages[0].title == "Calculus"

    rows = client.get("/assessment/history/").context["rows"]
    assert len(rows) == 2
