"""The assessment app's part of a learner's data export (see accounts/export.py)."""

from assessment.models import OPTIONAL_RATING_FIELDS, RATING_FIELDS, Roadmap, track_entries


def _iso(value):
    return value.isoformat() if value is not None else None


def user_sections(user) -> dict:
    """Every assessment of `user` and their roadmap, keyed by export section."""
    assessments = [
        {
            "ratings": {
                name: getattr(a, name) for name in (*RATING_FIELDS, *OPTIONAL_RATING_FIELDS)
            },
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
    plan = Roadmap.objects.filter(user=user).select_related("user__profile").first()
    if plan is not None:  # the stages' projected dates, as the roadmap page shows them
        tracked = plan.schedule(list(stages.values()), entries)
    else:
        tracked = track_entries([], [])
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
            "step": e.step,
            "role": e.role,
            "optional": e.is_optional or e.role == "reference",
            "chosen": e.is_chosen,
            "added_by_learner": e.added_by_learner,
            "skipped": e.skipped,
            "skip_reason": e.skip_reason,
            "stage_starts_on": _iso(stages[e.stage_id].starts_on),
            "stage_finishes_on": _iso(stages[e.stage_id].finishes_on),
        }
        for e in entries
    ]
    summary = {
        "steps_total": tracked.steps_total,
        "steps_done": tracked.steps_done,
        "percent": tracked.percent,
        "projected_finish": _iso(tracked.finishes_on) if plan is not None else None,
    }
    emails_sent = [
        {"kind": e.kind, "sent_at": _iso(e.sent_at), "day": _iso(e.day),
         "failed_at": _iso(e.failed_at)}
        for e in user.emails_sent.order_by("sent_at", "id")
    ]
    return {
        "assessments": assessments,
        "roadmap": roadmap,
        "roadmap_summary": summary,
        "emails_sent": emails_sent,
    }
