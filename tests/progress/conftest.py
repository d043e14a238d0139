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
