"""Views of the assessment app: the questionnaire, the calibration check, history, roadmap."""

from itertools import pairwise

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import Budget, Profile
from assessment import calibration as checks
from assessment import roadmap as builder
from assessment.forms import (
    RATING_GUIDE,
    AddResourceForm,
    AssessmentForm,
    CalibrationForm,
    SkipForm,
)
from assessment.models import (
    RATING_FIELDS,
    Assessment,
    Roadmap,
    RoadmapEntry,
    resource_info,
    take_assessment,
)
from catalog.models import Resource

# A visitor's answers and calibration results wait in the session until they sign up.
SESSION_ANSWERS = "assessment_answers"
SESSION_CALIBRATION = "assessment_calibration"


def _get_entry_for_user(request: HttpRequest, pk: int) -> RoadmapEntry:
    return get_object_or_404(request.user.roadmap_entries.select_related("stage"), pk=pk)


def _latest_assessment(user) -> Assessment | None:
    return user.assessments.first()


def _initial_answers(request: HttpRequest) -> dict:
    """The questionnaire's starting point: the last answers given, then the profile."""
    if not request.user.is_authenticated:
        return dict(request.session.get(SESSION_ANSWERS, {}))
    profile = Profile.for_user(request.user)
    initial = {
        "goal": profile.goal,
        "budget": profile.budget,
        "styles": profile.styles,
        "weekly_hours": profile.weekly_hours,
    }
    latest = _latest_assessment(request.user)
    if latest:
        initial.update(latest.ratings)
    return initial


def _calibration_rows(form: AssessmentForm, calibration: dict) -> list[dict]:
    """Each rating field with its check result, and whether they disagree by 2 or more."""
    rows = []
    for field in form.rating_fields():
        result = calibration.get(field.name)
        rating = field.value()
        try:
            rating = int(rating) if rating not in (None, "") else None
        except (TypeError, ValueError):
            rating = None
        rows.append(
            {
                "field": field,
                "check": result,
                "disagrees": bool(
                    result and rating is not None and abs(result["suggested"] - rating) >= 2
                ),
            }
        )
    return rows


@login_not_required
def take(request: HttpRequest) -> HttpResponse:
    """The questionnaire. Signed in: save it and rebuild the roadmap. Visitors: a preview."""
    calibration = request.session.get(SESSION_CALIBRATION, {})
    status = 200
    if request.method == "POST":
        form = AssessmentForm(request.POST)
        if form.is_valid():
            answers = form.cleaned_data
            if request.user.is_authenticated:
                take_assessment(request.user, answers, calibration)
                request.session.pop(SESSION_CALIBRATION, None)
                messages.success(request, "Assessment saved. Here is your updated roadmap.")
                return redirect("assessment:roadmap")
            request.session[SESSION_ANSWERS] = answers
            messages.success(request, "Here is your roadmap. Sign up to save it.")
            return redirect("assessment:preview")
        status = 400
    else:
        form = AssessmentForm(initial=_initial_answers(request))
    context = {"form": form, "rows": _calibration_rows(form, calibration), "checked": calibration}
    return render(request, "assessment/take.html", context, status=status)


@login_not_required
def check(request: HttpRequest) -> HttpResponse:
    """The optional calibration check, with worked answers after submitting."""
    status = 200
    results = None
    if request.method == "POST":
        form = CalibrationForm(request.POST)
        if form.is_valid():
            results = checks.score(form.cleaned_data)
            request.session[SESSION_CALIBRATION] = results
            messages.success(request, "Check scored. Compare it with your own ratings below.")
        else:
            status = 400
    else:
        form = CalibrationForm()

    ratings = {}
    if results:
        answers = _initial_answers(request)
        ratings = {name: answers[name] for name in RATING_FIELDS if answers.get(name)}
    areas = []
    for area, questions in checks.QUESTIONS_BY_AREA.items():
        result = results[area] if results else None
        rating = ratings.get(area)
        areas.append(
            {
                "key": area,
                "title": RATING_GUIDE[area]["label"],
                "fields": form.fields_for(area),
                "questions": [
                    {
                        "question": q,
                        "chosen": form.cleaned_data.get(q.key) if results else None,
                        "answer": q.choices[q.correct],
                    }
                    for q in questions
                ],
                "result": result,
                "rating": rating,
                "disagrees": bool(
                    result and rating and abs(result["suggested"] - rating) >= 2
                ),
            }
        )
    context = {"form": form, "areas": areas, "results": results}
    return render(request, "assessment/check.html", context, status=status)


@login_not_required
def preview(request: HttpRequest) -> HttpResponse:
    """A visitor's roadmap, built from the answers in their session, not yet saved."""
    if request.user.is_authenticated:
        return redirect("assessment:roadmap")
    answers = request.session.get(SESSION_ANSWERS)
    if not answers:
        messages.info(request, "Take the assessment first to see your roadmap.")
        return redirect("assessment:take")
    resources = Resource.objects.published().prefetch_related("domains")
    plan = builder.build(
        builder.RoadmapInput(
            ratings={name: answers[name] for name in RATING_FIELDS},
            goal=answers["goal"],
            catalogue=tuple(resource_info(r) for r in resources),
            free_only=answers["budget"] == Budget.FREE,
            styles=tuple(answers.get("styles") or ()),
            weekly_hours=answers["weekly_hours"],
            starts_on=timezone.localdate(),
        )
    )
    by_slug = {r.slug: r for r in resources}
    stages = [(s, [(e, by_slug[e.slug]) for e in s.entries]) for s in plan.stages]
    return render(request, "assessment/preview.html", {"plan": plan, "stages": stages})


def history(request: HttpRequest) -> HttpResponse:
    """Every assessment, newest first, with the change per area since the one before."""
    assessments = list(request.user.assessments.for_history_page())
    rows = []
    for newer, older in pairwise([*assessments, None]):
        changes = newer.changes_since(older)
        rows.append(
            {
                "assessment": newer,
                "areas": [
                    {
                        "title": RATING_GUIDE[name]["label"],
                        "rating": getattr(newer, name),
                        "change": changes[name] if changes else None,
                    }
                    for name in RATING_FIELDS
                ],
            }
        )
    return render(request, "assessment/history.html", {"rows": rows})


def _group_steps(stages, entries_by_stage, weekly_hours):
    """Group each stage's entries into steps; alternatives in a step share its dates."""
    for stage in stages:
        entries = entries_by_stage.get(stage.pk, [])
        counted = [e.counted_step() for e in entries if e.counts]
        dates = builder.step_dates(counted, weekly_hours, stage.starts_on)
        stage.steps = []
        for entry in entries:
            step = entry.counted_step()[0]
            span = dates.get(step) if entry.counts else None
            entry.projected = (span[0], min(span[1], stage.finishes_on)) if span else None
            heading = _step_heading(step, entry)
            if not stage.steps or stage.steps[-1][0] != heading:
                stage.steps.append((heading, []))
            stage.steps[-1][1].append(entry)


def _step_heading(step: str, entry: RoadmapEntry) -> str:
    if entry.added_by_learner:
        return "Added by you"
    if entry.is_optional:
        return "Optional refreshers (not steps)"
    return {
        "reference": "References: consult by topic",
        "research": "Research: read the abstract first",
    }.get(step, f"{step.capitalize()} step: pick one of these, or combine them")


def _roadmap_context(user) -> dict:
    """Everything the roadmap page shows, in a fixed number of queries."""
    roadmap = Roadmap.objects.filter(user=user).select_related("assessment").first()
    if roadmap is None:
        return {"roadmap": None}
    stages = list(roadmap.stages.all())
    entries = list(user.roadmap_entries.for_roadmap_page())
    by_stage: dict[int, list] = {}
    for entry in entries:
        by_stage.setdefault(entry.stage_id, []).append(entry)
    _group_steps(stages, by_stage, roadmap.weekly_hours)
    on_roadmap = {e.resource_id for e in entries}
    addable = [
        r
        for r in Resource.objects.published().only("slug", "title", "level").order_by("title")
        if r.pk not in on_roadmap
    ]
    return {"roadmap": roadmap, "stages": stages, "addable": addable}


def roadmap(request: HttpRequest) -> HttpResponse:
    """The learner's roadmap: stages in order, each resource with why it is there."""
    return render(request, "assessment/roadmap.html", _roadmap_context(request.user))


def _after_change(request: HttpRequest, entry: RoadmapEntry | None = None) -> HttpResponse:
    """Back to the roadmap; htmx gets the refreshed stages (dates move) and the message."""
    if request.htmx:
        return render(
            request, "assessment/roadmap.html#roadmap_body", _roadmap_context(request.user)
        )
    anchor = f"#entry-{entry.pk}" if entry else ""
    return redirect(reverse("assessment:roadmap") + anchor)


@require_POST
def skip_entry(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _get_entry_for_user(request, pk)
    form = SkipForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    entry.skip(reason)
    entry.stage.roadmap.reschedule()
    messages.success(request, f"Skipped “{entry.resource}”. Your projected dates are updated.")
    return _after_change(request, entry)


@require_POST
def restore_entry(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _get_entry_for_user(request, pk)
    entry.restore()
    entry.stage.roadmap.reschedule()
    messages.success(request, f"“{entry.resource}” is back on your roadmap.")
    return _after_change(request, entry)


@require_POST
def add_entry(request: HttpRequest) -> HttpResponse:
    roadmap = get_object_or_404(Roadmap, user=request.user)
    form = AddResourceForm(request.POST)
    resource = None
    if form.is_valid():
        resource = Resource.objects.published().filter(slug=form.cleaned_data["resource"]).first()
    if resource is None:
        messages.error(request, "That resource is not in the catalogue. Choose one from the list.")
        return _after_change(request)
    if request.user.roadmap_entries.filter(resource=resource, skipped=False).exists():
        messages.info(request, f"“{resource}” is already on your roadmap.")
        return _after_change(request)
    entry = roadmap.add_resource(resource)
    messages.success(request, f"Added “{resource}” to “{entry.stage.title}”.")
    return _after_change(request, entry)
