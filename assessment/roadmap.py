"""The roadmap builder: self-ratings, goal, preferences and the catalogue in; stages out.

A plain module with no database access, so every rule can be tested with tables. The rules
come from the guide's self-assessment and decision tree:

1. Linear algebra rated below 3 is the first stage, whatever the other ratings.
2. Otherwise calculus rated below 3 is the first stage.
3. The remaining areas rated below 5 follow, weakest first; ties follow the goal's order.
   Discrete maths (an optional fifth rating) never comes before the four core areas: it
   follows them when rated below 5, or when left blank and the goal leans on graphs and
   logic (recommender systems, research).
4. Rated 1-2: beginner, then intermediate. Rated 3-4: intermediate, then advanced, with
   beginner resources as optional refreshers. Rated 5: not a stage.
5. Probability & statistics: applied before theory. Calculus: optimisation-focused
   (derivatives, partial derivatives, gradients) before comprehensive courses.
6. A last "Go deeper" stage with the reference textbooks and the research sources.
7. Free-only drops paid resources; preferred styles order alternatives inside a role;
   weekly hours give each stage its weeks and the roadmap its projected finish date.
8. A resource never comes before one of its prerequisites that is also a step of the plan
   (an optional refresher holds nothing back: the learner's rating says they know it).

A step is one level inside an area (`linear-algebra/beginner`). Its resources play roles,
in the guide's order: understand (see the idea, 3Blue1Brown), practise (a structured
course, Khan Academy or Brilliant), apply (code it, NumPy in a notebook). Inside a role the
resources are alternatives: a role is done when one of them is, a step when each of its
required roles is, a stage when its steps are. References are consulted, never required.
Time counts one alternative per role: the learner's pick, by default the first.

A resource that serves several areas is a step in the first stage that wants it, and is
listed in the later ones as already on the plan.

The builder is deterministic: the same input always gives the same roadmap.
"""

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

LINEAR_ALGEBRA = "linear-algebra"
CALCULUS = "calculus"
PROBABILITY_STATISTICS = "probability-statistics"
PROGRAMMING = "programming-math"
DISCRETE_MATH = "discrete-math"
GO_DEEPER = "go-deeper"

# Rating field name -> catalogue domain slug: the four core areas of the guide's tree.
AREA_DOMAINS = {
    "linear_algebra": LINEAR_ALGEBRA,
    "calculus": CALCULUS,
    "probability_statistics": PROBABILITY_STATISTICS,
    "programming": PROGRAMMING,
}
# The optional fifth rating (blank allowed).
OPTIONAL_AREA_DOMAINS = {"discrete_math": DISCRETE_MATH}
AREA_TITLES = {
    LINEAR_ALGEBRA: "Linear algebra",
    CALCULUS: "Calculus",
    PROBABILITY_STATISTICS: "Probability & statistics",
    PROGRAMMING: "Programming mathematics",
    DISCRETE_MATH: "Discrete maths",
    GO_DEEPER: "Go deeper",
}

# Rule 3's tie-breaks, per goal.
_VISION_ORDER = (LINEAR_ALGEBRA, CALCULUS, PROBABILITY_STATISTICS, PROGRAMMING)
_PROBABILITY_FIRST = (PROBABILITY_STATISTICS, LINEAR_ALGEBRA, CALCULUS, PROGRAMMING)
GOAL_ORDERS = {
    "computer-vision": _VISION_ORDER,
    "nlp": _PROBABILITY_FIRST,
    "recommender-systems": _PROBABILITY_FIRST,
    "general-ml": _VISION_ORDER,
    "research": _VISION_ORDER,
}
GOAL_NAMES = {
    "computer-vision": "computer vision",
    "nlp": "natural language processing",
    "recommender-systems": "recommender systems",
    "general-ml": "general machine learning",
    "research": "research",
}
# Goals that lean on graphs and logic: discrete maths is planned even when left unrated.
GRAPH_GOALS = {"recommender-systems", "research"}

BEGINNER, INTERMEDIATE, ADVANCED = "beginner", "intermediate", "advanced"
LEVEL_RANK = {BEGINNER: 1, INTERMEDIATE: 2, ADVANCED: 3}
APPLIED, THEORY = "applied", "theory"
RESEARCH_SOURCE = "research-source"

UNDERSTAND, PRACTISE, APPLY, REFERENCE = "understand", "practise", "apply", "reference"
ROLE_ORDER = (UNDERSTAND, PRACTISE, APPLY, REFERENCE)
REQUIRED_ROLES = (UNDERSTAND, PRACTISE, APPLY)
# A lowered plan (the learner fell behind and chose to lower it): applying becomes optional.
LOWERED_REQUIRED_ROLES = (UNDERSTAND, PRACTISE)
ROLE_NAMES = {UNDERSTAND: "Understand", PRACTISE: "Practise", APPLY: "Apply",
              REFERENCE: "Reference"}
# A resource without a curated role takes the usual one for its format.
_FORMAT_ROLES = {"video-series": UNDERSTAND, "tool": APPLY, "practice-platform": APPLY}

STYLE_NAMES = {
    "visual": "visual learning",
    "structured": "structured practice",
    "active": "active problem solving",
    "hands-on": "hands-on coding",
    "reading": "reading",
}

# Hours assumed for a resource without an estimate, and for a reference or research source,
# which is consulted a few chapters or papers at a time rather than finished.
DEFAULT_HOURS = 15
CONSULT_HOURS = 5

GO_DEEPER_ADVICE = (
    "Don't read these like novels: treat the textbooks as reference encyclopedias. Work on "
    "real projects, meet a problem, then read the chapter that explains it (Deep Learning "
    "Part One alongside your projects, Chapter 6 when you meet backpropagation; Bishop's "
    "Chapters 1 and 2; Chapter 2 of The Elements of Statistical Learning). For papers, read "
    "the abstract first, then the introduction and conclusion, and only then the technical "
    "sections; name the core technique (optimisation, probability or linear algebra) and "
    "connect it to what you have already learned. Distill's visual articles are a good way "
    "in before an original paper."
)


@dataclass(frozen=True)
class ResourceInfo:
    """What the builder needs to know about one published catalogue resource."""

    slug: str
    title: str
    level: str
    domains: tuple[str, ...]
    is_free: bool = True
    styles: tuple[str, ...] = ()
    approach: str = ""
    optimisation_focused: bool = False
    beyond_guide: bool = False
    is_reference: bool = False
    format: str = "course"
    estimated_hours: int | None = None
    role: str = ""
    prerequisites: tuple[str, ...] = ()

    @property
    def consulted(self) -> bool:
        """References and research sources are consulted by topic in the last stage."""
        return self.is_reference or self.format == RESEARCH_SOURCE

    @cached_property
    def step_role(self) -> str:
        # Cached: the builder asks for it in every sort and grouping.
        return resource_role(self.role, self.format, self.consulted)


def resource_role(role: str, format_: str, consulted: bool) -> str:
    """The curated role, else the one the format usually plays."""
    if consulted:
        return REFERENCE
    return role or _FORMAT_ROLES.get(format_, PRACTISE)


@dataclass(frozen=True)
class RoadmapInput:
    # Keyed by the rating field names: the four core ones 1-5, `discrete_math` 1-5 or None.
    ratings: dict[str, int | None]  # without `discrete_math`, discrete maths is not planned
    goal: str
    catalogue: tuple[ResourceInfo, ...]
    free_only: bool = False
    styles: tuple[str, ...] = ()
    weekly_hours: int = 5
    starts_on: date = field(default_factory=date.today)


@dataclass(frozen=True)
class PlannedEntry:
    slug: str
    title: str
    level: str
    reason: str
    optional: bool = False
    hours: int = 0
    step: str = ""
    role: str = PRACTISE
    chosen: bool = False


@dataclass(frozen=True)
class AlreadyPlanned:
    """A multi-area resource shown again in a later stage it serves."""

    slug: str
    title: str
    stage: int  # the index of the stage where it is a step


@dataclass(frozen=True)
class PlannedStage:
    index: int
    area: str
    title: str
    summary: str
    entries: tuple[PlannedEntry, ...]
    weeks: int
    starts_on: date
    finishes_on: date
    advice: str = ""
    already_planned: tuple[AlreadyPlanned, ...] = ()


@dataclass(frozen=True)
class Plan:
    stages: tuple[PlannedStage, ...]
    starts_on: date
    finishes_on: date

    @property
    def slugs(self) -> list[str]:
        return [e.slug for s in self.stages for e in s.entries]


@dataclass
class _Draft:
    area: str
    rating: int | None
    summary: str
    # (resource, step, optional) in plan order: steps by level, roles in the guide's order.
    placed: list = field(default_factory=list)
    already: list = field(default_factory=list)


def build(data: RoadmapInput) -> Plan:
    """Build the roadmap for one assessment. Same input, same roadmap."""
    ratings = {AREA_DOMAINS[name]: value for name, value in data.ratings.items()
               if name in AREA_DOMAINS}
    extra = {OPTIONAL_AREA_DOMAINS[name]: value for name, value in data.ratings.items()
             if name in OPTIONAL_AREA_DOMAINS}
    styles = set(data.styles)
    catalogue = sorted(
        (r for r in data.catalogue if r.is_free or not data.free_only), key=lambda r: r.slug
    )
    by_slug = {r.slug: r for r in catalogue}
    areas = order_areas(ratings, data.goal, extra.get(DISCRETE_MATH, NOT_ASKED))

    # Rule 8: a resource placed before one of its prerequisites leaves that stage (it may
    # still be a step of a later stage it serves); repeat until nothing is out of order.
    excluded: set[tuple[str, str]] = set()
    while True:
        drafts = _draft(areas, {**ratings, **extra}, catalogue, styles, excluded)
        late = _out_of_order(drafts, by_slug)
        if not late:
            break
        excluded |= late

    position = {r.slug: i for i, (r, _, _) in enumerate(p for d in drafts for p in d.placed)}
    stage_of = {r.slug: d_index for d_index, d in enumerate(drafts) for r, _, _ in d.placed}
    stages = [(d, _entries(d, styles, by_slug, position, stage_of)) for d in drafts]
    deeper = _go_deeper_entries(catalogue, set(position))
    stages.append((_Draft(GO_DEEPER, None, GO_DEEPER_SUMMARY), deeper))

    items = [
        Item(key=(i, n), stage=i, step=e.step, role=e.role, optional=e.optional,
             chosen=e.chosen, hours=e.hours)
        for i, (_, entries) in enumerate(stages)
        for n, e in enumerate(entries)
    ]
    tracked = track(items, range(len(stages)), data.weekly_hours, data.starts_on)
    planned = tuple(
        PlannedStage(
            index=i,
            area=d.area,
            title=AREA_TITLES[d.area],
            summary=d.summary,
            entries=entries,
            weeks=tracked.stages[i].weeks,
            starts_on=tracked.stages[i].starts_on,
            finishes_on=tracked.stages[i].finishes_on,
            advice=GO_DEEPER_ADVICE if d.area == GO_DEEPER else "",
            already_planned=tuple(d.already),
        )
        for i, (d, entries) in enumerate(stages)
    )
    return Plan(stages=planned, starts_on=data.starts_on, finishes_on=tracked.finishes_on)


GO_DEEPER_SUMMARY = (
    "Once the foundations are in place, the textbooks researchers reference and the research "
    "itself keep you learning. Consult them by topic: they are never required steps."
)


NOT_ASKED = 0  # discrete maths absent from the input altogether (None means left blank)


def order_areas(
    ratings: dict[str, int], goal: str, discrete: int | None = NOT_ASKED
) -> list[tuple[str, int | None, str]]:
    """Rules 1-3: (area, rating, why it is there) for each area that becomes a stage."""
    goal_order = GOAL_ORDERS[goal]
    first = None
    if ratings[LINEAR_ALGEBRA] < 3:
        first = (
            LINEAR_ALGEBRA,
            f"First: you rated linear algebra {ratings[LINEAR_ALGEBRA]} of 5, and below 3 "
            "it always comes first, whatever your other scores, because everything else is "
            "built on it.",
        )
    elif ratings[CALCULUS] < 3:
        first = (
            CALCULUS,
            f"First: your linear algebra is solid but you rated calculus {ratings[CALCULUS]} "
            "of 5, so calculus comes first, starting with derivatives, partial derivatives "
            "and gradients rather than a comprehensive course.",
        )

    rest = [a for a in goal_order if ratings[a] < 5 and (first is None or a != first[0])]
    rest.sort(key=lambda a: (ratings[a], goal_order.index(a)))
    ordered = [(first[0], ratings[first[0]], first[1])] if first else []
    for area in rest:
        why = f"You rated {_lower(area)} {ratings[area]} of 5"
        tied = [a for a in rest if ratings[a] == ratings[area]]
        if len(tied) > 1:
            others = _join(a for a in tied if a != area)
            before = [a for a in tied[: tied.index(area)]]
            place = f"after {_join(before)}" if before else "first"
            why += f", the same as {others}; for {GOAL_NAMES[goal]} it comes {place}"
        elif not ordered:
            why = f"First: your weakest area. {why}"
        ordered.append((area, ratings[area], why + "."))
    if discrete is not None and discrete != NOT_ASKED and discrete < 5:
        ordered.append((
            DISCRETE_MATH,
            discrete,
            f"You rated discrete maths {discrete} of 5. It follows the guide's four core "
            "areas, which every model needs first.",
        ))
    elif discrete is None and goal in GRAPH_GOALS:
        ordered.append((
            DISCRETE_MATH,
            None,
            f"You left discrete maths unrated, but {GOAL_NAMES[goal]} leans on graphs and "
            "logic, so it follows the guide's four core areas.",
        ))
    return ordered


def _lower(area: str) -> str:
    return AREA_TITLES[area].lower()


def _join(areas) -> str:
    return " and ".join(_lower(a) for a in areas)


def step_levels(rating: int | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Rule 4: (levels that are steps, levels offered as optional refreshers).

    An unrated area (discrete maths left blank) starts from the beginning.
    """
    if rating is None or rating <= 2:
        return (BEGINNER, INTERMEDIATE), ()
    return (INTERMEDIATE, ADVANCED), (BEGINNER,)


def _sort_key(area: str, styles: set[str]):
    def key(r: ResourceInfo):
        if area == CALCULUS:
            focus = 0 if r.optimisation_focused else 1
        elif area == PROBABILITY_STATISTICS:
            focus = {APPLIED: 0, "": 1, THEORY: 2}.get(r.approach, 1)
        else:
            focus = 0
        # After the guide's own preferences and the learner's styles: free before paid,
        # and resources devoted to this area before broad ones that merely touch it.
        return (
            LEVEL_RANK[r.level],
            ROLE_ORDER.index(r.step_role),
            focus,
            -len(styles.intersection(r.styles)),
            r.beyond_guide,  # the guide's own picks first, the curators' additions after
            not r.is_free,
            len(r.domains),
            r.slug,
        )

    return key


def _draft(areas, ratings, catalogue, styles, excluded) -> list[_Draft]:
    """Each area's stage: which resources, in which step and order, and which repeat."""
    drafts = []
    placed_in: dict[str, int] = {}
    for area, rating, summary in areas:
        draft = _Draft(area, rating, summary)
        steps, refreshers = step_levels(rating)
        candidates = [
            r
            for r in catalogue
            if area in r.domains
            and not r.consulted
            and (area, r.slug) not in excluded
            and r.level in steps + refreshers
        ]
        candidates.sort(key=_sort_key(area, styles))
        fresh = []
        for r in candidates:
            if r.slug in placed_in:
                if r.level in steps:
                    draft.already.append(AlreadyPlanned(r.slug, r.title, placed_in[r.slug]))
            else:
                fresh.append(r)
        # Refreshers are beginner resources, so they sort first and levels never go backwards.
        for group in _role_groups(fresh):
            for r in _prerequisites_first(group):
                draft.placed.append((r, f"{area}/{r.level}", r.level in refreshers))
                placed_in[r.slug] = len(drafts)
        drafts.append(draft)
    return drafts


def _role_groups(resources):
    """Consecutive resources of the same level and role (they are sorted that way)."""
    groups: list[list] = []
    for r in resources:
        if groups and (groups[-1][0].level, groups[-1][0].step_role) == (r.level, r.step_role):
            groups[-1].append(r)
        else:
            groups.append([r])
    return groups


def _prerequisites_first(group):
    """The alternatives of one role, each after any prerequisite among them (else as sorted)."""
    left = list(group)
    ordered = []
    while left:
        ready = next(
            (r for r in left if not set(r.prerequisites) & {x.slug for x in left}), left[0]
        )
        ordered.append(ready)
        left.remove(ready)
    return ordered


def _out_of_order(drafts, by_slug) -> set[tuple[str, str]]:
    """(area, slug) of each resource placed before a prerequisite that is on the plan.

    An optional refresher holds nothing back: it is offered because the learner's rating
    says they already know its level.
    """
    position, required = {}, set()
    for d in drafts:
        for r, _, optional in d.placed:
            position[r.slug] = (len(position), d.area)
            if not optional:
                required.add(r.slug)
    late = set()
    for slug, (at, area) in position.items():
        if any(
            p in required and position[p][0] > at for p in by_slug[slug].prerequisites
        ):
            late.add((area, slug))
    return late


def _entries(draft: _Draft, styles, by_slug, position, stage_of) -> tuple[PlannedEntry, ...]:
    """The draft's resources as entries, the first of each role chosen, each with a reason."""
    entries = []
    groups = _role_groups([r for r, _, _ in draft.placed])
    optional = {r.slug: opt for r, _, opt in draft.placed}
    for number, group in enumerate(groups):
        later = [g for g in groups[number + 1:] if g[0].level == group[0].level]
        for index, r in enumerate(group):
            builds_on = [
                by_slug[p] for p in r.prerequisites
                if p in position and position[p] < position[r.slug]
            ]
            entries.append(
                PlannedEntry(
                    slug=r.slug,
                    title=r.title,
                    level=r.level,
                    reason=_reason(draft, r, styles, group, index, later, builds_on, stage_of),
                    optional=optional[r.slug],
                    hours=entry_hours(r.estimated_hours, False),
                    step=f"{draft.area}/{r.level}",
                    role=r.step_role,
                    chosen=index == 0,
                )
            )
    return tuple(entries)


def _go_deeper_entries(catalogue, used) -> tuple[PlannedEntry, ...]:
    chosen = [r for r in catalogue if r.consulted and r.slug not in used]
    # Textbooks first, then research sources; within each, easier first.
    chosen.sort(key=lambda r: (r.format == RESEARCH_SOURCE, LEVEL_RANK[r.level], r.slug))
    return tuple(
        PlannedEntry(
            slug=r.slug,
            title=r.title,
            level=r.level,
            reason=(
                "A research source: read abstracts first, then the introduction and "
                "conclusion, and connect each paper's core technique to what you know."
                if r.format == RESEARCH_SOURCE
                else "A reference to consult by topic when a project raises a question, "
                "not to read cover to cover."
            ),
            hours=entry_hours(r.estimated_hours, True),
            step=go_deeper_step(r.format),
            role=REFERENCE,
            chosen=True,
        )
        for r in chosen
    )


def _format_name(r: ResourceInfo) -> str:
    return r.format.replace("-", " ") if r.format else "resource"


_ROLE_WORDS = {
    UNDERSTAND: "start here to see what the ideas mean",
    PRACTISE: "work through structured exercises once the ideas are clear",
    APPLY: "code the maths yourself so that it sticks",
    REFERENCE: "consult it by topic; it is never required",
}
_NEXT_WORDS = {PRACTISE: "then practise it with", APPLY: "then apply it with"}


def _reason(draft, r, styles, group, index, later, builds_on, stage_of) -> str:
    """One sentence: its role, why it is first in that role, and why at this point."""
    area, rating = draft.area, draft.rating
    kind = f"{r.level} {_format_name(r)}"
    area_name = _lower(area)
    rated = f"you rated {area_name} {rating} of 5" if rating else f"you left {area_name} unrated"
    role = ROLE_NAMES[r.step_role]
    if index == 0:
        text = f"{role}: {_ROLE_WORDS[r.step_role]}"
        nxt = next((g[0] for g in later if g[0].step_role in _NEXT_WORDS), None)
        if nxt is not None:
            text += f", {_NEXT_WORDS[nxt.step_role]} {nxt.title}"
    else:
        text = f"{role}, an alternative to {group[0].title}: choose it instead if it suits you"

    if (rating is None or rating <= 2) and r.level == BEGINNER:
        text += f"; {rated}, so begin with this {kind}"
    elif rating is None or rating <= 2:
        text += f"; once the beginner step clicks, this {kind} takes you further"
    elif r.level == BEGINNER:
        text += (
            f"; optional refresher: {rated}, so this {kind} is here only if a topic "
            "feels shaky"
        )
    elif r.level == INTERMEDIATE:
        text += f"; {rated}, so this {kind} matches where you are"
    else:
        text += f"; after the intermediate step, this {kind} takes you beyond the basics"

    extras = []
    if area == CALCULUS and r.optimisation_focused:
        extras.append("it focuses on derivatives and gradients, which drive AI optimisation")
    if area == PROBABILITY_STATISTICS and r.approach == APPLIED:
        extras.append("applied statistics comes before theoretical probability")
    if area == PROBABILITY_STATISTICS and r.approach == THEORY:
        extras.append("its theory builds on the applied resources before it")
    matched = sorted(styles.intersection(r.styles), key=list(STYLE_NAMES).index)
    if matched:
        names = " and ".join(STYLE_NAMES[s] for s in matched)
        extras.append(f"it suits your preference for {names}")
    if index == 0 and len(group) > 1 and not extras:
        others = group[1:]
        if r.is_free and not all(o.is_free for o in others):
            extras.append("it is free")
        elif len(r.domains) < min(len(o.domains) for o in others):
            extras.append(f"it is devoted to {area_name}")
    if builds_on:
        names = " and ".join(
            f"{p.title} (stage {stage_of[p.slug] + 1})" for p in builds_on
        )
        extras.append(f"it builds on {names}")
    if extras:
        text += ", and " + ", and ".join(extras)
    return text[0].upper() + text[1:] + "."


# --- Progress and time: the same rules for a plan just built and a stored roadmap --------


@dataclass(frozen=True)
class Item:
    """One entry as progress and time count it."""

    key: object
    stage: int
    step: str
    role: str
    optional: bool = False
    chosen: bool = False
    done: bool = False
    skipped: bool = False
    hours: int = 0


@dataclass
class RoleState:
    step: str
    role: str
    items: list
    required: bool
    done: bool
    counted: Item | None  # the alternative whose hours count: the pick, else the first left
    starts_on: date | None = None
    finishes_on: date | None = None


@dataclass
class StepState:
    stage: int
    step: str
    roles: list
    required: bool
    done: bool


@dataclass
class StageState:
    index: int
    steps: list
    done: int
    total: int
    weeks: int = 0
    starts_on: date | None = None
    finishes_on: date | None = None

    @property
    def percent(self) -> int:
        return percent(self.done, self.total)


@dataclass
class Tracked:
    stages: list
    steps_done: int
    steps_total: int
    finishes_on: date
    next_step: StepState | None

    @property
    def percent(self) -> int:
        return percent(self.steps_done, self.steps_total)

    @property
    def done(self) -> int:
        return self.steps_done

    @property
    def total(self) -> int:
        return self.steps_total


def percent(done: int, total: int) -> int:
    return round(100 * done / total) if total else 0


def track(items, stage_indexes, weekly_hours: int, starts_on: date, *,
          lowered: bool = False) -> Tracked:
    """Steps, roles, completion and dates from the entries (in plan order), as shown today.

    A role is required when it is understand, practise or apply, not an optional refresher,
    and has an alternative left (not skipped); it is done when one alternative is done. A
    step is done when each required role is. Hours count one alternative per role: the
    learner's pick, or the first one left when the pick was skipped. A lowered plan
    requires only understand and practise.
    """
    weekly_hours = max(1, weekly_hours)
    required_roles = LOWERED_REQUIRED_ROLES if lowered else REQUIRED_ROLES
    by_stage: dict[int, dict[str, dict[str, list]]] = {i: {} for i in stage_indexes}
    for item in items:
        by_stage[item.stage].setdefault(item.step, {}).setdefault(item.role, []).append(item)

    stages = []
    cursor = starts_on
    steps_done = steps_total = 0
    next_step = None
    for index, steps in by_stage.items():
        stage = StageState(index=index, steps=[], done=0, total=0, starts_on=cursor)
        elapsed = 0
        for step, roles in steps.items():
            states = []
            for role in sorted(roles, key=ROLE_ORDER.index):
                alternatives = roles[role]
                left = [i for i in alternatives if not i.skipped]
                counted = next((i for i in left if i.chosen), left[0] if left else None)
                required = (
                    role in required_roles and bool(left)
                    and not any(i.optional for i in alternatives)
                )
                state = RoleState(step, role, alternatives, required,
                                  any(i.done for i in alternatives), counted)
                if required:
                    state.starts_on = cursor + timedelta(days=round(7 * elapsed / weekly_hours))
                    elapsed += counted.hours
                    state.finishes_on = cursor + timedelta(
                        days=round(7 * elapsed / weekly_hours)
                    )
                states.append(state)
            needed = [s for s in states if s.required]
            step_state = StepState(index, step, states, bool(needed),
                                   bool(needed) and all(s.done for s in needed))
            stage.steps.append(step_state)
            if needed:
                stage.total += 1
                stage.done += step_state.done
                if not step_state.done and next_step is None:
                    next_step = step_state
        stage.weeks = math.ceil(elapsed / weekly_hours)
        stage.finishes_on = cursor + timedelta(weeks=stage.weeks)
        for state in (s for st in stage.steps for s in st.roles if s.finishes_on):
            state.finishes_on = min(state.finishes_on, stage.finishes_on)
        cursor = stage.finishes_on
        steps_done += stage.done
        steps_total += stage.total
        stages.append(stage)
    return Tracked(stages, steps_done, steps_total, cursor, next_step)


def go_deeper_step(format_: str) -> str:
    return f"{GO_DEEPER}/research" if format_ == RESEARCH_SOURCE else f"{GO_DEEPER}/reference"


def entry_hours(estimated_hours: int | None, consulted: bool) -> int:
    """Hours a role is expected to take (references are consulted, not finished)."""
    if consulted:
        return min(estimated_hours or CONSULT_HOURS, CONSULT_HOURS)
    return estimated_hours or DEFAULT_HOURS
