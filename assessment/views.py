"""Views of the assessment app: the questionnaire, the calibration check, history, roadmap."""

from datetime import date
from itertools import pairwise

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import reswap, retarget, trigger_client_event

from accounts.models import Budget, Profile
from assessment import calibration as checks
from assessment import charts, ical, reviews
from assessment import notes as notes_module
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
    CalendarToken,
    ExerciseSuggestion,
    Focus,
    FocusOutcome,
    Rating,
    Review,
    Roadmap,
    RoadmapEntry,
    Status,
    learner_time_zone,
    resource_info,
    save_note,
    set_progress,
    set_progress_by_slug,
    start_focus,
    take_assessment,
)
from catalog.models import Resource
from mathpath.pagecache import cached_html
from mathpath.redirects import safe_next

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


def progress_summary(stages, entries) -> dict:
    """Done out of counted steps, per stage (set on each stage) and overall.

    A counted step is a resource on the roadmap that is neither an optional refresher nor
    skipped; a skipped resource leaves both the count and the schedule.
    """
    totals = {stage.pk: [0, 0] for stage in stages}
    for entry in entries:
        if entry.counts and entry.stage_id in totals:
            totals[entry.stage_id][1] += 1
            totals[entry.stage_id][0] += entry.is_done
    for stage in stages:
        stage.bar = _bar(*totals[stage.pk])
    return _bar(sum(t[0] for t in totals.values()), sum(t[1] for t in totals.values()))


def _bar(done: int, total: int) -> dict:
    return {"done": done, "total": total, "percent": round(100 * done / total) if total else 0}


def _get_roadmap(user) -> Roadmap | None:
    return Roadmap.objects.filter(user=user).select_related("assessment").first()


def _roadmap_context(user) -> dict:
    """Everything the roadmap page shows, in a fixed number of queries."""
    roadmap = _get_roadmap(user)
    if roadmap is None:
        return {"roadmap": None}
    return {"roadmap": roadmap, **_roadmap_plan(user, roadmap)}


def _roadmap_plan(user, roadmap) -> dict:
    """The stages with their entries and bars: the costly part of the roadmap page."""
    stages = list(roadmap.stages.all())
    entries = list(user.roadmap_entries.for_roadmap_page())
    by_stage: dict[int, list] = {}
    for entry in entries:
        by_stage.setdefault(entry.stage_id, []).append(entry)
    _group_steps(stages, by_stage, roadmap.weekly_hours)
    return {
        "roadmap_url": reverse("assessment:roadmap"),
        "stages": stages,
        "overall": progress_summary(stages, entries),
    }


ROADMAP_BARS_TARGET = "roadmap-progress"


def roadmap(request: HttpRequest) -> HttpResponse:
    """The learner's roadmap: stages in order, each resource with why it is there.

    After a status change the overall bar asks for its fragment (htmx, targeting itself);
    the stage bars come along in the same response, swapped out of band.
    """
    if request.htmx and request.htmx.target == ROADMAP_BARS_TARGET:
        context = _roadmap_context(request.user)
        if context["roadmap"]:
            return render(request, "assessment/roadmap.html#bars", {**context, "oob": True})
    roadmap = _get_roadmap(request.user)
    context = {"roadmap": roadmap}
    if roadmap is not None:
        # The stages are most of the page's cost; they come from the cache until the learner
        # or the catalogue changes something they show.
        context["roadmap_body_html"] = cached_html(
            request,
            "roadmap",
            lambda: render_to_string(
                "assessment/roadmap.html#roadmap_body",
                {**context, **_roadmap_plan(request.user, roadmap)},
                request,
            ),
            bool(request.htmx),
        )
    return render(request, "assessment/roadmap.html", context)


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
    """Skip a roadmap entry: the same "skipped" status the status control sets."""
    entry = _get_entry_for_user(request, pk)
    form = SkipForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    set_progress(request.user, entry.resource, Status.SKIPPED, reason)
    messages.success(request, f"Skipped “{entry.resource}”. Your projected dates are updated.")
    return _after_change(request, entry)


@require_POST
def restore_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """Put a skipped entry back: its status returns to "not started"."""
    entry = _get_entry_for_user(request, pk)
    set_progress(request.user, entry.resource, Status.NOT_STARTED)
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
    if request.user.roadmap_entries.filter(resource=resource, skipped=False).exists():
        messages.info(request, f"“{resource}” is already on your roadmap.")
        return _after_change(request)
    entry = roadmap.add_resource(resource)
    messages.success(request, f"Added “{resource}” to “{entry.stage.title}”.")
    return _after_change(request, entry)


# --- Progress: status, reviews, exercises, focus, notes, calendar, timeline, dashboard ------


def _get_resource(request: HttpRequest, slug: str) -> Resource:
    resource = Resource.objects.visible_to(request.user).filter(slug=slug).first()
    if resource is None:
        raise Http404("There is no resource with that address in the catalogue.")
    return resource


def _get_review_for_user(request: HttpRequest, pk: int) -> Review:
    return get_object_or_404(request.user.reviews.select_related("resource"), pk=pk)


def _get_suggestion_for_user(request: HttpRequest, pk: int) -> ExerciseSuggestion:
    return get_object_or_404(request.user.exercise_suggestions.select_related("resource"), pk=pk)


def _get_open_focus_for_user(request: HttpRequest) -> Focus | None:
    return request.user.focuses.filter(answered_at__isnull=True).select_related("resource").first()


def _problem(request: HttpRequest, text: str, back: str = "/", status: int = 400) -> HttpResponse:
    """A 4xx that says what was wrong: plain text for htmx, a page otherwise."""
    if request.htmx:
        return HttpResponse(text, content_type="text/plain; charset=utf-8", status=status)
    context = {"problem": text, "back": back}
    return render(request, "assessment/problem.html", context, status=status)


def _no_such_resource(request: HttpRequest) -> HttpResponse:
    return _problem(
        request,
        "That resource is not in the catalogue: it may have been removed or renamed.",
        reverse("catalog:list"),
        status=404,
    )


def _today(user) -> date:
    return reviews.local_today(learner_time_zone(user))


STATUS_MESSAGES = {
    Status.NOT_STARTED: "“{}” is marked not started.",
    Status.IN_PROGRESS: "“{}” is in progress. Enjoy it!",
    Status.DONE: (
        "“{}” is done. Reviews are scheduled in 1, 3 and 7 days, and your dashboard has an "
        "exercise to code within 24 hours."
    ),
    Status.SKIPPED: "Skipped “{}”. Your projected dates are updated.",
}


def _status_message(resource: Resource, change) -> str:
    if not change.changed:
        label = change.progress.get_status_display().lower()
        return f"“{resource.title}” was already marked {label}."
    if change.previous == Status.SKIPPED and change.progress.status == Status.NOT_STARTED:
        return f"“{resource.title}” is back on your roadmap."
    return STATUS_MESSAGES[change.progress.status].format(resource.title)


def _roadmap_row(user, resource: Resource) -> RoadmapEntry | None:
    """One roadmap row as the page shows it, projected dates included."""
    entry = (
        user.roadmap_entries.filter(resource=resource).select_related("stage__roadmap").first()
    )
    if entry is None:
        return None
    stage = entry.stage
    stage_entries = list(user.roadmap_entries.for_roadmap_page().filter(stage=stage))
    _group_steps([stage], {stage.pk: stage_entries}, stage.roadmap.weekly_hours)
    return next((e for e in stage_entries if e.pk == entry.pk), None)


@require_POST
def set_status(request: HttpRequest, slug: str) -> HttpResponse:
    """Set the learner's status on a resource. The same status twice changes nothing."""
    status = request.POST.get("status", "")
    if status not in Status.values:
        resource = Resource.objects.visible_to(request.user).filter(slug=slug).only("slug").first()
        if resource is None:
            return _no_such_resource(request)
        return _problem(
            request,
            "That status does not exist: choose not started, in progress, done or skipped.",
            resource.get_absolute_url(),
        )
    change = set_progress_by_slug(request.user, slug, status, request.POST.get("reason", ""))
    if change is None:
        return _no_such_resource(request)
    resource = change.progress.resource
    request.changed_nothing = not change.changed  # the same status again: pages stay valid
    messages.success(request, _status_message(resource, change))
    if not request.htmx:
        return redirect(safe_next(request, resource.get_absolute_url()))
    where = request.POST.get("context", "")
    entry = _roadmap_row(request.user, resource) if where == "roadmap" else None
    if entry is not None:
        if Status.SKIPPED in (status, change.previous) and change.changed:
            # Skipping moves every later date on the roadmap: refresh all of it.
            response = render(
                request, "assessment/roadmap.html#roadmap_body", _roadmap_context(request.user)
            )
            response = retarget(reswap(response, "outerHTML"), "#roadmap-body")
        else:
            context = {"entry": entry, "roadmap_url": reverse("assessment:roadmap")}
            response = render(request, "assessment/roadmap.html#entry_row", context)
            response.write(render_to_string("assessment/_messages_oob.html", request=request))
    else:
        context = {
            "resource": resource,
            "progress": change.progress,
            "where": where if where in STATUS_PLACES - {"roadmap"} else "detail",
            "next": safe_next(request, ""),
        }
        response = render(request, "assessment/_status_control.html", context)
    return trigger_client_event(response, "progressChanged", {"resource": resource.slug})


# Where a status control can stand; each gets its own element ids.
STATUS_PLACES = {"roadmap", "detail", "focus", "next"}


@require_POST
def complete_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Rate a due review; the rating sets the gap to the next one."""
    review = _get_review_for_user(request, pk)
    rating = request.POST.get("rating", "")
    if rating not in Rating.values:
        return _problem(request, "Rate the review: again, hard, good or easy.")
    if review.done_at is not None:
        messages.info(request, f"You already reviewed “{review.resource.title}”.")
        return redirect(safe_next(request, "/"))
    today = _today(request.user)
    if review.due > today:
        messages.info(
            request,
            f"The review of “{review.resource.title}” is not due until "
            f"{review.due:%-d %B}: come back then.",
        )
        return redirect(safe_next(request, "/"))
    if not review.complete(rating, today):
        messages.info(request, f"You already reviewed “{review.resource.title}”.")
        return redirect(safe_next(request, "/"))
    following = request.user.reviews.pending().filter(resource=review.resource).first()
    when = reviews.describe_due(following.due, today) if following else "not scheduled"
    messages.success(
        request, f"Review of “{review.resource.title}” recorded. Next review: {when}."
    )
    return redirect(safe_next(request, "/"))


@require_POST
def dismiss_exercise(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = _get_suggestion_for_user(request, pk)
    if suggestion.dismissed_at is None:
        suggestion.dismissed_at = timezone.now()
        suggestion.save(update_fields=["dismissed_at"])
    messages.success(request, f"Dismissed “{suggestion.exercise.title}”.")
    return redirect(safe_next(request, "/"))


@require_POST
def choose_focus(request: HttpRequest) -> HttpResponse:
    """Commit to one resource for two weeks (the guide's advice); replaces any open focus."""
    slug = request.POST.get("resource", "").strip()
    resource = Resource.objects.visible_to(request.user).filter(slug=slug).first()
    if resource is None:
        return _no_such_resource(request)
    # Two choices at the same moment keep one focus: the message names the one kept.
    focus = start_focus(request.user, resource, _today(request.user))
    messages.success(
        request,
        f"Your focus for the next two weeks: “{focus.resource.title}”, "
        f"until {focus.ends_on:%-d %B}.",
    )
    return redirect(safe_next(request, "/"))


@require_POST
def answer_focus(request: HttpRequest) -> HttpResponse:
    """How the two weeks went: done, extend a week, or switch.

    The form names the focus it answers: sent twice (a double click, a second tab), the
    second finds it answered and changes nothing, instead of extending the new week too.
    """
    focus = _get_open_focus_for_user(request)
    asked = request.POST.get("focus", "")
    if asked and (focus is None or asked != str(focus.pk)):
        answered = request.user.focuses.filter(pk=asked if asked.isdigit() else None).first()
        if answered is None:
            raise Http404("You have no such focus.")
        return _already_answered(request, answered)
    if focus is None:
        raise Http404("You have no focus to answer for.")
    outcome = request.POST.get("outcome", "")
    if outcome not in FocusOutcome.values:
        return _problem(request, "Choose done, extend a week, or switch.")
    today = _today(request.user)
    if not focus.answer(outcome, today):
        return _already_answered(request, focus)
    text = {
        FocusOutcome.DONE: f"Well done: “{focus.resource.title}” is marked done.",
        FocusOutcome.EXTENDED: f"One more week with “{focus.resource.title}”.",
        FocusOutcome.SWITCHED: "Noted. Pick your next focus below.",
    }[outcome]
    messages.success(request, text)
    return redirect(safe_next(request, "/"))


def _already_answered(request: HttpRequest, focus: Focus) -> HttpResponse:
    messages.info(request, f"You already answered for “{focus.resource.title}”.")
    return redirect(safe_next(request, "/"))


def note(request: HttpRequest, slug: str) -> HttpResponse:
    """The learner's private note on a resource: shown, edited inline with htmx, saved."""
    resource = _get_resource(request, slug)
    note = request.user.notes.filter(resource=resource).first()
    back = safe_next(request, reverse("assessment:note", args=[resource.slug]))
    context = {
        "resource": resource,
        "note": note,
        "next": back,
        "max_length": notes_module.MAX_NOTE_LENGTH,
        "note_text": note.text if note else "",
    }
    if request.method == "POST":
        text = request.POST.get("text", "")
        if len(text) > notes_module.MAX_NOTE_LENGTH:
            context.update(
                note_text=text,
                editing=True,
                error=f"Keep the note under {notes_module.MAX_NOTE_LENGTH:,} characters.",
            )
            template = "assessment/note.html#note_form" if request.htmx else "assessment/note.html"
            return render(request, template, context, status=400)
        context["note"] = save_note(request.user, resource, text)
        messages.success(request, f"Your note on “{resource.title}” is saved.")
        if request.htmx:
            return render(request, "assessment/note.html#note_view", context)
        return redirect(back)
    context["editing"] = request.GET.get("edit") == "1"
    if request.htmx:
        part = "note_form" if context["editing"] else "note_view"
        return render(request, f"assessment/note.html#{part}", context)
    return render(request, "assessment/note.html", context)


@require_POST
def calendar_new(request: HttpRequest) -> HttpResponse:
    """A new secret calendar address; any earlier one stops working."""
    CalendarToken.issue(request.user)
    messages.success(
        request, "Your calendar address is ready. Subscribe to it in your calendar app."
    )
    return redirect(reverse("home") + "#calendar")


@require_POST
def calendar_revoke(request: HttpRequest) -> HttpResponse:
    CalendarToken.revoke_all(request.user)
    messages.success(request, "Your calendar address is revoked: it no longer works.")
    return redirect(reverse("home") + "#calendar")


@login_not_required
@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The learner's reviews and focus end as iCalendar, for subscribing. The token is the key."""
    calendar = (
        CalendarToken.objects.filter(token=token, revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if calendar is None:
        raise Http404("No calendar at this address.")
    user = calendar.user
    base = request.build_absolute_uri("/")[:-1]
    items = [
        ical.ReviewItem(
            id=review.pk,
            resource_title=review.resource.title,
            due=review.due,
            stamp=review.created_at,
            url=base + review.resource.get_absolute_url(),
        )
        for review in user.reviews.pending().select_related("resource").order_by("due", "id")
    ]
    focus = user.focuses.filter(answered_at__isnull=True).select_related("resource").first()
    focus_item = (
        ical.FocusItem(
            id=focus.pk,
            resource_title=focus.resource.title,
            ends_on=focus.ends_on,
            stamp=focus.created_at,
            url=base + focus.resource.get_absolute_url(),
        )
        if focus
        else None
    )
    response = HttpResponse(
        ical.build_calendar(items, focus_item), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="mathpath-reviews.ics"'
    # The address is the secret: keep it out of shared caches and referrers.
    response["Cache-Control"] = "private, max-age=900"
    response["Referrer-Policy"] = "no-referrer"
    return response


TIMELINE_LIMIT = 200


def progress_page(request: HttpRequest) -> HttpResponse:
    """When the learner started and finished each resource, and every change they made."""
    zone = learner_time_zone(request.user)
    records = list(request.user.progress.for_timeline())
    events = list(request.user.progress_events.select_related("resource")[: TIMELINE_LIMIT + 1])
    context = {
        "records": records,
        "events": events[:TIMELINE_LIMIT],
        "more_events": len(events) > TIMELINE_LIMIT,
    }
    with timezone.override(reviews.zone(zone)):
        return render(request, "assessment/progress.html", context)


HEATMAP_WEEKS = 12
RATING_SERIES = [charts.Series(name, RATING_GUIDE[name]["label"]) for name in RATING_FIELDS]
DASHBOARD_LIVE_TARGET = "dashboard-progress"


def dashboard(request: HttpRequest) -> HttpResponse:
    """The signed-in home page: focus, reviews due, next steps, progress and charts."""
    user = request.user
    zone = learner_time_zone(user)
    today = reviews.local_today(zone)
    if request.htmx and request.htmx.target == DASHBOARD_LIVE_TARGET:
        context = _dashboard_live(user, today)
        return render(request, "assessment/dashboard.html#progress", {**context, "oob": True})
    # Everything below the heading comes from the cache until the learner or the catalogue
    # changes something, or the learner's day turns (due reviews, days left, the heatmap).
    dashboard_html = cached_html(
        request,
        "dashboard",
        lambda: _render_dashboard(request, zone, today),
        today,
        zone,
        request.get_host(),  # the calendar address is absolute
        bool(request.htmx),
    )
    return render(
        request, "assessment/dashboard.html", {"today": today, "dashboard_html": dashboard_html}
    )


def _dashboard_live(user, today: date) -> dict:
    """The parts of the dashboard a status change moves: bars, reviews and exercises."""
    entries = list(user.roadmap_entries.for_roadmap_page())
    stages = list({e.stage_id: e.stage for e in entries}.values())
    due_reviews, upcoming = [], []
    for review in user.reviews.for_dashboard(today):
        review.due_words = reviews.describe_due(review.due, today)
        (due_reviews if review.due <= today else upcoming).append(review)
    return {
        "today": today,
        "entries": entries,
        "overall": progress_summary(stages, entries),
        "due_reviews": due_reviews,
        "upcoming_reviews": upcoming,
        "ratings": Rating.choices,
        "suggestions": list(user.exercise_suggestions.open().select_related("resource")),
    }


def _render_dashboard(request: HttpRequest, zone: str, today: date) -> str:
    user = request.user
    context = _dashboard_live(user, today)
    entries = context["entries"]
    focus = _get_open_focus_for_user(request)
    open_steps = [e for e in entries if e.counts and not e.is_done]
    focus_progress = None
    if focus:
        focus_progress = next((e.progress for e in entries if e.resource_id == focus.resource_id),
                              None)
        if focus_progress is None:
            focus_progress = user.progress.filter(resource=focus.resource).first()
    assessments = list(user.assessments.for_chart())
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
            "calendar_url": request.build_absolute_uri(
                reverse("assessment:calendar_feed", args=[token.token])
            )
            if token
            else "",
        }
    )
    with timezone.override(reviews.zone(zone)):
        return render_to_string("assessment/dashboard.html#content", context, request)
