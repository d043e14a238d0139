"""The "code it within 24 hours" exercise per area."""

import pytest

from progress.exercises import EXERCISES, GENERAL, domain_for_exercise, exercise_for

AREAS = [
    "linear-algebra", "calculus", "probability-statistics", "discrete-math",
    "programming-math", "deep-learning", "research",
]


def test_every_area_and_the_fallback_has_an_exercise():
    assert set(EXERCISES) == {*AREAS, GENERAL}


@pytest.mark.parametrize("slug", [*AREAS, GENERAL])
def test_each_exercise_has_a_title_and_a_short_task(slug):
    exercise = EXERCISES[slug]
    assert exercise.title
    sentences = [s for s in exercise.task.replace("?", ".").split(". ") if s.strip()]
    assert 2 <= len(sentences) <= 4, exercise.task


@pytest.mark.parametrize(
    ("slugs", "expected"),
    [
        (["calculus"], "calculus"),
        (["study-skills", "probability-statistics"], "probability-statistics"),
        (["study-skills"], GENERAL),
        ([], GENERAL),
    ],
)
def test_a_resource_gets_the_exercise_of_its_first_area_that_has_one(slugs, expected):
    assert domain_for_exercise(slugs) == expected


def test_an_unknown_area_gets_the_general_exercise():
    assert exercise_for("knitting") == EXERCISES[GENERAL]
    assert exercise_for("") == EXERCISES[GENERAL]
    assert "gradient descent" in exercise_for("calculus").title.lower()
