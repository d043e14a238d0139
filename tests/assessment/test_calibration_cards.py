"""The calibration check built from the concept cards: spread, shuffled per learner, scored."""

import pytest

from assessment import calibration as checks
from assessment.calibration import CardText


def cards_for(domain, concepts):
    """Three cards per concept (worked, formula, meaning), each with its own answer."""
    return [
        CardText(domain, slug, level, n, kind, f"{kind} of {slug}?", f"{kind} answer of {slug}")
        for n, (slug, level) in enumerate(concepts)
        for kind in ("worked", "formula", "meaning")
    ]


LA = cards_for("linear-algebra", [("eigenvalues", "intermediate"), ("vectors", "beginner"),
                                  ("svd", "advanced"), ("matrices", "beginner")])


def test_each_area_asks_about_its_concepts_one_card_each_easiest_first():
    asked = [q for q in checks.build_questions(LA) if q.area == "linear_algebra"]
    assert [q.key for q in asked] == ["la1", "la2", "la3", "la4"]
    assert [q.text for q in asked] == [
        "worked of vectors?", "worked of matrices?", "worked of eigenvalues?", "worked of svd?"
    ]


def test_the_wrong_choices_are_other_concepts_answers_and_the_right_one_is_the_cards():
    question = checks.build_questions(LA)[0]
    assert question.choices[question.correct] == "worked answer of vectors"
    assert len(set(question.choices)) == 4
    assert all("vectors" not in choice for choice in question.choices[1:])


def test_an_area_with_too_few_cards_keeps_the_fixed_questions():
    questions = checks.build_questions(LA)
    calculus = [q for q in questions if q.area == "calculus"]
    assert calculus == checks.QUESTIONS_BY_AREA["calculus"]


def test_answer_positions_are_shuffled_per_learner_and_stable_for_each():
    questions = checks.build_questions(LA)
    ada, bob = checks.shuffled(questions, "1"), checks.shuffled(questions, "2")
    assert checks.shuffled(questions, "1") == ada
    assert [q.correct for q in ada] != [q.correct for q in bob]
    for mine, original in zip(ada, questions, strict=True):
        assert mine.choices[mine.correct] == original.choices[original.correct]
    # Over many learners the right answer is not stuck in one place.
    places = {q.correct for seed in range(30) for q in checks.shuffled(questions, str(seed))}
    assert places == {0, 1, 2, 3}


def test_the_fixed_questions_are_shuffled_too():
    fixed = checks.shuffled(checks.QUESTIONS, "7")
    assert sum(q.correct == 1 for q in fixed) < 12


@pytest.mark.parametrize(("right", "suggested"), [(0, 1), (2, 3), (4, 5)])
def test_a_score_suggests_a_rating(right, suggested):
    questions = checks.shuffled(checks.build_questions(LA), "3")
    answers = {}
    for n, q in enumerate(q for q in questions if q.area == "linear_algebra"):
        answers[q.key] = q.correct if n < right else (q.correct + 1) % 4
    assert checks.score(answers, questions)["linear_algebra"]["suggested"] == suggested


@pytest.fixture
def concept_cards(db):
    from tests.assessment.factories import small_catalogue
    from tests.progress.concepts import concept_with_cards

    made = small_catalogue()
    for n, level in enumerate(["beginner", "beginner", "intermediate", "advanced"]):
        concept_with_cards(f"la-concept-{n}", [made["linear-algebra-beginner-1"]], level=level)


def test_the_check_page_asks_the_cards_with_typeset_maths_and_shows_both_answers(
    user_client, user, concept_cards, django_assert_max_num_queries
):
    # Session, user, the cards; the page's own reads.
    with django_assert_max_num_queries(6):
        page = user_client.get("/assessment/check/")
    html = page.content.decode()
    assert "Worked of la-concept-0" in html and "<math" in html
    questions = page.context["form"].questions
    la = [q for q in questions if q.area == "linear_algebra"]
    assert [q.key for q in la] == ["la1", "la2", "la3", "la4"]
    data = {q.key: str((q.correct + 1) % len(q.choices)) for q in questions}
    data.update({q.key: str(q.correct) for q in la[:2]})
    result = user_client.post("/assessment/check/", data).content.decode()
    assert "Linear algebra: 2 of 4" in result
    wrong = la[2]
    assert "Your answer: " in result and "Right answer: " in result
    assert wrong.choices[(wrong.correct + 1) % 4].split("$")[0] in result


def test_two_learners_see_the_right_answers_in_different_places(client, concept_cards):
    from tests.factories import UserFactory

    places = []
    for _ in range(4):
        client.force_login(UserFactory())
        form = client.get("/assessment/check/").context["form"]
        places.append(tuple(q.correct for q in form.questions))
    assert len(set(places)) > 1
