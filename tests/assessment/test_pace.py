"""Pace and re-forecast, as tables with the date given (a frozen clock), and on the dashboard."""

from datetime import date, timedelta

import pytest

from accounts.models import Profile
from assessment import pace
from assessment import roadmap as builder
from assessment.models import ProjectionChange, Roadmap
from progress import reviews
from progress.models import StudyLog
from progress.studylog import Week
from tests.assessment.factories import AssessmentFactory, ResourceFactory
from tests.factories import UserFactory

MONDAY = date(2026, 6, 15)


def weeks_of_minutes(*minutes, last_monday=MONDAY):
    """Weeks ending with the one of `last_monday`, oldest first."""
    count = len(minutes)
    return [Week(last_monday - timedelta(weeks=count - 1 - n), m) for n, m in enumerate(minutes)]


@pytest.mark.parametrize(
    ("minutes", "today", "first_logged", "expected"),
    [
        # Four complete weeks before this one; this week (still under way) never counts.
        ((120, 240, 360, 480, 600), MONDAY + timedelta(days=3), date(2026, 1, 1), 5.0),
        ((0, 0, 0, 180, 999), MONDAY, date(2026, 6, 8), 3.0),  # began logging last week
        ((0, 0, 180, 0, 0), MONDAY, date(2026, 6, 1), 1.5),  # two weeks since, one empty
        ((0, 0, 0, 0, 300), MONDAY, MONDAY, None),  # only this week so far
        ((0, 0, 0, 0, 0), MONDAY, None, None),  # never logged
        ((0, 0, 0, 0, 0), MONDAY, date(2025, 1, 1), 0.0),  # stopped logging
    ],
)
def test_the_actual_pace(minutes, today, first_logged, expected):
    assert pace.actual_pace(weeks_of_minutes(*minutes), today, first_logged) == expected


@pytest.mark.parametrize(
    ("remaining", "planned", "actual", "planned_finish", "projected_finish", "offers"),
    [
        (60, 6, None, date(2026, 8, 24), date(2026, 8, 24), False),  # 10 weeks either way
        (60, 6, 6.0, date(2026, 8, 24), date(2026, 8, 24), False),
        (60, 6, 3.0, date(2026, 8, 24), date(2026, 11, 2), True),  # 20 weeks: slips 10
        (12, 6, 4.0, date(2026, 6, 29), date(2026, 7, 6), False),  # one week later: no offer
        (12, 6, 12.0, date(2026, 6, 29), date(2026, 6, 22), False),  # ahead of the plan
        (0, 6, 0.0, MONDAY, MONDAY, False),  # nothing left
    ],
)
def test_the_forecast(remaining, planned, actual, planned_finish, projected_finish, offers):
    result = pace.forecast(remaining, planned, actual, MONDAY)
    assert (result.planned_finish, result.projected_finish) == (planned_finish, projected_finish)
    assert result.slipping is offers


def test_remaining_hours_count_one_alternative_per_required_role_less_the_time_logged():
    items = [
        builder.Item(key=1, stage=0, step="la/beginner", role="understand", hours=10, done=True),
        builder.Item(key=2, stage=0, step="la/beginner", role="practise", hours=30),
        builder.Item(key=3, stage=0, step="la/beginner", role="practise", hours=20, chosen=True),
        builder.Item(key=4, stage=0, step="la/beginner", role="apply", hours=8),
        builder.Item(key=5, stage=0, step="la/beginner", role="reference", hours=5),
        builder.Item(key=6, stage=1, step="calc/beginner", role="understand", hours=6,
                     optional=True),
    ]
    tracked = builder.track(items, [0, 1], 6, MONDAY)
    resource_of = {n: 100 + n for n in range(1, 7)}
    # The pick (20 h) less 2.5 h logged on it, and the apply role's 8 h.
    assert pace.remaining_hours(tracked, resource_of, {103: 150, 102: 600}) == 25.5


@pytest.mark.parametrize(
    ("days", "words"),
    [(2, "two days later than last week"), (1, "one day later than last week"),
     (-12, "12 days earlier than last week"), (0, "the same as last week")],
)
def test_how_the_projection_moved_in_words(days, words):
    assert pace.moved_words(days) == words


@pytest.mark.django_db
def test_a_projection_is_kept_only_when_it_moves():
    user = UserFactory()
    first = pace.forecast(60, 6, None, MONDAY)
    kept = ProjectionChange.objects.record(user, MONDAY, first)
    assert ProjectionChange.objects.record(user, MONDAY + timedelta(days=1),
                                           pace.forecast(60, 6, None, MONDAY)) == kept
    later = ProjectionChange.objects.record(user, MONDAY + timedelta(days=7),
                                            pace.forecast(60, 6, 3.0, MONDAY))
    assert ProjectionChange.objects.count() == 2
    assert ProjectionChange.objects.as_of(user, MONDAY + timedelta(days=6)) == kept
    assert ProjectionChange.objects.as_of(user, MONDAY + timedelta(days=7)) == later


@pytest.fixture
def slipping_learner(db):
    """A learner planning 6 h a week with 60 h of work who logged 1 h a week for a month."""
    user = UserFactory()
    ResourceFactory(level="beginner", domains=["linear-algebra"], estimated_hours=60)
    Roadmap.build_for(AssessmentFactory(user=user, linear_algebra=1))
    profile = Profile.for_user(user)
    profile.weekly_hours = 6
    profile.save()
    today = reviews.local_today(profile.time_zone)
    for n in range(1, 5):
        StudyLog.objects.create(user=user, minutes=60, logged_on=today - timedelta(weeks=n))
    return user


@pytest.mark.django_db
def test_the_dashboard_offers_a_change_when_the_projection_slips_and_keep_going_stops_it(
    client, slipping_learner
):
    client.force_login(slipping_learner)
    html = client.get("/").content.decode()
    assert "1.0 h a week over the last four weeks; you planned 6 h." in html
    assert "What would you like to do?" in html
    assert "Lower the plan" in html and "Change your weekly hours" in html
    response = client.post("/dashboard/keep-going/", follow=True)
    assert "Keep going: your plan stays as it is." in response.content.decode()
    assert "What would you like to do?" not in response.content.decode()
    assert ProjectionChange.objects.get().kept_going_at is not None


@pytest.mark.django_db
def test_lowering_the_plan_moves_the_projected_finish_earlier_and_puts_it_back(client):
    user = UserFactory()
    ResourceFactory(level="beginner", domains=["linear-algebra"], role="understand",
                    estimated_hours=30)
    project = ResourceFactory(level="beginner", domains=["linear-algebra"], role="apply",
                              estimated_hours=30)
    Roadmap.build_for(AssessmentFactory(user=user, linear_algebra=1))
    today = reviews.local_today(Profile.for_user(user).time_zone)
    for n in range(1, 5):
        StudyLog.objects.create(user=user, minutes=60, logged_on=today - timedelta(weeks=n))
    StudyLog.objects.create(user=user, minutes=120, resource=project, logged_on=today)
    client.force_login(user)
    html = client.get("/").content.decode()
    assert "58.0 h left" in html and "What would you like to do?" in html
    before = ProjectionChange.objects.latest("id").projected_finish

    response = client.post("/dashboard/lower-plan/", {"lowered": "1"}, follow=True)
    html = response.content.decode()
    assert "Your plan is lowered" in html and "30.0 h left" in html
    after = ProjectionChange.objects.latest("id").projected_finish
    assert after < before
    assert StudyLog.objects.filter(user=user).count() == 5  # the time logged is kept
    roadmap_page = client.get("/roadmap/").content.decode()
    assert "(optional)" in roadmap_page and project.title in roadmap_page

    html = client.post("/dashboard/lower-plan/", {"lowered": "0"}, follow=True).content.decode()
    assert "Your full plan is back" in html and "58.0 h left" in html
    assert ProjectionChange.objects.latest("id").projected_finish == before


@pytest.mark.django_db
def test_a_learner_without_a_roadmap_cannot_lower_one(client):
    client.force_login(UserFactory())
    assert client.post("/dashboard/lower-plan/", {"lowered": "1"}).status_code == 404
