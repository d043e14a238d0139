"""The progress panel other apps' pages include (the catalogue's detail page)."""

from django import template
from django.db.models import OuterRef, Subquery

from assessment.models import Note, Progress
from catalog.models import Resource

register = template.Library()

PROGRESS_FIELDS = ("status", "skip_reason", "started_at", "finished_at")
NOTE_FIELDS = ("text", "updated_at")


def _own_progress_and_note(user, resource):
    """The viewer's Progress and Note on `resource` (either may be None), in one query."""
    progress = Progress.objects.filter(user=user, resource=OuterRef("pk"))
    note = Note.objects.filter(user=user, resource=OuterRef("pk"))
    row = (
        Resource.objects.filter(pk=resource.pk)
        .annotate(
            **{f"p_{f}": Subquery(progress.values(f)[:1]) for f in PROGRESS_FIELDS},
            **{f"n_{f}": Subquery(note.values(f)[:1]) for f in NOTE_FIELDS},
        )
        .values(*(f"p_{f}" for f in PROGRESS_FIELDS), *(f"n_{f}" for f in NOTE_FIELDS))
        .first()
    ) or {}
    found_progress = found_note = None
    if row.get("p_status"):
        found_progress = Progress(
            user=user, resource=resource, **{f: row[f"p_{f}"] for f in PROGRESS_FIELDS}
        )
    if row.get("n_updated_at"):
        found_note = Note(user=user, resource=resource, **{f: row[f"n_{f}"] for f in NOTE_FIELDS})
    return found_progress, found_note


@register.inclusion_tag("assessment/_resource_panel.html", takes_context=True)
def resource_progress(context, resource):
    """The signed-in learner's status control and note for `resource`; nothing for visitors.

    The lookup starts from request.user, so the panel only ever shows the viewer's own
    progress and note.
    """
    request = context["request"]
    user = request.user
    if not user.is_authenticated:
        return {"show": False}
    progress, note = _own_progress_and_note(user, resource)
    return {
        "show": True,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "resource": resource,
        "progress": progress,
        "note": note,
        "next": request.get_full_path(),
        "where": "detail",
    }
