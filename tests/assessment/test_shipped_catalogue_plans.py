"""Every area rated 1-4 gets real work from the shipped catalogue (issue 16, item 3).

The builder runs over every combination of the four core ratings, every goal and both
budgets, with discrete maths blank, at each of its two step-level bands and at 5, on the
curated data file as `loadcatalog` loads it (the plans of the shipped catalogue are checked
here only, each built once: the builder takes about a millisecond a plan).
"""

import io
import itertools

import pytest
from django.core.management import call_command
from django.db import transaction

from assessment.models import published_catalogue, resource_info
from assessment.roadmap import (
    AREA_DOMAINS,
    DISCRETE_MATH,
    GO_DEEPER,
    GOAL_ORDERS,
    REFERENCE,
    RoadmapInput,
    build,
    step_levels,
)

# The plans need no database, but the module fixture below does: the mark has it set up.
pytestmark = pytest.mark.django_db

CORE = list(AREA_DOMAINS)  # rating field names, in the builder's order
# Discrete maths always follows the core areas, so its rating only chooses its levels:
# 1 and 2 plan the same levels, and so do 3 and 4. Every goal meets None, 2, 4 and 5; the
# other rating of each level band is planned once more, with one goal.
DISCRETE_VALUES = [None, 2, 4, 5]
ONE_GOAL_DISCRETE_VALUES = [(1, "general-ml"), (3, "general-ml")]


@pytest.fixture(scope="module")
def shipped_catalogue(django_db_setup, django_db_blocker):
    """The curated data file as `loadcatalog` loads it, read once for the module.

    The builder is pure, so the module's tens of thousands of plans need the catalogue only
    as data; it is loaded inside a transaction rolled back at once, leaving the test
    database as it was for the tests that follow.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("loadcatalog", stdout=io.StringIO())
        catalogue = tuple(resource_info(resource) for resource in published_catalogue())
        transaction.set_rollback(True)
    return catalogue


def combinations(free_only):
    planned = itertools.product(
        itertools.product(range(1, 6), repeat=4), DISCRETE_VALUES, GOAL_ORDERS
    )
    if free_only:
        return planned
    one_goal = (
        (core, discrete, goal)
        for core in itertools.product(range(1, 6), repeat=4)
        for discrete, goal in ONE_GOAL_DISCRETE_VALUES
    )
    return itertools.chain(planned, one_goal)


@pytest.mark.parametrize("free_only", [False, True])
def test_every_stage_of_an_area_rated_1_to_4_has_a_required_step_at_its_level(
    shipped_catalogue, free_only
):
    """Each area stage has a required step, and every required step is at a level rule 4
    allows for its rating (discrete maths too, when it is planned)."""
    for core, discrete, goal in combinations(free_only):
        ratings = {**dict(zip(CORE, core, strict=True)), "discrete_math": discrete}
        by_area = {AREA_DOMAINS[name]: value for name, value in zip(CORE, core, strict=True)}
        by_area[DISCRETE_MATH] = discrete
        plan = build(
            RoadmapInput(
                ratings=ratings, goal=goal, catalogue=shipped_catalogue, free_only=free_only
            )
        )
        for stage in plan.stages:
            if stage.area == GO_DEEPER:
                continue
            allowed, _refreshers = step_levels(by_area[stage.area])
            required = [
                entry for entry in stage.entries if not entry.optional and entry.role != REFERENCE
            ]
            assert required, (core, discrete, goal, free_only, stage.area)
            assert {entry.level for entry in required} <= set(allowed), (
                core, discrete, goal, free_only, stage.area
            )


def test_the_acceptance_profile_gets_the_guides_own_picks_first(shipped_catalogue):
    """Linear algebra 2, calculus 4, probability 3, programming 3, computer vision."""
    ratings = {"linear_algebra": 2, "calculus": 4, "probability_statistics": 3,
               "programming": 3, "discrete_math": None}
    plan = build(RoadmapInput(ratings=ratings, goal="computer-vision",
                              catalogue=shipped_catalogue))
    first = plan.stages[0]
    assert first.area == AREA_DOMAINS["linear_algebra"]
    chosen = {(e.step, e.role): e.slug for e in first.entries if e.chosen}
    assert chosen[("linear-algebra/beginner", "understand")] == (
        "3blue1brown-essence-of-linear-algebra"
    )
    # The guide's structured practice (Khan Academy, or Brilliant), not a curators' addition.
    assert chosen[("linear-algebra/beginner", "practise")] in {
        "khan-academy-linear-algebra", "brilliant-linear-algebra-for-machine-learning"}
    assert chosen[("linear-algebra/beginner", "apply")] == "numpy"
    assert ("linear-algebra/intermediate", "practise") in chosen
    by_slug = {r.slug: r for r in shipped_catalogue}
    calculus = next(s for s in plan.stages if s.area == AREA_DOMAINS["calculus"])
    assert any(
        e.level == "intermediate" and not e.optional and by_slug[e.slug].optimisation_focused
        for e in calculus.entries
    ), [e.slug for e in calculus.entries]
