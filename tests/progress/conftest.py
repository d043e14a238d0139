"""Fixtures for the progress feature: a frozen clock and a learner with a small roadmap."""

import datetime as dt

import pytest


class FrozenClock:
    """Django's clock held still at `moment`, movable by the test."""

    def __init__(self, moment):
        self.moment = moment

    def now(self):
        return self.moment

    def set(self, moment):
        self.moment = moment

    def advance(self, **delta):
        self.moment += dt.timedelta(**delta)


@pytest.fixture
def frozen_clock(monkeypatch):
    """Freeze `django.utils.timezone.now` at 2026-03-10 12:00 UTC; move it with .set()."""
    from django.utils import timezone

    clock = FrozenClock(dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC))
    monkeypatch.setattr(timezone, "now", clock.now)
    return clock


@pytest.fixture
def catalogue(db):
    from tests.assessment.factories import small_catalogue

    return small_catalogue()


@pytest.fixture
def roadmap(catalogue, user):
    """The learner's roadmap: linear algebra first (rated 2), every area in a stage."""
    from assessment.models import Roadmap
    from tests.assessment.factories import AssessmentFactory

    return Roadmap.build_for(AssessmentFactory(user=user, linear_algebra=2, calculus=4))


@pytest.fixture
def first_entry(roadmap, user):
    return user.roadmap_entries.for_roadmap_page().first()


HTMX = {"HX-Request": "true"}
