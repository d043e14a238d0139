"""The progress app's part of a learner's data export (see accounts/export.py)."""


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
            "suggested_at": _iso(e.created_at),
            "dismissed_at": _iso(e.dismissed_at),
        }
        for e in user.exercise_suggestions.select_related("resource").order_by("created_at", "id")
    ]
    # The feed's secret itself stays out of the file: it is a key, not something learned.
    calendar = [
        {"created_at": _iso(t.created_at), "revoked_at": _iso(t.revoked_at)}
        for t in user.calendar_tokens.order_by("created_at", "id")
    ]
    study_log = [
        {"resource": entry.resource.slug if entry.resource else None, "minutes": entry.minutes,
         "logged_on": _iso(entry.logged_on), "note": entry.note}
        for entry in user.study_log.select_related("resource").order_by("logged_on", "id")
    ]
    return {
        "study_log": study_log,
        "progress": progress,
        "reviews": reviews,
        "focus": focus,
        "notes": notes,
        "exercises": exercises,
        "calendar": calendar,
    }
