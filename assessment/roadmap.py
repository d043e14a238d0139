"""The roadmap builder: self-ratings, goal, preferences and the catalogue in; stages out.

A plain module with no database access, so every rule can be tested with tables. The rules
come from the guide's self-assessment and decision tree:

1. Linear algebra rated below 3 is the first stage, whatever the other ratings.
2. Otherwise calculus rated below 3 is the first stage.
3. The remaining areas rated below 5 follow, weakest first; ties follow the goal's order.
4. Rated 1-2: beginner, then intermediate. Rated 3-4: intermediate, then advanced, with
   beginner resources as optional refreshers. Rated 5: not a stage.
5. Probability & statistics: applied before theory. Calculus: optimisation-focused
   (derivatives, partial derivatives, gradients) before comprehensive courses.
6. A last "Go deeper" stage with the reference textbooks and the research sources.
7. Free-only drops paid resources; preferred styles order alternatives inside a step;
   weekly hours give each stage its weeks and the roadmap its projected finish date.

A step is one level inside an area (or, in "Go deeper", the references and the research
sources). The resources of a step are alternatives: the guide's advice is to pick one and
commit to it, so a step's expected time is that of its first (best-matching) alternative.

The builder is deterministic: the same input always gives the same roadmap.
"""

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

LINEAR_ALGEBRA = "linear-algebra"
CALCULUS = "calculus"
PROBABILITY_STATISTICS = "probability-statistics"
PROGRAMMING = "programming-math"
GO_DEEPER = "go-deeper"

# Rating field name -> catalogue domain slug.
AREA_DOMAINS = {
    "linear_algebra": LINEAR_ALGEBRA,
    "calculus": CALCULUS,
    "probability_statistics": PROBABILITY_STATISTICS,
    "programming": PROGRAMMING,
}
AREA_TITLES = {
    LINEAR_ALGEBRA: "Linear algebra",
    CALCULUS: "Calculus",
    PROBABILITY_STATISTICS: "Probability & statistics",
    PROGRAMMING: "Programming mathematics",
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

BEGINNER, INTERMEDIATE, ADVANCED = "beginner", "intermediate", "advanced"
LEVEL_RANK = {BEGINNER: 1, INTERMEDIATE: 2, ADVANCED: 3}
APPLIED, THEORY = "applied", "theory"
RESEARCH_SOURCE = "research-source"

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
    is_reference: bool = False
    format: str = "course"
    estimated_hours: int | None = None

    @property
    def consulted(self) -> bool:
        """References and research sources are consulted by topic in the last stage."""
        return self.is_reference or self.format == RESEARCH_SOURCE


@dataclass(frozen=True)
class RoadmapInput:
    ratings: dict[str, int]  # keyed by the four rating field names, each 1-5
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


@dataclass(frozen=True)
class Plan:
    stages: tuple[PlannedStage, ...]
    starts_on: date
    finishes_on: date

    @property
    def slugs(self) -> list[str]:
        return [e.slug for s in self.stages for e in s.entries]


def build(data: RoadmapInput) -> Plan:
    """Build the roadmap for one assessment. Same input, same roadmap."""
    ratings = {AREA_DOMAINS[name]: value for name, value in data.ratings.items()}
    styles = set(data.styles)
    catalogue = sorted(
        (r for r in data.catalogue if r.is_free or not data.free_only), key=lambda r: r.slug
    )

    drafts = []  # (area, title, summary, entries, advice)
    used: set[str] = set()
    for area, summary in order_areas(ratings, data.goal):
        entries = _area_entries(area, ratings[area], catalogue, styles, used)
        used.update(e.slug for e in entries)
        drafts.append((area, AREA_TITLES[area], summary, entries, ""))

    deeper = _go_deeper_entries(catalogue, used)
    drafts.append(
        (
            GO_DEEPER,
            AREA_TITLES[GO_DEEPER],
            "Once the foundations are in place, the textbooks researchers reference and the "
            "research itself keep you learning.",
            deeper,
            GO_DEEPER_ADVICE,
        )
    )
    stages, finish = schedule(drafts, data.weekly_hours, data.starts_on)
    return Plan(stages=tuple(stages), starts_on=data.starts_on, finishes_on=finish)


def order_areas(ratings: dict[str, int], goal: str) -> list[tuple[str, str]]:
    """Rules 1-3: the areas that become stages, in order, each with why it is there."""
    goal_order = GOAL_ORDERS[goal]
    first = None
    if ratings[LINEAR_ALGEBRA] < 3:
        first = (
            LINEAR_ALGEBRA,
            f"You rated linear algebra {ratings[LINEAR_ALGEBRA]} of 5; below 3 it comes "
            "first whatever your other scores, because everything else is built on it.",
        )
    elif ratings[CALCULUS] < 3:
        first = (
            CALCULUS,
            f"Your linear algebra is solid but you rated calculus {ratings[CALCULUS]} of 5, "
            "so calculus comes next, starting with derivatives, partial derivatives and "
            "gradients rather than a comprehensive course.",
        )

    rest = [a for a in goal_order if ratings[a] < 5 and (first is None or a != first[0])]
    rest.sort(key=lambda a: (ratings[a], goal_order.index(a)))
    ordered = [first] if first else []
    for area in rest:
        why = f"You rated {_lower(area)} {ratings[area]} of 5"
        tied = [a for a in rest if ratings[a] == ratings[area]]
        if len(tied) > 1:
            others = _join(a for a in tied if a != area)
            before = [a for a in tied[: tied.index(area)]]
            place = f"after {_join(before)}" if before else "first"
            why += f", the same as {others}; for {GOAL_NAMES[goal]} it comes {place}"
        ordered.append((area, why + "."))
    return ordered


def _lower(area: str) -> str:
    return AREA_TITLES[area].lower()


def _join(areas) -> str:
    return " and ".join(_lower(a) for a in areas)


def _step_levels(rating: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Rule 4: (levels that are steps, levels offered as optional refreshers)."""
    if rating <= 2:
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
            focus,
            -len(styles.intersection(r.styles)),
            not r.is_free,
            len(r.domains),
            r.slug,
        )

    return key


def _area_entries(area, rating, catalogue, styles, used) -> tuple[PlannedEntry, ...]:
    steps, refreshers = _step_levels(rating)
    candidates = [
        r
        for r in catalogue
        if area in r.domains
        and not r.consulted
        and r.slug not in used
        and r.level in steps + refreshers
    ]
    candidates.sort(key=_sort_key(area, styles))
    # Refreshers are beginner resources, so they sort first and levels never go backwards.
    return tuple(
        PlannedEntry(
            slug=r.slug,
            title=r.title,
            level=r.level,
            reason=_reason(area, rating, r, styles),
            optional=r.level in refreshers,
            hours=entry_hours(r.estimated_hours, False),
            step=r.level,
        )
        for r in candidates
    )


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
        )
        for r in chosen
    )


def _format_name(r: ResourceInfo) -> str:
    return r.format.replace("-", " ") if r.format else "resource"


def _reason(area: str, rating: int, r: ResourceInfo, styles: set[str]) -> str:
    """One sentence: why this resource, at this point."""
    kind = f"{r.level} {_format_name(r)}"
    area_name = _lower(area)
    if rating <= 2 and r.level == BEGINNER:
        text = f"You rated {area_name} {rating} of 5, so start with this {kind}"
    elif rating <= 2:
        text = f"Once the beginner steps click, this {kind} takes you further"
    elif r.level == BEGINNER:
        text = (
            f"Optional refresher: you rated {area_name} {rating} of 5, so this {kind} is "
            "here only if a topic feels shaky"
        )
    elif r.level == INTERMEDIATE:
        text = f"You rated {area_name} {rating} of 5, so this {kind} matches where you are"
    else:
        text = f"After the intermediate steps, this {kind} takes you beyond the basics"

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
    if extras:
        text += ", and " + ", and ".join(extras)
    return text + "."


def schedule(drafts, weekly_hours: int, starts_on: date):
    """Rule 7: weeks per stage from the hours of its steps, and the dates that follow."""
    hours = [
        stage_hours((e.step, e.hours) for e in entries if not e.optional)
        for _, _, _, entries, _ in drafts
    ]
    dates = stage_dates(hours, weekly_hours, starts_on)
    stages = [
        PlannedStage(
            index=index,
            area=area,
            title=title,
            summary=summary,
            entries=entries,
            weeks=weeks,
            starts_on=start,
            finishes_on=finish,
            advice=advice,
        )
        for index, ((area, title, summary, entries, advice), (weeks, start, finish)) in enumerate(
            zip(drafts, dates, strict=True)
        )
    ]
    return stages, dates[-1][2] if dates else starts_on


def stage_dates(hours_per_stage, weekly_hours: int, starts_on: date):
    """(weeks, start, finish) for consecutive stages needing the given hours of study."""
    weekly_hours = max(1, weekly_hours)
    result = []
    cursor = starts_on
    for hours in hours_per_stage:
        # A stage with nothing to work through (no matching resources yet) takes no time.
        weeks = math.ceil(hours / weekly_hours)
        finish = cursor + timedelta(weeks=weeks)
        result.append((weeks, cursor, finish))
        cursor = finish
    return result


def go_deeper_step(format_: str) -> str:
    return "research" if format_ == RESEARCH_SOURCE else "reference"


def stage_hours(steps) -> int:
    """Hours for a stage from (step, hours) of its counted entries, in order.

    The entries of a step are alternatives, so only the first of each step counts.
    """
    seen: dict[str, int] = {}
    for step, hours in steps:
        seen.setdefault(step, hours)
    return sum(seen.values())


def step_dates(steps, weekly_hours: int, starts_on: date) -> dict[str, tuple[date, date]]:
    """Projected (start, finish) of each step of a stage, from (step, hours) in order."""
    weekly_hours = max(1, weekly_hours)
    firsts: dict[str, int] = {}
    for step, hours in steps:
        firsts.setdefault(step, hours)
    result = {}
    elapsed = 0
    for step, hours in firsts.items():
        start = starts_on + timedelta(days=round(7 * elapsed / weekly_hours))
        elapsed += hours
        result[step] = (start, starts_on + timedelta(days=round(7 * elapsed / weekly_hours)))
    return result


def entry_hours(estimated_hours: int | None, consulted: bool) -> int:
    """Hours a step is expected to take (references are consulted, not finished)."""
    if consulted:
        return min(estimated_hours or CONSULT_HOURS, CONSULT_HOURS)
    return estimated_hours or DEFAULT_HOURS
