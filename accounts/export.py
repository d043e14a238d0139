"""Everything MathPath holds about one user, as one JSON-ready dict.

EXPORTED_MODELS names every model that belongs to a user (has a foreign key, one-to-one
or many-to-many to the user model) and the key of the export it appears under. A test
walks all installed models and fails when one is in neither EXPORTED_MODELS nor
NOT_EXPORTED, so a new feature cannot forget to export its data.

The sections of the learning features come from assessment.export and progress.export. Until
that function writes a section, its models are exported as they are stored: every field
of every row that belongs to the user. Nothing is ever left out of the file.
"""

import json

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.db import models
from django.utils import timezone

from accounts.models import Profile

FORMAT = "mathpath-export"
VERSION = 1

EXPORTED_MODELS = {
    "accounts.Profile": "profile",
    "account.EmailAddress": "emails",
    "mfa.Authenticator": "authenticators",
    "usersessions.UserSession": "sessions",
    # The learning features, exported by assessment.export.user_sections().
    "assessment.Assessment": "assessments",
    "assessment.Roadmap": "roadmap",
    "assessment.RoadmapEntry": "roadmap",
    "progress.Progress": "progress",
    "progress.ProgressEvent": "progress",
    "progress.Review": "reviews",
    "progress.Focus": "focus",
    "progress.Note": "notes",
    "progress.ExerciseSuggestion": "exercises",
    "progress.CalendarToken": "calendar",
    "progress.KnownConcept": "concepts_known",
    "progress.LearnerCard": "cards",
    "assessment.EmailSent": "emails_sent",
    "assessment.ProjectionChange": "projections",
    "progress.StudyLog": "study_log",
    # Curation: the learner's problem reports, suggestions and ratings, and the public card.
    "curation.Flag": "flags",
    "curation.Suggestion": "suggestions",
    "curation.Rating": "ratings",
    "curation.PublicCard": "public_card",
}

NOT_EXPORTED = {
    "admin.LogEntry": "Staff actions in the admin, an audit trail of the site, not learner data.",
}


def _iso(value):
    return value.isoformat() if value is not None else None


def _profile(user) -> dict | None:
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        return None
    return {
        "goal": profile.goal,
        "weekly_hours": profile.weekly_hours,
        "budget": profile.budget,
        "styles": list(profile.styles),
        "time_zone": profile.time_zone,
        "updated_at": _iso(profile.updated_at),
        "reminders_daily": profile.reminders_daily,
        "reminders_weekly": profile.reminders_weekly,
        "reminders_focus": profile.reminders_focus,
        "reminder_time": profile.reminder_time.strftime("%H:%M"),
        "weekly_summary_day": profile.weekly_summary_day,
    }


def _emails(user) -> list[dict]:
    from allauth.account.models import EmailAddress

    return [
        {"email": address.email, "verified": address.verified, "primary": address.primary}
        for address in EmailAddress.objects.filter(user=user).order_by("email")
    ]


def _authenticators(user) -> list[dict]:
    from allauth.mfa.models import Authenticator

    # Which kinds of second factor are set up and when, never their secrets.
    return [
        {
            "type": authenticator.type,
            "created_at": _iso(authenticator.created_at),
            "last_used_at": _iso(authenticator.last_used_at),
        }
        for authenticator in Authenticator.objects.filter(user=user).order_by("created_at")
    ]


def _sessions(user) -> list[dict]:
    from allauth.usersessions.models import UserSession

    # Where and when the user was signed in; the session keys themselves stay secret.
    return [
        {
            "ip": session.ip,
            "user_agent": session.user_agent,
            "created_at": _iso(session.created_at),
            "last_seen_at": _iso(session.last_seen_at),
        }
        for session in UserSession.objects.filter(user=user).order_by("created_at")
    ]


def _stored_rows(user, label: str) -> list[dict]:
    """Every row of the model `label` that belongs to `user`, field by field."""
    model = apps.get_model(label)
    owner_fields = [
        field.name
        for field in model._meta.get_fields()
        if field.concrete
        and isinstance(field, (models.ForeignKey, models.ManyToManyField))
        and field.related_model is get_user_model()
    ]
    if not owner_fields:
        return []
    condition = models.Q()
    for name in owner_fields:
        condition |= models.Q(**{name: user.pk})
    rows = model._default_manager.filter(condition).distinct().order_by("pk")
    return [
        {"id": row["pk"], **row["fields"]}
        for row in json.loads(serializers.serialize("json", rows))
    ]


def _stored_sections(user, keys) -> dict:
    sections = {}
    for key in keys:
        labels = [label for label, mapped in EXPORTED_MODELS.items() if mapped == key]
        sections[key] = {label: _stored_rows(user, label) for label in labels}
    return sections


def export_user_data(user) -> dict:
    """All of `user`'s data, keyed by section; the README documents the schema."""
    from assessment import export as assessment_export
    from progress import export as progress_export

    data = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": _iso(timezone.now()),
        "user": {
            "email": user.email,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        },
        "profile": _profile(user),
        "emails": _emails(user),
        "authenticators": _authenticators(user),
        "sessions": _sessions(user),
    }
    data.update(assessment_export.user_sections(user))
    data.update(progress_export.user_sections(user))
    missing = sorted(set(EXPORTED_MODELS.values()) - set(data))
    data.update(_stored_sections(user, missing))
    return data
