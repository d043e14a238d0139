"""Double submits and concurrent rebuilds: one complete result, no server error.

These tests commit for real (transaction=True) and run their requests in threads, each with
its own database connection, so PostgreSQL's locks and constraints are what is tested.
The 200-request versions run against gunicorn in scripts/double_submit.py.
"""

import pytest
from django.test import Client

from accounts.models import User
from assessment.models import Assessment, Roadmap, RoadmapEntry, RoadmapStage
from progress.models import Progress, Status
from tests.assessment.factories import AssessmentFactory, ResourceFactory, small_catalogue
from tests.threads import run_together

SIGNUPS = 12


def snapshot(user):
    """Everything a learner sees of their roadmap, in order, with the dates as drawn."""
    roadmap = Roadmap.objects.get(user=user)
    stages = list(roadmap.stages.order_by("index"))
    entries = list(RoadmapEntry.objects.filter(user=user).for_roadmap_page())
    roadmap.schedule(stages, entries)
    return {
        "roadmap": (roadmap.assessment_id, roadmap.weekly_hours, roadmap.starts_on,
                    roadmap.finishes_on),
        "stages": [
            (s.index, s.area, s.title, s.weeks, s.starts_on, s.finishes_on) for s in stages
        ],
        "entries": [
            (e.stage.index, e.position, e.resource.slug, e.reason, e.is_optional,
             e.added_by_learner, e.skipped, e.skip_reason)
            for e in entries
        ],
    }


def assert_one_consistent_roadmap(user):
    assert Roadmap.objects.filter(user=user).count() == 1
    roadmap = Roadmap.objects.get(user=user)
    # No stage left behind by a build that lost the race, none without entries' roadmap.
    assert RoadmapStage.objects.count() == roadmap.stages.count()
    indexes = list(roadmap.stages.order_by("index").values_list("index", flat=True))
    assert indexes == list(range(len(indexes)))
    entries = RoadmapEntry.objects.filter(user=user)
    assert not entries.exclude(stage__roadmap=roadmap).exists()
    slugs = list(entries.values_list("resource__slug", flat=True))
    assert len(slugs) == len(set(slugs)), "a resource appears twice"
    for stage in roadmap.stages.all():
        positions = sorted(stage.entries.values_list("position", flat=True))
        assert positions == list(range(len(positions))), f"gaps or repeats in {stage}"


@pytest.fixture
def catalogue(db):
    return small_catalogue()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("already_built", [False, True], ids=["first-build", "rebuild"])
def test_two_simultaneous_builds_end_in_one_complete_roadmap(user, catalogue, already_built):
    assessment = AssessmentFactory(user=user, linear_algebra=2, calculus=4)
    if already_built:
        Roadmap.build_for(AssessmentFactory(user=user, linear_algebra=5, calculus=1))

    def build(_n):
        return Roadmap.build_for(Assessment.objects.get(pk=assessment.pk)).pk

    results, errors = run_together(2, build)

    assert not errors
    assert results[0] == results[1]
    assert_one_consistent_roadmap(user)
    built_together = snapshot(user)
    assert built_together["roadmap"][0] == assessment.pk
    # One build on its own makes exactly the same roadmap.
    Roadmap.build_for(assessment)
    assert snapshot(user) == built_together
    assert len(built_together["entries"]) > 10


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "failing", [RoadmapStage, RoadmapEntry], ids=["creating-stages", "creating-entries"]
)
def test_a_rebuild_that_fails_halfway_leaves_the_previous_roadmap_intact(
    user, catalogue, monkeypatch, failing
):
    roadmap = Roadmap.build_for(AssessmentFactory(user=user, linear_algebra=2, calculus=4))
    # The learner's own choices must survive too: a skip with its reason and an addition.
    first = RoadmapEntry.objects.filter(user=user, is_optional=False).first()
    Progress.objects.change(user, first.resource, Status.SKIPPED, "I know this already")
    extra = ResourceFactory(slug="learner-pick", title="Learner pick", domains=["calculus"])
    roadmap.add_resource(extra)
    before = snapshot(user)
    assert ("I know this already" in {e[7] for e in before["entries"]}
            and "learner-pick" in {e[2] for e in before["entries"]})

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away halfway through the rebuild")

    # Both run after the old stages (and with them the old entries) have been deleted.
    monkeypatch.setattr(failing.objects, "bulk_create", fail)
    newer = AssessmentFactory(user=user, linear_algebra=5, calculus=1, weekly_hours=12)
    with pytest.raises(RuntimeError):
        Roadmap.build_for(newer)

    assert snapshot(user) == before
    assert_one_consistent_roadmap(user)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_sign_ups_with_one_email_make_exactly_one_user():
    email = "twice@example.com"
    form = {"email": email, "password1": "a long unusual passphrase 42",
            "password2": "a long unusual passphrase 42"}

    def sign_up(n):
        # One address each, as from many browsers, so the per-IP limit is not what stops them.
        client = Client(REMOTE_ADDR=f"10.9.0.{n + 1}", raise_request_exception=False)
        return client.post("/accounts/signup/", form).status_code

    codes, errors = run_together(SIGNUPS, sign_up)

    assert not errors
    assert User.objects.filter(email__iexact=email).count() == 1
    assert 302 in codes
    # The others see the form again with an error; nobody sees a server error.
    assert all(code in (200, 302, 400) for code in codes), codes
