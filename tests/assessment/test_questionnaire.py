"""The questionnaire at /assessment/: validation, prefilling, saving and the calibration check."""

import pytest
from django.urls import reverse

from accounts.models import Profile
from assessment import calibration as checks
from assessment.calibration import QUESTIONS
from assessment.models import Assessment

URL = "/assessment/"

ANSWERS = {
    "goal": "computer-vision",
    "linear_algebra": "2",
    "calculus": "4",
    "probability_statistics": "3",
    "programming": "3",
    "budget": "any",
    "styles": ["visual", "hands-on"],
    "weekly_hours": "6",
}


def answers(**changes):
    data = dict(ANSWERS)
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_url_is_named_take():
    assert reverse("assessment:take") == URL


def test_visitors_can_open_the_questionnaire_with_the_guides_questions(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Can you explain what a matrix transformation does" in html
    assert "Are you comfortable translating mathematical notation into code?" in html
    assert "{#" not in html and "{%" not in html
    for name in ["goal", "linear_algebra", "calculus", "probability_statistics",
                 "programming", "budget", "styles", "weekly_hours"]:
        assert f'name="{name}"' in html


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("linear_algebra", None),
        ("calculus", "6"),
        ("probability_statistics", "0"),
        ("programming", "lots"),
        ("goal", "astrology"),
        ("weekly_hours", "0"),
    ],
)
def test_a_missing_or_out_of_range_answer_is_shown_next_to_its_field(client, db, field, value):
    response = client.post(URL, answers(**{field: value}))
    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == [field]
    html = response.content.decode()
    assert f'id="field-{field}" aria-invalid="true"' in html or field == "weekly_hours"
    # Everything else entered is kept.
    assert 'value="computer-vision" id="id_goal_0" required checked' in html or field == "goal"
    assert 'value="visual" id="id_styles_0" checked' in html
    assert form["weekly_hours"].value() == ("6" if field != "weekly_hours" else "0")


def test_a_rating_error_says_what_to_do(client, db):
    response = client.post(URL, answers(calculus="9"))
    assert "Choose a rating from 1 to 5." in response.content.decode()


def test_signed_in_submission_saves_an_assessment_and_updates_preferences(user_client, user,
                                                                          catalogue):
    response = user_client.post(URL, answers(budget="free", weekly_hours="9"))
    assert response.status_code == 302
    assert response["Location"] == "/roadmap/"
    assessment = Assessment.objects.get(user=user)
    assert assessment.ratings == {"linear_algebra": 2, "calculus": 4,
                                  "probability_statistics": 3, "programming": 3}
    assert assessment.styles == ["visual", "hands-on"]
    profile = Profile.for_user(user)
    assert (profile.goal, profile.budget, profile.weekly_hours) == ("computer-vision", "free", 9)
    assert profile.styles == ["visual", "hands-on"]
    assert user.roadmap.stages.first().area == "linear-algebra"


def test_the_form_is_prefilled_from_the_profile_and_the_last_assessment(user_client, user,
                                                                       catalogue):
    profile = Profile.for_user(user)
    profile.goal, profile.weekly_hours, profile.styles = "nlp", 12, ["reading"]
    profile.save()
    form = user_client.get(URL).context["form"]
    assert form["goal"].value() == "nlp"
    assert form["weekly_hours"].value() == 12
    assert form["styles"].value() == ["reading"]

    user_client.post(URL, answers(linear_algebra="4"))
    form = user_client.get(URL).context["form"]
    assert form["linear_algebra"].value() == 4
    assert form["goal"].value() == "computer-vision"


def check_answers(right_per_area, seed="visitor1"):
    """Answer the first `right_per_area[area]` questions of each area right, the rest wrong.

    The choices are in the order of the learner's `seed` (a visitor's page sends its own).
    """
    data, seen = {"seed": seed}, {}
    for q in checks.shuffled(QUESTIONS, seed):
        n = seen.get(q.area, 0)
        seen[q.area] = n + 1
        right = n < right_per_area.get(q.area, 0)
        data[q.key] = str(q.correct if right else (q.correct + 1) % len(q.choices))
    return data


def test_the_check_shows_worked_answers_and_a_suggested_rating(client, db):
    assert client.get("/assessment/check/").status_code == 200
    response = client.post("/assessment/check/", check_answers({"calculus": 4}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Calculus: 4 of 4" in html
    assert "Linear algebra: 0 of 4" in html
    assert "about 17%" in html  # the worked Bayes answer
    assert client.session["assessment_calibration"]["calculus"]["suggested"] == 5


def test_an_incomplete_check_re_renders_with_400(client, db):
    data = check_answers({})
    del data["la1"]
    response = client.post("/assessment/check/", data)
    assert response.status_code == 400
    assert "Pick an answer" in response.content.decode()


def test_a_check_two_away_from_the_rating_is_pointed_out_and_the_confirmed_rating_wins(
    user_client, user, catalogue
):
    user_client.post(URL, answers(calculus="1"))
    response = user_client.post("/assessment/check/",
                                check_answers({"calculus": 4}, seed=str(user.pk)))
    assert "differ by 2 or more" in response.content.decode()

    page = user_client.get(URL).content.decode()
    assert "which suggests 5" in page
    assert "you may want to adjust it" in page

    # The learner keeps their own rating: it is what the roadmap uses.
    user_client.post(URL, answers(linear_algebra="4", calculus="1"))
    latest = user.assessments.first()
    assert latest.calculus == 1
    assert latest.calibration["calculus"]["score"] == 4
    assert user.roadmap.stages.first().area == "calculus"


@pytest.mark.parametrize(("sent", "stored"), [("", None), ("2", 2), (None, None)])
def test_discrete_maths_is_an_optional_fifth_rating_after_the_core_areas(
    user_client, user, catalogue, sent, stored
):
    data = answers(goal="research")
    if sent is not None:
        data["discrete_math"] = sent
    response = user_client.post(URL, data)
    assert response.status_code == 302
    assert user.assessments.get().discrete_math == stored
    areas = [s.area for s in user.roadmap.stages.all()]
    # Rated 2, or left blank with a goal that leans on graphs and logic: after the core.
    assert areas[-2:] == ["discrete-math", "go-deeper"]
    html = user_client.get(URL).content.decode()
    assert html.index('name="programming"') < html.index('name="discrete_math"')


def test_discrete_maths_out_of_range_is_refused_and_the_answers_kept(client, db):
    response = client.post(URL, answers(discrete_math="9"))
    assert response.status_code == 400
    assert "Choose a rating from 1 to 5." in response.content.decode()
