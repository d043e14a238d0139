"""Views of the assessment app: the questionnaire, calibration, history, roadmap, dashboard.

The roadmap page and the dashboard show the plan together with the learner's progress, so
they live here, above the progress app: this app reads progress, progress knows nothing of
roadmaps.
"""

import secrets
from datetime import date, timedelta
from itertools import pairwise

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import Budget, Goal, Profile
from assessment import calibration as checks
from assessment import charts, pace, reminders, week
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
    key_concepts_taught,
    open_entries,
    preview_path,
    published_catalogue,
    resource_info,
    shown_path,
    take_assessment,
    track_entries,
)
from assessment.pace import ProjectionChange
from catalog.models import RecallCard, Resource
from mathpath.params import row_id
from progress import reviews
from progress.models import FocusOutcome, Status

# A visitor's answers and calibration results wait in the session until they sign up.
SESSION_ANSWERS = "assessment_answers"
SESSION_CALIBRATION = "assessment_calibration"


def _get_entry_for_user(request: HttpRequest, pk: int) -> RoadmapEntry:
    return get_object_or_404(
        request.user.roadmap_entries.select_related("stage", "resource"), pk=pk
    )


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
        initial.update(latest.builder_ratings)
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
            # A visitor's answers are handed over once, at sign-up, so they need no key.
            key = answers.pop("submission_key")
            if request.user.is_authenticated:
                try:
                    with transaction.atomic():
                        take_assessment(request.user, answers, calibration, submission_key=key)
                except IntegrityError:
                    # The same form again (a double click, a resent page): its first submission
                    # was saved and built the roadmap, so this one lands on that roadmap.
                    saved = request.user.assessments.filter(submission_key=key)
                    if key is None or not saved.exists():
                        raise
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


def _check_questions(request: HttpRequest) -> tuple[str, tuple]:
    """The check's questions from the concept cards, in this learner's order of choices.

    Signed in, the order follows the learner; a visitor's page carries its own seed.
    """
    seed = str(request.user.pk) if request.user.is_authenticated else ""
    if not seed:
        sent = request.POST.get("seed", "")
        seed = sent if sent.isalnum() and len(sent) <= 32 else secrets.token_hex(8)
    cards = [
        checks.CardText(
            domain=card.concept.domain.slug, concept=card.concept.slug,
            level=card.concept.level, position=card.concept.position, kind=card.kind,
            prompt=card.prompt, answer=card.answer,
        )
        for card in RecallCard.objects.filter(
            concept__published=True, concept__domain__slug__in=checks.AREA_DOMAINS.values()
        ).select_related("concept__domain")
    ]
    return seed, checks.shuffled(checks.build_questions(cards), seed)


def _check_area(form: CalibrationForm, area: str, results: dict | None, rating) -> dict:
    """One area of the check page: its questions, the chosen and right answers, the score."""
    result = results[area] if results else None
    return {
        "key": area,
        "title": RATING_GUIDE[area]["label"],
        "fields": form.fields_for(area),
        "questions": [
            {
                "question": q,
                "chosen": form.cleaned_data.get(q.key) if results else None,
                "chosen_text": q.choices[form.cleaned_data[q.key]] if results else None,
                "answer": q.choices[q.correct],
            }
            for q in checks.by_area(form.questions)[area]
        ],
        "result": result,
        "rating": rating,
        "disagrees": bool(result and rating and abs(result["suggested"] - rating) >= 2),
    }


@login_not_required
def check(request: HttpRequest) -> HttpResponse:
    """The optional calibration check, with worked answers after submitting."""
    status = 200
    results = None
    seed, questions = _check_questions(request)
    if request.method == "POST":
        form = CalibrationForm(request.POST, questions=questions)
        if form.is_valid():
            results = checks.score(form.cleaned_data, questions)
            request.session[SESSION_CALIBRATION] = results
            messages.success(request, "Check scored. Compare it with your own ratings below.")
        else:
            status = 400
    else:
        form = CalibrationForm(questions=questions)

    ratings = {}
    if results:
        answers = _initial_answers(request)
        ratings = {name: answers[name] for name in RATING_FIELDS if answers.get(name)}
    areas = [
        _check_area(form, area, results, ratings.get(area)) for area in checks.AREA_DOMAINS
    ]
    context = {"form": form, "areas": areas, "results": results, "seed": seed}
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
    resources = {r.slug: r for r in published_catalogue()}
    plan = builder.build(
        builder.RoadmapInput(
            ratings={name: answers.get(name) for name in (*RATING_FIELDS, "discrete_math")},
            goal=answers["goal"],
            catalogue=tuple(resource_info(r) for r in resources.values()),
            free_only=answers["budget"] == Budget.FREE,
            styles=tuple(answers.get("styles") or ()),
            weekly_hours=answers["weekly_hours"],
            starts_on=timezone.localdate(),
        )
    )
    stages, tracked = preview_path(plan, resources, answers["weekly_hours"])
    context = {"plan": plan, "stages": stages, "overall": tracked, "preview": True}
    return render(request, "assessment/preview.html", context)


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


def _get_roadmap(user) -> Roadmap | None:
    return (
        Roadmap.objects.filter(user=user).select_related("assessment", "user__profile").first()
    )


def _roadmap_context(user, opened: int | None = None) -> dict:
    """Everything the roadmap page shows, in a fixed number of queries."""
    roadmap = _get_roadmap(user)
    if roadmap is None:
        return {"roadmap": None}
    return {"roadmap": roadmap, **_roadmap_plan(user, roadmap, opened)}


def _roadmap_plan(user, roadmap, opened: int | None = None) -> dict:
    """The stages as a path of steps and roles, with dates and bars: the page's body.

    Only open stages (the current one, and `opened`) have their steps drawn: the others
    are a summary line until the learner opens one (see roadmap()).
    """
    stages = list(roadmap.stages.all())
    entries = list(user.roadmap_entries.for_roadmap_page())
    tracked = roadmap.schedule(stages, entries)
    goal = roadmap.current_goal
    taught = key_concepts_taught(user, goal, {e.resource_id for e in entries})
    shown_path(stages, entries, tracked, taught, opened)
    return {
        "goal_name": Goal(goal).label.lower() if goal in Goal.values else "",
        "roadmap_url": reverse("assessment:roadmap"),
        "stages": stages,
        "overall": tracked,
        "weekly_hours": roadmap.current_weekly_hours,
        "needs_rebuild": roadmap.needs_rebuild(),
    }


ROADMAP_BODY_TARGET = "roadmap-body"


def roadmap(request: HttpRequest) -> HttpResponse:
    """The learner's roadmap: stages in order, each resource with why it is there.

    After a status change (the `progressChanged` event) the stages ask for their part
    again: rows, bars and projected dates all follow the change. Only the current stage's
    steps are drawn with the page; another stage's are drawn when the learner opens it
    (`?stage=N`: htmx asks for that stage's steps alone, a plain link reloads the page
    with it open).
    """
    asked = request.GET.get("stage", "")
    opened = row_id(asked)  # anything that is not a number draws the page as usual
    context = _roadmap_context(request.user, opened)
    if request.htmx and request.htmx.target == ROADMAP_BODY_TARGET and context["roadmap"]:
        return render(request, "assessment/roadmap.html#roadmap_body", context)
    if request.htmx and request.htmx.target == f"stage-steps-{asked}" and context["roadmap"]:
        stage = next((s for s in context["stages"] if s.index == opened), None)
        if stage is None:
            raise Http404("Your roadmap has no such stage.")
        return render(request, "assessment/_path.html#stage_steps", {**context, "stage": stage})
    return render(request, "assessment/roadmap.html", context)


def _after_change(request: HttpRequest, entry: RoadmapEntry | None = None) -> HttpResponse:
    """Back to the roadmap row; htmx gets the refreshed stages (dates move) and the message."""
    if request.htmx:
        return render(
            request, "assessment/roadmap.html#roadmap_body", _roadmap_context(request.user)
        )
    anchor = f"?stage={entry.stage.index}#entry-{entry.pk}" if entry else ""
    return redirect(reverse("assessment:roadmap") + anchor)


@require_POST
def skip_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """Skip a roadmap entry: the same "skipped" status the status control sets."""
    entry = _get_entry_for_user(request, pk)
    form = SkipForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    entry.skip(reason)
    messages.success(request, f"Skipped “{entry.resource}”. Your projected dates are updated.")
    return _after_change(request, entry)


@require_POST
def restore_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """Put a skipped entry back: its status returns to "not started"."""
    entry = _get_entry_for_user(request, pk)
    entry.restore()
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
        messages.error(
            request, "That resource is not in the catalogue. Find it and add it from its page."
        )
        return _after_change(request)
    on_roadmap = request.user.roadmap_entries.filter(resource=resource).exists()
    skipped = request.user.progress.filter(resource=resource, status=Status.SKIPPED).exists()
    entry = None
    if on_roadmap and not skipped:
        messages.info(request, f"“{resource}” is already on your roadmap.")
    else:
        entry = roadmap.add_resource(resource)
        messages.success(request, f"Added “{resource}” to “{entry.stage.title}”.")
    if form.cleaned_data["next"]:
        return _back_to_catalogue(request, resource, form.cleaned_data["next"])
    return _after_change(request, entry)


def _back_to_catalogue(request: HttpRequest, resource: Resource, next_url: str) -> HttpResponse:
    """An add from a catalogue card: htmx gets the card's new state, a plain form the card."""
    if not request.htmx:
        return redirect(f"{next_url}#resource-{resource.slug}")
    card = Resource.objects.with_learner_state(request.user).get(pk=resource.pk)
    return render(
        request, "catalog/list.html#learner_state", {"resource": card, "answering": True}
    )


@require_POST
def choose_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """Make an alternative the learner's pick in its role: its hours count from now on."""
    entry = _get_entry_for_user(request, pk)
    entry.choose()
    messages.success(
        request, f"You chose “{entry.resource}”. Your projected dates follow its hours."
    )
    return _after_change(request, entry)


@require_POST
def rebuild(request: HttpRequest) -> HttpResponse:
    """Rebuild from the profile's current answers; recorded progress is kept."""
    roadmap = get_object_or_404(Roadmap.objects.select_related("assessment"), user=request.user)
    if roadmap.assessment is None:
        messages.error(request, "Take the assessment first: your roadmap is built from it.")
        return redirect("assessment:take")
    roadmap.rebuild_from_profile()
    messages.success(request, "Your roadmap was rebuilt with your profile's answers. "
                     "Everything you had recorded is kept.")
    return redirect("assessment:roadmap")


HEATMAP_WEEKS = 12
RATING_SERIES = [charts.Series(name, RATING_GUIDE[name]["label"]) for name in RATING_FIELDS]
DASHBOARD_LIVE_TARGET = "dashboard-progress"
DASHBOARD_WEEK_TARGET = "dashboard-week"


def dashboard(request: HttpRequest) -> HttpResponse:
    """The signed-in home page: focus, reviews due, next steps, progress and charts.

    After a status change the progress card asks for its part again (`progressChanged`);
    the reviews and exercises it moves come along out of band.
    """
    user = request.user
    zone, weekly_hours = _learner_settings(user)
    today = reviews.local_today(zone)
    if request.htmx and request.htmx.target == DASHBOARD_LIVE_TARGET:
        context = _dashboard_live(user, today)
        return render(request, "assessment/dashboard.html#progress", {**context, "oob": True})
    if request.htmx and request.htmx.target == DASHBOARD_WEEK_TARGET:
        focus = user.focuses.filter(answered_at__isnull=True).select_related("resource").first()
        context = {**_dashboard_live(user, today),
                   **_dashboard_week(user, today, zone, weekly_hours), "focus": focus}
        context.update(_dashboard_pace(user, today, context))
        return render(request, "assessment/dashboard.html#week", context)
    with timezone.override(reviews.zone(zone)):
        return render(request, "assessment/dashboard.html",
                      _dashboard(request, zone, weekly_hours, today))


def _learner_settings(user) -> tuple[str, int]:
    """The learner's time zone and weekly hours from their profile, in one query."""
    row = Profile.objects.filter(user=user).values_list("time_zone", "weekly_hours").first()
    zone, weekly_hours = row or (None, None)
    return zone or "UTC", weekly_hours or Profile._meta.get_field("weekly_hours").default


def _dashboard_live(user, today: date) -> dict:
    """The parts of the dashboard a status change moves: bars, cards due and exercises."""
    entries = list(user.roadmap_entries.for_roadmap_page())
    stages = list({e.stage_id: e.stage for e in entries}.values())
    tracked = track_entries(stages, entries)
    return {
        "today": today,
        "entries": entries,
        "overall": tracked,
        "open_entries": open_entries(tracked, entries),
        "cards_due": user.learner_cards.due_summary(today),
        "suggestions": list(user.exercise_suggestions.for_dashboard()),
    }


def _dashboard_week(user, today: date, zone: str, weekly_hours: int) -> dict:
    """This week's hours against the goal, what was finished, and the last 12 weeks."""
    weeks, this_week = week.weeks_of(user, today, weekly_hours, zone)
    return {
        "week": this_week,
        "study_weeks": weeks,
        "hours_chart": charts.weekly_hours_chart(weeks, weekly_hours),
    }


def _dashboard_pace(user, today: date, context: dict) -> dict:
    """The projected finish at the learner's pace, kept when it moves, and how it moved."""
    result = pace.forecast_for(user, today, context["week"].goal_hours, context["entries"],
                               context["overall"], context["study_weeks"])
    if result is None:
        return {"forecast": None}
    before = ProjectionChange.objects.as_of(user, today - timedelta(days=7))
    latest = ProjectionChange.objects.record(user, today, result)
    moved = (result.projected_finish - before.projected_finish).days if before else None
    return {
        "forecast": result,
        "projection": latest,
        "moved_words": pace.moved_words(moved) if moved is not None else "",
        "offer_change": result.slipping and latest.kept_going_at is None,
        "plan_lowered": context["entries"][0].stage.roadmap.lowered_at is not None,
    }


def _dashboard(request: HttpRequest, zone: str, weekly_hours: int, today: date) -> dict:
    user = request.user
    context = _dashboard_live(user, today)
    context.update(_dashboard_week(user, today, zone, weekly_hours))
    context.update(_dashboard_pace(user, today, context))
    entries = context["entries"]
    focus = user.focuses.filter(answered_at__isnull=True).select_related("resource").first()
    open_steps = context["open_entries"]
    focus_progress = None
    if focus:
        focus_progress = next((e.progress for e in entries if e.resource_id == focus.resource_id),
                              None)
        if focus_progress is None:
            focus_progress = user.progress.filter(resource=focus.resource).first()
    assessments = list(user.assessments.for_chart())
    # A learner without an assessment has nothing to show yet: one call to action.
    context["new_learner"] = not (assessments or entries or context["cards_due"]["total"]
                                  or any(w.minutes for w in context["study_weeks"]))
    counts = dict(
        user.progress_events.since(
            charts.heatmap_days(today, HEATMAP_WEEKS)[0], zone
        ).per_local_day(zone)
    )
    token = user.calendar_tokens.filter(revoked_at__isnull=True).first()
    context.update(
        {
            "focus": focus,
            "focus_ended": bool(focus and focus.has_ended(today)),
            "focus_days_left": focus.days_left(today) if focus else 0,
            "focus_progress": focus_progress,
            "focus_outcomes": FocusOutcome.choices,
            "focus_choices": open_steps,
            "next_steps": open_steps[:5],
            "ratings_chart": charts.ratings_chart(
                [(f"{a.taken_at:%Y-%m-%d}", a.ratings) for a in assessments], RATING_SERIES
            ),
            "rating_series": RATING_SERIES,
            "rating_rows": [
                {"label": f"{a.taken_at:%-d %b %Y}", "values": [a.ratings[s.key] for s in
                                                                 RATING_SERIES]}
                for a in assessments
            ],
            "heatmap": charts.activity_heatmap(counts, today, HEATMAP_WEEKS),
            "heatmap_weeks": HEATMAP_WEEKS,
            "weekly_totals": charts.weekly_totals(counts, today, HEATMAP_WEEKS),
            "recent_events": list(user.progress_events.select_related("resource")[:8]),
            "calendar_token": token,
            "continue_with": _dashboard_continue(focus, open_steps, context),
            "calendar_url": request.build_absolute_uri(
                reverse("progress:calendar_feed", args=[token.token])
            )
            if token
            else "",
        }
    )
    return context


def _dashboard_continue(focus, open_steps, context) -> dict:
    """The returning learner's first block: what to do next, what is due, what to code."""
    due = reminders.DueToday(cards=context["cards_due"]["today"])
    soon = timezone.now() + timedelta(hours=24)
    exercise = next((s for s in context["suggestions"] if s.due_at and s.due_at <= soon), None)
    step = None if focus else next(iter(open_steps), None)
    return {"focus": focus, "step": step, "due": due, "exercise": exercise}


@require_POST
def lower_plan(request: HttpRequest) -> HttpResponse:
    """Lower the plan when it slips (apply roles out of its time), or put it back."""
    roadmap = get_object_or_404(Roadmap, user=request.user)
    lowered = request.POST.get("lowered") != "0"
    roadmap.lower(lowered)
    if lowered:
        messages.success(request, "Your plan is lowered: applying is optional now, so your "
                         "projected finish counts only understanding and practice. Your "
                         "progress is kept.")
    else:
        messages.success(request, "Your full plan is back, applying included.")
    return redirect("home")


@require_POST
def keep_going(request: HttpRequest) -> HttpResponse:
    """The learner keeps their plan despite the slip: stop offering until it moves again."""
    latest = request.user.projections.order_by("-recorded_on", "-id").first()
    if latest is not None and latest.kept_going_at is None:
        latest.kept_going_at = timezone.now()
        latest.save(update_fields=["kept_going_at"])
    messages.success(request, "Keep going: your plan stays as it is.")
    return redirect("home")
