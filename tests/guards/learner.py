"""A signed-in learner with something for every one of their POST routes to act on.

The routes, a valid body for each and the seeding come from scripts/parallel_posts.py, so
the script and the guards fire the same requests and a route added there is covered here.
"""

import importlib.util
from pathlib import Path

from django.test import Client

from accounts.models import Goal, Profile
from assessment.models import RATING_FIELDS, Assessment
from progress.models import CalendarToken, Focus, Progress, Review, Status

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "parallel_posts.py"
_spec = importlib.util.spec_from_file_location("parallel_posts", SCRIPT)
parallel_posts = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(parallel_posts)


def learner_client(learner, **options):
    """A test client with the seeded learner's session; server errors come back as 500s."""
    client = Client(raise_request_exception=False, **options)
    client.cookies["sessionid"] = learner["session"]
    return client


def assert_nothing_invalid_was_stored():
    """What no request may leave behind, whatever it sent and however many came at once."""
    for assessment in Assessment.objects.all():
        assert all(1 <= value <= 5 for value in (getattr(assessment, f) for f in RATING_FIELDS))
        assert assessment.goal in Goal.values
    assert set(Progress.objects.values_list("status", flat=True)) <= set(Status.values)
    for profile in Profile.objects.all():
        assert 1 <= profile.weekly_hours <= 80
    for user_id in Focus.objects.values_list("user_id", flat=True).distinct():
        assert Focus.objects.filter(user_id=user_id, answered_at__isnull=True).count() <= 1
        assert CalendarToken.objects.filter(user_id=user_id, revoked_at__isnull=True).count() <= 1
    # One finish schedules three reviews; a rating moves them or adds one when none is left.
    for user_id, resource_id in Review.objects.values_list("user_id", "resource_id").distinct():
        pending = Review.objects.filter(user_id=user_id, resource_id=resource_id,
                                        done_at__isnull=True)
        assert pending.count() <= 3
