"""The assessment app's part of a learner's data export (see accounts/export.py)."""

from assessment.models import RATING_FIELDS, Roadmap


def _iso(value):
    return value.isoformat() if value is not None else None


def user_sections(user) -> dict:
    """Every assessment of `user` and their roadmap, keyed by export section."""
    assessments = [
        {
            "ratings": {name: getattr(a, name) for name in RATING_FIELDS},
            "goal": a.goal,
            "taken_at": _iso(a.taken_at),
            "preferences": {
                "budget": a.budget,
                "styles": list(a.styles or []),
                "weekly_hours": a.weekly_hours,
            },
            "calibration": a.calibration or {},
        }
        for a in user.assessments.order_by("taken_at", "id")
    ]
    entries = list(user.roadmap_entries.for_roadmap_page())
    stages = {e.stage_id: e.stage for e in entries}
    plan = Roadmap.objects.filter(user=user).first()
    if plan is not None:  # the stages' projected dates, as the roadmap page shows them
        plan.schedule(list(stages.values()), entries)
    roadmap = [
        {
            "stage": e.stage.index + 1,
            "stage_title": e.stage.title,
            "position": e.position + 1,
            "domain": e.stage.area,
            "resource": e.resource.slug,
            "title": e.resource.title,
            "level": e.resource.level,
            "reason": e.reason,
            "optional": e.is_optional,
            "added_by_learner": e.added_by_learner,
            "skipped": e.skipped,
            "skip_reason": e.skip_reason,
            "stage_starts_on": _iso(stages[e.stage_id].starts_on),
            "stage_finishes_on": _iso(stages[e.stage_id].finishes_on),
        }
        for e in entries
    ]
    emails_sent = [
        {"kind": e.kind, "sent_at": _iso(e.sent_at), "day": _iso(e.day),
         "failed_at": _iso(e.failed_at)}
        for e in user.emails_sent.order_by("sent_at", "id")
    ]
    return {"assessments": assessments, "roadmap": roadmap, "emails_sent": emails_sent}
