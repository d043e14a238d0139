"""Learners who opted in, and what their inbox holds, for the reminder tests."""

from datetime import UTC, date, datetime, time, timedelta

from accounts.models import Profile
from progress.models import Focus
from tests.assessment.factories import ResourceFactory
from tests.factories import UserFactory


def at(text: str) -> datetime:
    """An aware UTC datetime from '2026-03-02T08:00'."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def learner(email, zone="UTC", *, due=1, daily=True, weekly=False, focus=False,
            reminder_time=time(8, 0), summary_day=0, due_on=date(2026, 1, 1)):
    user = UserFactory(email=email)
    profile = Profile.for_user(user)
    profile.time_zone = zone
    profile.reminders_daily, profile.reminders_weekly, profile.reminders_focus = (
        daily, weekly, focus,
    )
    profile.reminder_time, profile.weekly_summary_day = reminder_time, summary_day
    profile.save()
    cards_due(user, due, due_on)
    return user


def focus_on(user, ends_on: date):
    resource = ResourceFactory(title="Essence of linear algebra")
    return Focus.objects.create(user=user, resource=resource, starts_on=ends_on - timedelta(14),
                                ends_on=ends_on)


def cards_due(user, count, due=date(2026, 1, 1)):
    """`count` recall cards of the learner's, due on `due`."""
    from catalog.models import Domain
    from progress.models import LearnerCard
    from tests.progress.concepts import concept_with_cards

    Domain.objects.get_or_create(slug="linear-algebra", defaults={"name": "Linear algebra"})
    made = 0
    while made < count:
        concept = concept_with_cards(f"concept-{user.pk}-{made}")
        for card in concept.cards.all()[: count - made]:
            LearnerCard.objects.create(user=user, card=card, due=due)
            made += 1
