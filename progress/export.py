"""The progress app's part of a learner's data export (see accounts/export.py)."""

from progress.models import CardReview


def _iso(value):
    return value.isoformat() if value is not None else None


def user_sections(user) -> dict:
    """Every progress record of `user`, keyed by export section."""
    history: dict[int, list] = {}
    for event in user.progress_events.order_by("at", "id"):
        history.setdefault(event.resource_id, []).append(
            {"status": event.status, "at": _iso(event.at)}
        )
    progress = [
        {
            "resource": p.resource.slug,
            "status": p.status,
            "skip_reason": p.skip_reason,
            "started_at": _iso(p.started_at),
            "finished_at": _iso(p.finished_at),
            "history": history.get(p.resource_id, []),
        }
        for p in user.progress.select_related("resource").order_by("resource__slug")
    ]
    reviews = [
        {
            "resource": r.resource.slug,
            "due": _iso(r.due),
            "interval_days": r.interval_days,
            "done_at": _iso(r.done_at),
            "rating": r.rating or None,
        }
        for r in user.reviews.select_related("resource").order_by("due", "id")
    ]
    focus = [
        {
            "resource": f.resource.slug,
            "starts_on": _iso(f.starts_on),
            "ends_on": _iso(f.ends_on),
            "outcome": f.outcome or None,
            "answered_at": _iso(f.answered_at),
        }
        for f in user.focuses.select_related("resource").order_by("created_at", "id")
    ]
    notes = [
        {"resource": n.resource.slug, "markdown": n.text, "updated_at": _iso(n.updated_at)}
        for n in user.notes.select_related("resource").order_by("resource__slug")
    ]
    exercises = [
        {
            "resource": e.resource.slug,
            "domain": e.domain,
            "exercise": e.exercise.title,
            "concept": e.concept_exercise.concept.slug if e.concept_exercise else None,
            "suggested_at": _iso(e.created_at),
            "due_at": _iso(e.due_at),
            "done_at": _iso(e.done_at),
            "dismissed_at": _iso(e.dismissed_at),
        }
        for e in user.exercise_suggestions.select_related(
            "resource", "concept_exercise__concept"
        ).order_by("created_at", "id")
    ]
    # The feed's secret itself stays out of the file: it is a key, not something learned.
    calendar = [
        {"created_at": _iso(t.created_at), "revoked_at": _iso(t.revoked_at)}
        for t in user.calendar_tokens.order_by("created_at", "id")
    ]
    concepts_known = [
        {
            "slug": k.concept.slug,
            "first_seen": _iso(k.first_seen),
            "source": k.source,
            "resource": k.resource.slug if k.resource else None,
        }
        for k in user.known_concepts.select_related("concept", "resource").order_by(
            "first_seen", "id"
        )
    ]
    learner_cards = list(user.learner_cards.for_export())
    cards = [
        {
            "concept": c.card.concept.slug,
            "prompt_id": c.card.key,
            "state": c.state,
            "due": _iso(c.due),
            "last_review": _iso(c.last_review),
            "reps": c.reps,
            "lapses": c.lapses,
            "stability": c.stability,
            "difficulty": c.difficulty,
        }
        for c in learner_cards
    ]
    by_id = {c.pk: f"{c.card.concept.slug}/{c.card.key}" for c in learner_cards}
    card_reviews = [
        {"card": by_id[r.learner_card_id], "rating": r.rating, "reviewed_at": _iso(r.reviewed_at)}
        for r in CardReview.objects.filter(learner_card__user=user).order_by("reviewed_at", "id")
    ]
    study_log = [
        {"resource": entry.resource.slug if entry.resource else None, "minutes": entry.minutes,
         "logged_on": _iso(entry.logged_on), "note": entry.note}
        for entry in user.study_log.select_related("resource").order_by("logged_on", "id")
    ]
    return {
        "concepts_known": concepts_known,
        "cards": cards,
        "card_reviews": card_reviews,
        "study_log": study_log,
        "progress": progress,
        "reviews": reviews,
        "focus": focus,
        "notes": notes,
        "exercises": exercises,
        "calendar": calendar,
    }
