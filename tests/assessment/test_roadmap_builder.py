"""The roadmap builder, rule by rule, and its properties over every rating and goal."""

import itertools
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.roadmap import (
    CALCULUS,
    GO_DEEPER,
    LEVEL_RANK,
    LINEAR_ALGEBRA,
    PROBABILITY_STATISTICS,
    PROGRAMMING,
    ResourceInfo,
    RoadmapInput,
    build,
)

LA, CALC, PROB, PROG = LINEAR_ALGEBRA, CALCULUS, PROBABILITY_STATISTICS, PROGRAMMING
GOALS = ["computer-vision", "nlp", "recommender-systems", "general-ml", "research"]


def r(slug, level, *domains, **kwargs):
    return ResourceInfo(slug=slug, title=slug.replace("-", " ").title(), level=level,
                        domains=domains, **kwargs)


# A small catalogue with every level in every area, a paid alternative, style variety,
# the applied/theory split, optimisation-focused calculus, references and research sources.
CATALOGUE = (
    r("khan-linear-algebra", "beginner", LA, styles=("structured",)),
    r("essence-of-linear-algebra", "beginner", LA, styles=("visual",), format="video-series"),
    r("brilliant-linear-algebra", "beginner", LA, is_free=False, styles=("active",)),
    r("andrew-ng-ml", "intermediate", LA, CALC, styles=("structured",)),
    r("mml-book", "intermediate", LA, CALC, PROB, styles=("reading",), format="book"),
    r("linear-algebra-done-right", "advanced", LA, styles=("reading",), format="book"),
    r("khan-calculus", "beginner", CALC, styles=("structured",)),
    r("essence-of-calculus", "beginner", CALC, styles=("visual",), optimisation_focused=True),
    r("fast-ai", "intermediate", CALC, styles=("hands-on",), optimisation_focused=True),
    r("mit-calculus", "intermediate", CALC, styles=("reading",)),
    r("matrix-calculus", "advanced", CALC, optimisation_focused=True),
    r("khan-statistics", "beginner", PROB, styles=("structured",)),
    r("statquest", "beginner", PROB, styles=("visual",), approach="applied"),
    r("think-stats", "intermediate", PROB, styles=("hands-on",), approach="applied"),
    r("probability-theory-course", "intermediate", PROB, approach="theory"),
    r("bayesian-methods", "advanced", PROB, approach="applied", is_free=False),
    r("kaggle-learn", "beginner", PROG, styles=("hands-on",)),
    r("numpy-course", "intermediate", PROG, styles=("hands-on",), is_free=False),
    r("google-crash-course", "intermediate", PROG, CALC, styles=("hands-on", "visual")),
    r("numerical-python", "advanced", PROG),
    r("deep-learning-book", "advanced", LA, CALC, PROB, is_reference=True, format="book"),
    r("bishop-prml", "advanced", PROB, is_reference=True, format="book", is_free=False),
    r("arxiv", "advanced", format="research-source"),
    r("papers-with-code", "intermediate", format="research-source"),
    r("distill", "intermediate", format="research-source", styles=("visual",)),
)


def plan_for(la=5, calc=5, prob=5, prog=5, goal="general-ml", catalogue=CATALOGUE, **kwargs):
    ratings = {"linear_algebra": la, "calculus": calc,
               "probability_statistics": prob, "programming": prog}
    kwargs.setdefault("starts_on", date(2026, 1, 5))
    return build(RoadmapInput(ratings=ratings, goal=goal, catalogue=catalogue, **kwargs))


def areas(plan):
    return [s.area for s in plan.stages]


def stage(plan, area):
    return next(s for s in plan.stages if s.area == area)


LEVELS = {res.slug: res.level for res in CATALOGUE}


# --- Rules 1-3: which areas, in which order ----------------------------------------------

@pytest.mark.parametrize(
    ("ratings", "goal", "expected"),
    [
        # Rule 1: linear algebra below 3 comes first whatever the others.
        ((2, 1, 1, 1), "nlp", [LA, PROB, CALC, PROG]),
        ((1, 4, 4, 4), "computer-vision", [LA, CALC, PROB, PROG]),
        ((2, 3, 1, 5), "recommender-systems", [LA, PROB, CALC]),
        # Rule 2: linear algebra solid, calculus below 3 comes first.
        ((3, 2, 1, 1), "nlp", [CALC, PROB, PROG, LA]),
        ((5, 1, 1, 5), "research", [CALC, PROB]),
        ((4, 2, 4, 4), "recommender-systems", [CALC, PROB, LA, PROG]),
        # Rule 3: weakest first.
        ((4, 3, 4, 1), "computer-vision", [PROG, CALC, LA, PROB]),
        ((3, 4, 5, 3), "general-ml", [LA, PROG, CALC]),
        # Rule 4: an area rated 5 is never a stage.
        ((5, 5, 5, 5), "general-ml", []),
        ((5, 5, 4, 5), "nlp", [PROB]),
    ],
)
def test_it_orders_stages_by_the_decision_tree(ratings, goal, expected):
    plan = plan_for(*ratings, goal=goal)
    assert areas(plan) == [*expected, GO_DEEPER]


@pytest.mark.parametrize(
    ("goal", "expected"),
    [
        ("computer-vision", [LA, CALC, PROB, PROG]),
        ("general-ml", [LA, CALC, PROB, PROG]),
        ("research", [LA, CALC, PROB, PROG]),
        ("nlp", [PROB, LA, CALC, PROG]),
        ("recommender-systems", [PROB, LA, CALC, PROG]),
    ],
)
def test_it_breaks_a_four_way_tie_by_the_goal(goal, expected):
    assert areas(plan_for(3, 3, 3, 3, goal=goal)) == [*expected, GO_DEEPER]


@pytest.mark.parametrize(
    ("ratings", "goal", "expected"),
    [
        # Two-way ties among the remaining areas.
        ((3, 4, 4, 3), "computer-vision", [LA, PROG, CALC, PROB]),
        ((3, 4, 4, 3), "nlp", [LA, PROG, PROB, CALC]),
        ((4, 4, 3, 3), "recommender-systems", [PROB, PROG, LA, CALC]),
        ((4, 4, 3, 3), "general-ml", [PROB, PROG, LA, CALC]),
        ((4, 3, 3, 4), "research", [CALC, PROB, LA, PROG]),
        ((4, 3, 3, 4), "nlp", [PROB, CALC, LA, PROG]),
        # Ties behind a rule-1 or rule-2 first stage.
        ((1, 3, 3, 5), "computer-vision", [LA, CALC, PROB]),
        ((1, 3, 3, 5), "recommender-systems", [LA, PROB, CALC]),
        ((3, 1, 4, 3), "nlp", [CALC, LA, PROG, PROB]),
        ((4, 1, 4, 4), "recommender-systems", [CALC, PROB, LA, PROG]),
    ],
)
def test_it_breaks_partial_ties_by_the_goal(ratings, goal, expected):
    assert areas(plan_for(*ratings, goal=goal)) == [*expected, GO_DEEPER]


def test_the_stage_summary_explains_a_tie():
    plan = plan_for(4, 4, 3, 3, goal="nlp")
    assert "the same as programming mathematics" in stage(plan, PROB).summary
    assert "for natural language processing it comes first" in stage(plan, PROB).summary
    assert "after probability & statistics" in stage(plan, PROG).summary


# --- Rule 4: levels inside an area --------------------------------------------------------

def test_a_weak_area_starts_with_beginner_then_intermediate_and_no_advanced():
    la = stage(plan_for(la=2), LA)
    levels = [LEVELS[e.slug] for e in la.entries]
    assert levels[0] == "beginner"
    assert set(levels) == {"beginner", "intermediate"}
    assert not any(e.optional for e in la.entries)


def test_a_middling_area_offers_beginner_only_as_optional_refreshers():
    la = stage(plan_for(la=3), LA)
    steps = [LEVELS[e.slug] for e in la.entries if not e.optional]
    refreshers = [LEVELS[e.slug] for e in la.entries if e.optional]
    assert steps == sorted(steps, key=LEVEL_RANK.get)
    assert set(steps) == {"intermediate", "advanced"}
    assert set(refreshers) == {"beginner"}
    assert all("optional refresher" in e.reason for e in la.entries if e.optional)


def test_refreshers_take_no_time():
    with_refreshers = stage(plan_for(la=4, weekly_hours=100), LA)
    assert with_refreshers.weeks == 1


# --- Rule 5 and its calculus twin ---------------------------------------------------------

def test_applied_statistics_comes_before_theory_within_a_level():
    slugs = [e.slug for e in stage(plan_for(prob=3), PROB).entries if not e.optional]
    assert slugs.index("think-stats") < slugs.index("probability-theory-course")


def test_optimisation_focused_calculus_comes_before_comprehensive_courses():
    calc = stage(plan_for(la=4, calc=2), CALC)
    slugs = [e.slug for e in calc.entries]
    assert slugs.index("essence-of-calculus") < slugs.index("khan-calculus")
    assert slugs.index("fast-ai") < slugs.index("mit-calculus")
    assert "derivatives and gradients" in calc.entries[0].reason


# --- Rule 6: go deeper --------------------------------------------------------------------

def test_go_deeper_is_last_with_references_then_research_sources_and_the_guides_advice():
    plan = plan_for(2, 2, 2, 2)
    last = plan.stages[-1]
    assert last.area == GO_DEEPER
    assert [e.slug for e in last.entries] == [
        "bishop-prml", "deep-learning-book", "distill", "papers-with-code", "arxiv",
    ]
    assert "reference encyclopedias" in last.advice
    assert "abstract" in last.advice
    assert "not to read cover to cover" in last.entries[0].reason
    for s in plan.stages[:-1]:
        assert not {"deep-learning-book", "arxiv"} & {e.slug for e in s.entries}


def test_a_learner_strong_everywhere_still_gets_a_roadmap_to_go_deeper():
    plan = plan_for(5, 5, 5, 5)
    assert areas(plan) == [GO_DEEPER]
    assert plan.stages[0].entries


# --- Rule 7: preferences ------------------------------------------------------------------

def test_free_only_drops_every_paid_resource():
    paid = {res.slug for res in CATALOGUE if not res.is_free}
    assert paid & set(plan_for(1, 1, 1, 1).slugs)
    assert not paid & set(plan_for(1, 1, 1, 1, free_only=True).slugs)


@pytest.mark.parametrize(
    ("styles", "first"),
    [
        ((), "khan-linear-algebra"),  # no preference: free first, then by name
        (("visual",), "khan-linear-algebra"),
        (("structured",), "khan-linear-algebra"),
        (("active",), "brilliant-linear-algebra"),
    ],
)
def test_preferred_styles_order_the_alternatives_inside_a_role(styles, first):
    # Roles keep the guide's order (the video series is always the understand role); the
    # learner's styles order the alternatives inside the practise role.
    la = stage(plan_for(la=1, styles=styles), LA)
    assert la.entries[0].slug == "essence-of-linear-algebra"
    practise = [e for e in la.entries if e.step == f"{LA}/beginner" and e.role == "practise"]
    assert practise[0].slug == first and practise[0].chosen
    if "structured" in styles or "active" in styles:
        assert "suits your preference" in practise[0].reason


def test_styles_never_reorder_levels():
    la = stage(plan_for(la=1, styles=("reading",)), LA)
    levels = [LEVEL_RANK[LEVELS[e.slug]] for e in la.entries]
    assert levels == sorted(levels)


def test_weekly_hours_give_weeks_and_a_projected_finish():
    catalogue = (
        r("a", "beginner", LA, estimated_hours=10),
        r("b", "intermediate", LA, estimated_hours=11),
        r("c", "beginner", CALC, estimated_hours=4),
        r("ref", "advanced", LA, is_reference=True, estimated_hours=200),
    )
    plan = plan_for(la=1, calc=1, catalogue=catalogue, weekly_hours=5)
    la, calc, deeper = plan.stages
    assert (la.weeks, la.starts_on, la.finishes_on) == (5, date(2026, 1, 5), date(2026, 2, 9))
    assert (calc.weeks, calc.starts_on) == (1, date(2026, 2, 9))
    # A reference is consulted, never required: it takes no time on the schedule.
    assert deeper.weeks == 0
    assert plan.finishes_on == deeper.finishes_on == calc.finishes_on == date(2026, 2, 16)


def test_alternatives_inside_a_step_count_once():
    catalogue = (
        r("first-choice", "beginner", LA, styles=("visual",), estimated_hours=10),
        r("alternative", "beginner", LA, estimated_hours=40),
        r("next-step", "intermediate", LA, estimated_hours=10),
    )
    la = stage(plan_for(la=1, catalogue=catalogue, styles=("visual",), weekly_hours=10), LA)
    assert [e.slug for e in la.entries] == ["first-choice", "alternative", "next-step"]
    assert la.weeks == 2


def test_more_hours_per_week_finish_sooner():
    slow = plan_for(1, 1, 1, 1, weekly_hours=3)
    fast = plan_for(1, 1, 1, 1, weekly_hours=20)
    assert fast.finishes_on < slow.finishes_on


# --- Whole-roadmap properties -------------------------------------------------------------

def test_a_resource_in_several_areas_appears_once_in_the_first_stage_that_wants_it():
    plan = plan_for(2, 2, 2, 5)
    holders = [s.area for s in plan.stages if "mml-book" in {e.slug for e in s.entries}]
    assert holders == [LA]


def test_the_same_input_always_gives_the_same_roadmap():
    reversed_catalogue = tuple(reversed(CATALOGUE))
    assert plan_for(2, 4, 3, 3, goal="computer-vision") == plan_for(
        2, 4, 3, 3, goal="computer-vision", catalogue=reversed_catalogue
    )


def test_every_entry_has_a_one_sentence_reason():
    for s in plan_for(1, 3, 4, 2, styles=("visual",)).stages:
        for e in s.entries:
            assert e.reason.endswith(".")
            assert e.reason.count(". ") == 0


def test_an_area_without_matching_resources_is_still_a_stage_that_takes_no_time():
    plan = plan_for(prog=2, catalogue=(r("only-la", "beginner", LA),))
    prog = stage(plan, PROG)
    assert prog.entries == () and prog.weeks == 0


ALL_COMBINATIONS = list(itertools.product(range(1, 6), repeat=4))


@pytest.mark.parametrize("free_only", [False, True])
def test_every_rating_and_goal_combination_gives_a_sound_roadmap(free_only):
    """All 5^4 x 5 inputs: exhaustive, so no sampling is needed."""
    paid = {res.slug for res in CATALOGUE if not res.is_free}
    for ratings, goal in itertools.product(ALL_COMBINATIONS, GOALS):
        plan = plan_for(*ratings, goal=goal, free_only=free_only)
        rated = dict(zip([LA, CALC, PROB, PROG], ratings, strict=True))
        assert plan.stages[-1].area == GO_DEEPER
        assert plan.slugs, (ratings, goal)
        assert len(plan.slugs) == len(set(plan.slugs)), (ratings, goal)
        assert {s.area for s in plan.stages[:-1]} == {a for a, v in rated.items() if v < 5}
        if free_only:
            assert not paid & set(plan.slugs)
        for s in plan.stages[:-1]:
            ranks = [LEVEL_RANK[LEVELS[e.slug]] for e in s.entries]
            assert ranks == sorted(ranks), (ratings, goal, s.area)
        if rated[LA] < 3:
            assert plan.stages[0].area == LA
        elif rated[CALC] < 3:
            assert plan.stages[0].area == CALC
        assert [s.index for s in plan.stages] == list(range(len(plan.stages)))
        assert all(a.finishes_on == b.starts_on for a, b in itertools.pairwise(plan.stages))


AREA_SLUGS = [LA, CALC, PROB, PROG, "discrete-math"]
resources = st.builds(
    ResourceInfo,
    slug=st.text("abcdefgh", min_size=1, max_size=6),
    title=st.just("A resource"),
    level=st.sampled_from(list(LEVEL_RANK)),
    domains=st.lists(st.sampled_from(AREA_SLUGS), max_size=3, unique=True).map(tuple),
    is_free=st.booleans(),
    styles=st.lists(st.sampled_from(["visual", "reading", "hands-on"]), unique=True).map(tuple),
    approach=st.sampled_from(["", "applied", "theory"]),
    optimisation_focused=st.booleans(),
    is_reference=st.booleans(),
    format=st.sampled_from(["course", "book", "research-source"]),
    estimated_hours=st.one_of(st.none(), st.integers(0, 200)),
)


@settings(max_examples=150, deadline=None)
@given(
    catalogue=st.lists(resources, max_size=25, unique_by=lambda res: res.slug).map(tuple),
    ratings=st.tuples(*[st.integers(1, 5)] * 4),
    goal=st.sampled_from(GOALS),
    free_only=st.booleans(),
    weekly_hours=st.integers(1, 80),
)
def test_any_catalogue_gives_a_sound_roadmap(catalogue, ratings, goal, free_only, weekly_hours):
    plan = plan_for(*ratings, goal=goal, catalogue=catalogue, free_only=free_only,
                    weekly_hours=weekly_hours)
    levels = {res.slug: res.level for res in catalogue}
    free = {res.slug for res in catalogue if res.is_free}
    assert len(plan.slugs) == len(set(plan.slugs))
    assert not free_only or set(plan.slugs) <= free
    rated = dict(zip([LA, CALC, PROB, PROG], ratings, strict=True))
    assert all(rated[s.area] < 5 for s in plan.stages[:-1])
    for s in plan.stages[:-1]:
        ranks = [LEVEL_RANK[levels[e.slug]] for e in s.entries]
        assert ranks == sorted(ranks)
    assert plan.finishes_on >= plan.starts_on


def test_without_a_style_preference_free_resources_come_before_paid_ones():
    la = stage(plan_for(la=1), LA)
    beginner = [e.slug for e in la.entries if not e.optional][:3]
    assert beginner.index("khan-linear-algebra") < beginner.index("brilliant-linear-algebra")
