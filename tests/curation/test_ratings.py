"""Ratings in context: only after done, shown past the threshold, grouped by self-rating."""

import pytest
from django.urls import reverse

from curation import ratings
from curation.models import Rating
from progress.models import Progress, Status
from tests.assessment.factories import AssessmentFactory
from tests.catalog.factories import DomainFactory, ResourceFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def resource():
    area = DomainFactory(slug="linear-algebra", name="Linear algebra")
    return ResourceFactory(title="Essence of Linear Algebra", domains=[area])


def rate_url(resource):
    return reverse("curation:rate", args=[resource.slug])


def finished(user, resource, self_rating=None):
    if self_rating is not None:
        AssessmentFactory(user=user, linear_algebra=self_rating)
    Progress.objects.change(user, resource, Status.DONE)
    return user


def rater(resource, self_rating, usefulness=4, hours=None, difficulty="as-expected"):
    user = finished(UserFactory(), resource, self_rating)
    return Rating.objects.put(
        user, resource, usefulness=usefulness, difficulty=difficulty, actual_hours=hours
    )


def test_a_learner_who_finished_rates_in_one_screen(user_client, user, resource):
    finished(user, resource, self_rating=2)
    html = user_client.get(resource.get_absolute_url()).content.decode()
    assert rate_url(resource) in html and "rate it in one screen" in html
    form = user_client.get(rate_url(resource)).content.decode()
    for name in ('name="usefulness"', 'name="difficulty"', 'name="actual_hours"'):
        assert name in form
    response = user_client.post(
        rate_url(resource), {"usefulness": "5", "difficulty": "harder", "actual_hours": "30"},
        follow=True,
    )
    assert "your rating of “Essence of Linear Algebra” is saved" in response.content.decode()
    assert "You rated it 5 of 5." in response.content.decode()
    rating = Rating.objects.get()
    assert (rating.usefulness, rating.difficulty, rating.actual_hours, rating.self_rating) == (
        5, "harder", 30, 2
    )


def test_rating_again_replaces_the_first(user_client, user, resource):
    finished(user, resource)
    user_client.post(rate_url(resource), {"usefulness": "2", "difficulty": "easier"})
    user_client.post(rate_url(resource), {"usefulness": "4", "difficulty": "easier"})
    assert list(Rating.objects.values_list("usefulness", flat=True)) == [4]


def test_a_learner_who_has_not_finished_cannot_rate(user_client, resource):
    response = user_client.post(rate_url(resource), {"usefulness": "5", "difficulty": "harder"})
    assert response.status_code == 403
    assert "Mark “Essence of Linear Algebra” done first" in response.content.decode()
    assert not Rating.objects.exists()
    assert rate_url(resource) not in user_client.get(resource.get_absolute_url()).content.decode()


def test_bad_answers_are_named_and_kept(user_client, user, resource):
    finished(user, resource)
    response = user_client.post(
        rate_url(resource), {"usefulness": "9", "difficulty": "harder", "actual_hours": "0"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice" in html and "greater than or equal to 1" in html
    assert 'value="harder" checked' in html or 'value="harder"\n' in html or "checked" in html
    assert not Rating.objects.exists()


def test_signed_out_visitors_are_sent_to_log_in(client, resource):
    assert client.get(rate_url(resource)).status_code == 302


def test_below_five_raters_nothing_is_shown(client, resource):
    for _ in range(4):
        rater(resource, 2, usefulness=5)
    html = client.get(resource.get_absolute_url()).content.decode()
    assert "of 5 (" not in html


def test_past_five_raters_the_page_breaks_ratings_down_by_self_rating(client, resource):
    for usefulness in (5, 5, 4, 5, 4):
        rater(resource, 1, usefulness=usefulness, hours=35)
    for _ in range(2):
        rater(resource, 5, usefulness=1, hours=5, difficulty="easier")
    html = client.get(resource.get_absolute_url()).content.decode()
    assert "All learners: 3.6 of 5 (7 learners), about 35 hours; 2 easier." in html
    assert "Learners who rated themselves 1\u20132: 4.6 of 5 (5 learners), about 35 hours." in html
    assert "rated themselves 4\u20135" not in html  # two learners are too few to show


def test_the_median_of_actual_hours_counts_after_ten(client, resource):
    for hours in (30, 32, 34, 35, 35, 36, 38, 40, 400):
        rater(resource, 3, hours=hours)
    assert "Time: about" not in client.get(resource.get_absolute_url()).content.decode()
    for hours in (35, 35, 35, 35, 1):
        rater(resource, 3, hours=hours)
    html = client.get(resource.get_absolute_url()).content.decode()
    assert "Time: about 35 hours (from 14 learners)." in html


def test_the_rule_as_a_table():
    assert ratings.learners_hours([10] * 9) is None
    assert ratings.learners_hours([10] * 9 + [None, None]) is None
    assert ratings.learners_hours([1, 2, 3, 4, 5, 6, 7, 8, 9, 1000]) == 6
    assert ratings.summarise([]) is None


def test_ratings_are_in_the_export_and_never_shown_singly(user_client, user, resource):
    finished(user, resource)
    Rating.objects.put(user, resource, usefulness=3, difficulty="harder", actual_hours=12)
    data = user_client.get(reverse("accounts:export")).json()
    assert data["ratings"]["curation.Rating"][0]["actual_hours"] == 12


def test_the_resource_page_keeps_its_query_count_with_ratings(
    user_client, user, resource, django_assert_max_num_queries
):
    finished(user, resource, 2)
    for _ in range(12):
        rater(resource, 2, hours=20)
    with django_assert_max_num_queries(9):
        html = user_client.get(resource.get_absolute_url()).content.decode()
    assert "about 20 hours (from 12 learners)" in html


def test_the_rate_page_runs_a_fixed_number_of_queries(
    user_client, user, resource, django_assert_max_num_queries
):
    finished(user, resource)
    # session, user, resource, own rating, done
    with django_assert_max_num_queries(5):
        assert user_client.get(rate_url(resource)).status_code == 200


def test_the_learners_hours_feed_the_roadmap_after_ten(resource):
    from assessment.models import resource_info

    for hours in (30, 35, 35, 35, 40, 35, 35, 35, 30):
        rater(resource, 3, hours=hours)
    resource.refresh_from_db()
    assert resource.learner_hours is None and resource.expected_hours == 10
    rater(resource, 3, hours=36)
    resource.refresh_from_db()
    assert (resource.learner_hours, resource.learner_hours_count) == (35, 10)
    assert resource.expected_hours == 35
    # The roadmap builder plans the resource at the learners' hours.
    assert resource_info(resource).estimated_hours == 35
