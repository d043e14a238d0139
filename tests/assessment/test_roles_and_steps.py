"""Roles inside a step, step and stage completion, honest time, discrete maths, prerequisites."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.roadmap import (
    CALCULUS,
    DISCRETE_MATH,
    GO_DEEPER,
    LEVEL_RANK,
    LINEAR_ALGEBRA,
    PROBABILITY_STATISTICS,
    PROGRAMMING,
    Item,
    ResourceInfo,
    RoadmapInput,
    build,
    track,
)

LA, CALC, PROB, PROG = LINEAR_ALGEBRA, CALCULUS, PROBABILITY_STATISTICS, PROGRAMMING
DM = DISCRETE_MATH
MONDAY = date(2026, 1, 5)


def r(slug, level, *domains, **kwargs):
    return ResourceInfo(slug=slug, title=slug.replace("-", " ").title(), level=level,
                        domains=domains, **kwargs)


# The guide's "combine all three" for a beginner in linear algebra, and its calculus.
GUIDE = (
    r("3blue1brown-la", "beginner", LA, role="understand", format="video-series",
      estimated_hours=4),
    r("khan-la", "beginner", LA, role="practise", estimated_hours=30),
    r("brilliant-la", "beginner", LA, role="practise", is_free=False, estimated_hours=12),
    r("numpy", "beginner", LA, PROG, role="apply", format="tool", estimated_hours=8),
    r("mml", "intermediate", LA, CALC, PROB, role="understand", format="book",
      estimated_hours=40),
    r("andrew-ng", "intermediate", LA, CALC, role="practise", estimated_hours=60),
    r("fast-ai", "intermediate", CALC, PROG, role="apply", optimisation_focused=True,
      estimated_hours=30),
    r("mit-calculus", "intermediate", CALC, role="practise", estimated_hours=50),
    r("matrix-calculus", "advanced", CALC, role="understand", optimisation_focused=True,
      estimated_hours=10),
    r("think-stats", "intermediate", PROB, PROG, role="apply", approach="applied",
      estimated_hours=20),
    r("stat-110", "advanced", PROB, role="practise", approach="theory", estimated_hours=60),
    r("kaggle", "intermediate", PROG, role="apply", estimated_hours=10),
    r("comp-la", "advanced", PROG, LA, role="practise", estimated_hours=30),
    r("levin-discrete", "beginner", DM, role="practise", format="book", estimated_hours=40),
    r("mit-6042", "intermediate", DM, role="practise", estimated_hours=60),
    r("goodfellow", "advanced", LA, is_reference=True, format="book", role="reference"),
)


def plan_for(la=5, calc=5, prob=5, prog=5, dm="absent", goal="computer-vision",
             catalogue=GUIDE, **kwargs):
    ratings = {"linear_algebra": la, "calculus": calc, "probability_statistics": prob,
               "programming": prog}
    if dm != "absent":
        ratings["discrete_math"] = dm
    kwargs.setdefault("starts_on", MONDAY)
    return build(RoadmapInput(ratings=ratings, goal=goal, catalogue=catalogue, **kwargs))


def stage(plan, area):
    return next(s for s in plan.stages if s.area == area)


def roles(entries, step):
    """{role: [slugs in order]} of one step."""
    found = {}
    for e in entries:
        if e.step == step:
            found.setdefault(e.role, []).append(e.slug)
    return found


# --- Roles in the guide's order -------------------------------------------------------------

def test_a_beginner_step_combines_understand_practise_and_apply_in_the_guides_order():
    la = stage(plan_for(la=2, calc=4, prob=3, prog=3), LA)
    beginner = roles(la.entries, f"{LA}/beginner")
    assert list(beginner) == ["understand", "practise", "apply"]
    assert beginner == {"understand": ["3blue1brown-la"], "practise": ["khan-la", "brilliant-la"],
                        "apply": ["numpy"]}
    first = la.entries[0]
    assert first.reason.startswith("Understand: start here")
    assert "then practise it with Khan La" in first.reason
    khan = next(e for e in la.entries if e.slug == "khan-la")
    assert khan.chosen and "it is free" in khan.reason
    brilliant = next(e for e in la.entries if e.slug == "brilliant-la")
    assert not brilliant.chosen and "an alternative to Khan La" in brilliant.reason


def test_references_are_never_required_and_take_no_time():
    plan = plan_for(la=2)
    deeper = stage(plan, GO_DEEPER)
    assert [e.role for e in deeper.entries] == ["reference"]
    assert deeper.weeks == 0


# --- Step and stage completion (table) ------------------------------------------------------

def items(*rows):
    """Rows of (step, role, chosen, done, skipped, optional) in one stage, 10 hours each."""
    return [
        Item(key=n, stage=0, step=step, role=role, chosen=chosen, done=done, skipped=skipped,
             optional=optional, hours=10)
        for n, (step, role, chosen, done, skipped, optional) in enumerate(rows)
    ]


U, P, A, REF = "understand", "practise", "apply", "reference"


@pytest.mark.parametrize(
    ("rows", "done", "total"),
    [
        # Nothing done: one step.
        ([("s", U, 1, 0, 0, 0), ("s", P, 1, 0, 0, 0), ("s", P, 0, 0, 0, 0)], 0, 1),
        # One alternative per role done: the step is done, the other alternative not needed.
        ([("s", U, 1, 1, 0, 0), ("s", P, 1, 0, 0, 0), ("s", P, 0, 1, 0, 0)], 1, 1),
        # A role left undone keeps the step open.
        ([("s", U, 1, 1, 0, 0), ("s", P, 1, 0, 0, 0), ("s", A, 1, 0, 0, 0)], 0, 1),
        # A reference is never required.
        ([("s", P, 1, 1, 0, 0), ("s", REF, 1, 0, 0, 0)], 1, 1),
        # A role whose every alternative is skipped drops out.
        ([("s", P, 1, 1, 0, 0), ("s", A, 1, 0, 1, 0)], 1, 1),
        # Optional refreshers are not a step.
        ([("r", P, 1, 0, 0, 1), ("s", P, 1, 0, 0, 0)], 0, 1),
        # Two steps, one done.
        ([("a", P, 1, 1, 0, 0), ("b", P, 1, 0, 0, 0)], 1, 2),
    ],
)
def test_a_role_is_done_with_one_alternative_and_a_step_with_each_required_role(
    rows, done, total
):
    tracked = track(items(*rows), [0], 10, MONDAY)
    assert (tracked.steps_done, tracked.steps_total) == (done, total)
    assert (tracked.stages[0].done, tracked.stages[0].total) == (done, total)
    assert tracked.percent == (round(100 * done / total) if total else 0)


def test_finishing_one_resource_per_required_role_of_every_step_gives_100_percent():
    plan = plan_for(la=2, calc=4, prob=3, prog=3)
    rows = []
    for s in plan.stages:
        seen = set()
        for n, e in enumerate(s.entries):
            first = (e.step, e.role) not in seen
            seen.add((e.step, e.role))
            rows.append(Item(key=(s.index, n), stage=s.index, step=e.step, role=e.role,
                             chosen=e.chosen, optional=e.optional, done=first, hours=e.hours))
    tracked = track(rows, range(len(plan.stages)), 5, MONDAY)
    assert tracked.steps_total > 0 and tracked.percent == 100
    assert tracked.next_step is None


# --- Honest time ------------------------------------------------------------------------------

def test_hours_count_the_chosen_alternative_of_each_role():
    rows = items(("s", U, 1, 0, 0, 0), ("s", P, 1, 0, 0, 0), ("s", P, 0, 0, 0, 0))
    rows[2] = Item(key=2, stage=0, step="s", role=P, hours=40)
    first = track(rows, [0], 10, MONDAY)
    assert first.stages[0].weeks == 2  # understand 10 h + the chosen practise 10 h
    picked = [rows[0], Item(key=1, stage=0, step="s", role=P, hours=10),
              Item(key=2, stage=0, step="s", role=P, hours=40, chosen=True)]
    second = track(picked, [0], 10, MONDAY)
    assert second.stages[0].weeks == 5  # 10 h + the other pick's 40 h
    assert second.finishes_on > first.finishes_on
    understand, practise = second.stages[0].steps[0].roles
    assert understand.starts_on == MONDAY and practise.starts_on == understand.finishes_on


def test_a_skipped_pick_counts_the_next_alternative_left():
    rows = [Item(key=0, stage=0, step="s", role=P, chosen=True, skipped=True, hours=40),
            Item(key=1, stage=0, step="s", role=P, hours=10)]
    assert track(rows, [0], 10, MONDAY).stages[0].weeks == 1


@pytest.mark.parametrize(("weekly", "weeks"), [(5, 4), (10, 2), (20, 1)])
def test_weekly_hours_move_the_dates(weekly, weeks):
    rows = items(("s", U, 1, 0, 0, 0), ("s", P, 1, 0, 0, 0))
    tracked = track(rows, [0], weekly, MONDAY)
    assert tracked.stages[0].weeks == weeks
    assert tracked.finishes_on == MONDAY + timedelta(weeks=weeks)


# --- Calculus: optimisation first -------------------------------------------------------------

def test_a_calculus_stage_at_3_to_4_has_an_intermediate_optimisation_focused_step():
    # Calculus ties with programming at 4; for computer vision calculus comes first.
    calc = stage(plan_for(la=2, calc=4, prob=3, prog=4), CALC)
    intermediate = {e.slug: e for e in calc.entries if e.step == f"{CALC}/intermediate"}
    assert "derivatives and gradients" in intermediate["fast-ai"].reason


# --- Multi-area resources ---------------------------------------------------------------------

def test_a_multi_area_course_is_a_step_once_and_already_on_the_plan_afterwards():
    plan = plan_for(la=2, calc=2, prob=5, prog=5)
    la, calc = stage(plan, LA), stage(plan, CALC)
    # Calculus below 3 with linear algebra below 3: linear algebra first, then calculus.
    assert "andrew-ng" in {e.slug for e in la.entries}
    assert "andrew-ng" not in {e.slug for e in calc.entries}
    already = {a.slug: a.stage for a in calc.already_planned}
    assert already["andrew-ng"] == la.index


# --- Discrete maths ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("dm", "goal", "planned"),
    [
        (2, "computer-vision", True),
        (4, "nlp", True),
        (5, "research", False),
        (None, "research", True),
        (None, "recommender-systems", True),
        (None, "computer-vision", False),
        (None, "general-ml", False),
    ],
)
def test_discrete_maths_follows_the_four_core_areas(dm, goal, planned):
    plan = plan_for(la=2, calc=3, prob=4, prog=1, dm=dm, goal=goal)
    areas = [s.area for s in plan.stages]
    assert (DM in areas) == planned
    if planned:
        assert areas[-2:] == [DM, GO_DEEPER]
        steps = {e.step for e in stage(plan, DM).entries if not e.optional}
        assert steps == ({f"{DM}/beginner", f"{DM}/intermediate"} if dm is None or dm <= 2
                         else {f"{DM}/intermediate"})


def test_discrete_maths_rated_1_comes_after_core_areas_rated_higher():
    plan = plan_for(la=4, calc=4, prob=4, prog=4, dm=1)
    assert [s.area for s in plan.stages][-2:] == [DM, GO_DEEPER]
    assert "follows the guide's four core areas" in stage(plan, DM).summary


# --- Prerequisites ----------------------------------------------------------------------------

def test_a_resource_comes_after_its_prerequisite_and_says_what_it_builds_on():
    catalogue = (
        r("la-course", "beginner", LA, role="practise"),
        r("calc-course", "beginner", CALC, role="practise", prerequisites=("la-course",)),
        # An understand role that needs the practise course of its own step: it moves on.
        r("calc-video", "beginner", CALC, role="understand", prerequisites=("calc-course",)),
        r("calc-video-2", "intermediate", CALC, role="understand"),
    )
    plan = plan_for(la=2, calc=1, catalogue=catalogue)
    order = plan.slugs
    assert order.index("la-course") < order.index("calc-course")
    calc = stage(plan, CALC)
    course = next(e for e in calc.entries if e.slug == "calc-course")
    assert "it builds on La Course (stage 1)" in course.reason
    assert "calc-video" not in order  # it could only come before its prerequisite


AREAS = [LA, CALC, PROB, PROG, DM]


@st.composite
def catalogues_with_prerequisites(draw):
    size = draw(st.integers(0, 20))
    made = []
    for n in range(size):
        earlier = [f"r{m}" for m in range(n)]
        made.append(ResourceInfo(
            slug=f"r{n}",
            title=f"R{n}",
            level=draw(st.sampled_from(list(LEVEL_RANK))),
            domains=tuple(draw(st.lists(st.sampled_from(AREAS), min_size=1, max_size=3,
                                        unique=True))),
            is_free=draw(st.booleans()),
            role=draw(st.sampled_from(["", "understand", "practise", "apply", "reference"])),
            format=draw(st.sampled_from(["course", "video-series", "tool", "book"])),
            optimisation_focused=draw(st.booleans()),
            # Edges only to earlier resources: the catalogue's own rule, no cycles.
            prerequisites=tuple(draw(st.lists(st.sampled_from(earlier), max_size=3,
                                              unique=True))) if earlier else (),
            estimated_hours=draw(st.one_of(st.none(), st.integers(1, 80))),
        ))
    # Shuffled, so the order of the file never hides a violation.
    return tuple(draw(st.permutations(made)))


@settings(max_examples=200, deadline=None)
@given(
    catalogue=catalogues_with_prerequisites(),
    ratings=st.tuples(*[st.integers(1, 5)] * 4),
    dm=st.one_of(st.none(), st.integers(1, 5)),
    goal=st.sampled_from(["computer-vision", "nlp", "recommender-systems", "general-ml",
                          "research"]),
    free_only=st.booleans(),
)
def test_no_resource_is_ever_scheduled_before_a_prerequisite_on_the_plan(
    catalogue, ratings, dm, goal, free_only
):
    plan = plan_for(*ratings, dm=dm, goal=goal, catalogue=catalogue, free_only=free_only)
    position = {slug: n for n, slug in enumerate(plan.slugs)}
    assert len(position) == len(plan.slugs)
    steps = {e.slug for s in plan.stages for e in s.entries if not e.optional}
    prerequisites = {res.slug: res.prerequisites for res in catalogue}
    for slug, at in position.items():
        for p in prerequisites[slug]:
            # Every prerequisite that is a step of the plan comes first.
            assert p not in steps or position[p] < at, (slug, p)
    # Levels never go backwards inside a stage, and a role's first alternative is chosen.
    for s in plan.stages[:-1]:
        ranks = [LEVEL_RANK[e.level] for e in s.entries]
        assert ranks == sorted(ranks)
        firsts = {}
        for e in s.entries:
            firsts.setdefault((e.step, e.role), e)
        assert all(e.chosen == (firsts[(e.step, e.role)] is e) for e in s.entries)


def test_an_optional_refresher_does_not_hold_back_what_builds_on_it():
    catalogue = (
        r("calc-course", "beginner", CALC, role="practise", prerequisites=("la-basics",)),
        r("la-basics", "beginner", LA, role="practise"),
        r("la-more", "intermediate", LA, role="practise"),
    )
    # Calculus below 3 comes first; linear algebra at 3 offers its beginner course as a
    # refresher only, so the calculus course keeps its place.
    plan = plan_for(la=3, calc=2, catalogue=catalogue)
    assert plan.stages[0].area == CALC
    assert [e.slug for e in plan.stages[0].entries] == ["calc-course"]


# The shipped catalogue's plans (every area rated 1-4 gets required work at its levels)
# are checked in test_shipped_catalogue_plans.py, on the catalogue as loadcatalog loads it.
