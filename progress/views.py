"""A learner's progress: status changes, reviews, exercises, focus, notes, calendar, timeline."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import reswap, trigger_client_event

from accounts.models import Profile
from catalog.models import Concept, Resource
from mathpath.htmx_errors import error_fragment
from mathpath.params import row_id
from mathpath.redirects import safe_next
from progress import anki, cards, notes, reviews
from progress.models import (
    CalendarToken,
    CardRating,
    ExerciseSuggestion,
    Focus,
    FocusOutcome,
    LearnerCard,
    Note,
    Progress,
    Review,
    Status,
    learner_time_zone,
)
from progress.studylog import LogTimeForm, logged_message


def _get_resource(request: HttpRequest, slug: str) -> Resource:
    """The resource this learner may see (staff also see drafts), or a 404 that says so."""
    resource = Resource.objects.visible_to(request.user).filter(slug=slug).first()
    if resource is None:
        raise Http404("There is no resource with that address in the catalogue.")
    return resource


def _get_review_for_user(request: HttpRequest, pk: int) -> Review:
    return get_object_or_404(request.user.reviews.select_related("resource"), pk=pk)


def _get_card_for_user(request: HttpRequest, pk: str) -> LearnerCard:
    """The learner's own card (with its concept and the learner's time zone), or a 404."""
    cards_of_user = request.user.learner_cards.select_related("card__concept__domain")
    return get_object_or_404(cards_of_user, pk=row_id(pk))


def _get_suggestion_for_user(request: HttpRequest, pk: int) -> ExerciseSuggestion:
    suggestions = request.user.exercise_suggestions.select_related("resource", "concept_exercise")
    return get_object_or_404(suggestions, pk=pk)


def _get_open_focus_for_user(request: HttpRequest) -> Focus | None:
    return request.user.focuses.filter(answered_at__isnull=True).select_related("resource").first()


def _problem(request: HttpRequest, text: str, back: str = "/", status: int = 400) -> HttpResponse:
    """A 4xx that says what was wrong: next to the control for htmx, a page otherwise."""
    if request.htmx:
        return error_fragment(text, status)
    context = {"problem": text, "back": back}
    return render(request, "progress/problem.html", context, status=status)


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
        "“{}” is done. The cards of its concepts are due tomorrow, and your dashboard has an "
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


@require_POST
def set_status(request: HttpRequest, slug: str) -> HttpResponse:
    """Set the learner's status on a resource. The same status twice changes nothing.

    With htmx the control answers with itself and a `progressChanged` event: whatever else
    on the page shows progress (bars, the roadmap's rows, the dashboard) listens for it and
    fetches its own part.
    """
    # Only what the change and its answer show: the stored search vector alone is kilobytes.
    resource = (
        Resource.objects.visible_to(request.user).only("id", "slug", "title").filter(slug=slug)
    ).first()
    if resource is None:
        return _no_such_resource(request)
    status = request.POST.get("status", "")
    if status not in Status.values:
        return _problem(
            request,
            "That status does not exist: choose not started, in progress, done or skipped.",
            resource.get_absolute_url(),
        )
    change = Progress.objects.change(request.user, resource, status, request.POST.get("reason", ""))
    messages.success(request, _status_message(resource, change))
    if not request.htmx:
        return redirect(safe_next(request, resource.get_absolute_url()))
    return _status_control_answer(request, resource, change.progress)


def _status_control_answer(request: HttpRequest, resource: Resource, progress) -> HttpResponse:
    """The control drawn again where it stands, and the `progressChanged` event."""
    where = request.POST.get("context", "")
    context = {
        "resource": resource,
        "progress": progress,
        "where": where if where in STATUS_PLACES else "detail",
        "next": safe_next(request, ""),
        "answering": True,
    }
    response = render(request, "progress/_status_control.html", context)
    # After the swap has settled: a part that redraws on this event may hold this control, and
    # replacing it mid-swap detaches the control so its out-of-band messages find no target.
    return trigger_client_event(
        response, "progressChanged", {"resource": resource.slug}, after="settle"
    )


# Where a status control can stand; each gets its own element ids.
STATUS_PLACES = {"roadmap", "detail", "focus", "next"}


@require_POST
def complete_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The retired review of a whole resource: reviews are of its concepts' cards now."""
    review = _get_review_for_user(request, pk)
    if review.done_at is not None:
        messages.info(request, f"You already reviewed “{review.resource.title}”.")
    else:
        messages.info(request, "Reviews are of recall cards now: here are the ones due today.")
    return redirect("progress:card_session")


@require_POST
def dismiss_exercise(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = _get_suggestion_for_user(request, pk)
    if suggestion.dismissed_at is None:
        suggestion.dismissed_at = timezone.now()
        suggestion.save(update_fields=["dismissed_at"])
    messages.success(request, f"Dismissed “{suggestion.exercise.title}”.")
    return redirect(safe_next(request, "/"))


@require_POST
def exercise_done(request: HttpRequest, pk: int) -> HttpResponse:
    """The learner coded the exercise: it leaves the dashboard, marked done."""
    suggestion = _get_suggestion_for_user(request, pk)
    if suggestion.mark_done():
        messages.success(request, f"Well done: “{suggestion.exercise.title}” is marked done.")
    else:
        messages.info(request, f"“{suggestion.exercise.title}” was already marked done.")
    return redirect(safe_next(request, "/"))


@require_POST
def choose_focus(request: HttpRequest) -> HttpResponse:
    """Commit to one resource for two weeks (the guide's advice); replaces any open focus."""
    slug = request.POST.get("resource", "").strip()
    if not slug:
        return _problem(request, "Choose a resource to focus on.", safe_next(request, "/"))
    resource = Resource.objects.visible_to(request.user).filter(slug=slug).first()
    if resource is None:
        return _no_such_resource(request)
    # Two choices at the same moment keep one focus: the message names the one kept.
    focus = Focus.objects.start(request.user, resource, _today(request.user))
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
        answered = request.user.focuses.filter(pk=row_id(asked)).first()
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
    back = safe_next(request, reverse("progress:note", args=[resource.slug]))
    context = {
        "resource": resource,
        "note": note,
        "next": back,
        "came_from": _came_from(back, resource),
        "max_length": notes.MAX_NOTE_LENGTH,
        "note_text": note.text if note else "",
    }
    if request.method == "POST":
        text = request.POST.get("text", "")
        if len(text) > notes.MAX_NOTE_LENGTH:
            return _note_too_long(request, context, text)
        context["note"] = Note.objects.put(request.user, resource, text)
        messages.success(request, f"Your note on “{resource.title}” is saved.")
        if request.htmx:
            return render(request, "progress/note.html#note_view", context)
        return redirect(back)
    context["editing"] = request.GET.get("edit") == "1"
    if request.htmx:
        part = "note_form" if context["editing"] else "note_view"
        return render(request, f"progress/note.html#{part}", context)
    return render(request, "progress/note.html", context)


def _note_too_long(request: HttpRequest, context: dict, text: str) -> HttpResponse:
    """A 400 with the form, its error and the text as typed: nothing is lost."""
    context.update(note_text=text, editing=True,
                   error=f"Keep the note under {notes.MAX_NOTE_LENGTH:,} characters.")
    if not request.htmx:
        return render(request, "progress/note.html", context, status=400)
    # The form comes back with its error and the text as typed, in place of itself.
    response = render(request, "progress/note.html#note_form", context, status=400)
    return reswap(response, "outerHTML")


def _came_from(path: str, resource: Resource) -> tuple[str, str]:
    """The page the learner opened the note from, as (address, name), for the breadcrumb."""
    where = path.split("?")[0].split("#")[0]
    if where == reverse("assessment:roadmap"):
        return path, "Your roadmap"
    if where == reverse("home"):
        return path, "Dashboard"
    return resource.get_absolute_url(), resource.title


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
    ics = calendar.as_ics(
        base_url=request.build_absolute_uri("/")[:-1],
        session_path=reverse("progress:card_session"),
    )
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
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
        return render(request, "progress/progress.html", context)


def _zone_and_goal(user) -> tuple[str, str]:
    """The learner's time zone and goal from their profile, in one query."""
    row = Profile.objects.filter(user=user).values_list("time_zone", "goal").first()
    return (row[0] or "UTC", row[1]) if row else ("UTC", "")


def card_session(request: HttpRequest) -> HttpResponse:
    """Due cards one at a time: the prompt, "Show answer", then Again, Hard, Good or Easy.

    `?card=<id>` shows that card's answer; a POST rates a card and the next one follows
    (with htmx, the session's own fragment).
    """
    if request.method == "POST":
        return _rate_card(request)
    zone, goal = _zone_and_goal(request.user)
    today = reviews.local_today(zone)
    due = request.user.learner_cards.for_session(today, goal)
    shown = request.GET.get("card")
    card = _get_card_for_user(request, shown) if shown else due.first()
    context = {"card": card, "showing": bool(shown), "due_count": due.count(), "today": today}
    if card and shown:
        context["ratings"] = [
            (value, label, cards.gap_after(card.schedule, value, today))
            for value, label in CardRating.choices
        ]
    template = "progress/card_session.html" + ("#session" if request.htmx else "")
    return render(request, template, context)


def _rate_card(request: HttpRequest) -> HttpResponse:
    """The answer costs one read (the card with the learner's time zone) and two writes."""
    asked = request.POST.get("card", "")
    card = get_object_or_404(
        request.user.learner_cards.select_related("card__concept").annotate(
            zone=F("user__profile__time_zone")
        ),
        pk=row_id(asked),
    )
    today = reviews.local_today(card.zone or "UTC")
    rating = request.POST.get("rating", "")
    if rating not in {str(value) for value in CardRating.values}:
        return _problem(request, "Rate the card: 1 again, 2 hard, 3 good or 4 easy.",
                        reverse("progress:card_session"))
    if card.due > today or not card.rate(int(rating), today):
        messages.info(request, f"You already reviewed “{card.card.concept.title}” for now.")
    else:
        label = CardRating(int(rating)).label
        when = reviews.describe_due(card.due, today)
        messages.success(request, f"{label}: this card on “{card.card.concept.title}” "
                                  f"comes back {when} ({card.due:%-d %B}).")
    return redirect("progress:card_session")


@require_POST
def add_concept(request: HttpRequest, slug: str) -> HttpResponse:
    """"Add to my cards" on a concept's page: its cards join the learner's deck."""
    concept = Concept.objects.visible_to(request.user).filter(slug=slug).first()
    if concept is None:
        raise Http404("There is no concept with that address.")
    zone, _goal = _zone_and_goal(request.user)
    added = LearnerCard.objects.add_concept(request.user, concept, reviews.local_today(zone))
    if added:
        messages.success(request, f"Added {added} card{'s' if added != 1 else ''} on "
                                  f"“{concept.title}” to your cards: the first are due tomorrow.")
    else:
        messages.info(request, f"The cards on “{concept.title}” are already yours.")
    return redirect(safe_next(request, concept.get_absolute_url()))


@require_safe
def anki_export(request: HttpRequest) -> HttpResponse:
    """The learner's cards as an Anki deck, one deck per area; re-importing updates them."""
    data = [
        anki.CardData(
            area_slug=c.card.concept.domain.slug,
            area_name=c.card.concept.domain.name,
            concept_slug=c.card.concept.slug,
            concept_title=c.card.concept.title,
            key=c.card.key,
            prompt=c.card.prompt,
            answer=c.card.answer,
        )
        for c in request.user.learner_cards.for_anki()
    ]
    body = anki.build_package(data, timezone.now().timestamp())
    response = HttpResponse(body, content_type="application/apkg")
    response["Content-Disposition"] = 'attachment; filename="mathpath-cards.apkg"'
    return response


@require_http_methods(["GET", "POST"])
def log_time(request: HttpRequest) -> HttpResponse:
    """Log study time: a page of its own, and the same form on the dashboard and resources.

    With htmx the form answers with itself (fresh after a save, with its errors and what
    was typed after a refusal) and a `studyLogged` event the week's bar listens for.
    """
    today = _today(request.user)
    resources = Resource.objects.visible_to(request.user)
    template = "progress/log_time.html#log_form" if request.htmx else "progress/log_time.html"
    context = {"next": safe_next(request, ""), "form_id": request.POST.get("form_id", "log-time")}
    if request.method != "POST":
        initial = {"minutes": 30, "logged_on": today, "resource": request.GET.get("resource", "")}
        form = LogTimeForm(initial=initial, today=today, resources=resources)
        return render(request, template, {**context, "form": form})
    form = LogTimeForm(request.POST, today=today, resources=resources)
    if not form.is_valid():
        messages.error(request, "Your time was not logged: please correct the fields marked below.")
        response = render(request, template, {**context, "form": form}, status=400)
        return reswap(response, "outerHTML") if request.htmx else response
    entry = form.save_for(request.user)
    messages.success(request, logged_message(entry))
    if not request.htmx:
        return redirect(safe_next(request, reverse("progress:log_time")))
    fresh = LogTimeForm(initial={"minutes": 30, "logged_on": today,
                                 "resource": request.POST.get("resource", "")},
                        today=today, resources=resources)
    response = render(request, template, {**context, "form": fresh})
    return trigger_client_event(response, "studyLogged", after="settle")
