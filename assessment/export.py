"""The assessment app's part of a learner's data export (see accounts/export.py)."""

from assessment.models import RATING_FIELDS


def _iso(value):
    return value.isoformat() if value is not None else None


def user_sections(user) -> dict:
    """Every assessment, roadmap and progress record of `user`, keyed by export section."""
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
            "stage_starts_on": _iso(e.stage.starts_on),
            "stage_finishes_on": _iso(e.stage.finishes_on),
        }
        for e in user.roadmap_entries.for_roadmap_page()
    ]
    return {"assessments": assessments, "roadmap": roadmap}
