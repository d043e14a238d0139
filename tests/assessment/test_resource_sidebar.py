"""The resource page's sidebar for a signed-in learner: where the resource sits on their
roadmap, their status, focus and notes, beside the summary; and a fixed query count."""

from datetime import date

import pytest

from assessment.models import Roadmap
from catalog.models import Resource
from progress.models import Focus, Note, Progress, Status
from tests.assessment.factories import AssessmentFactory, ResourceFactory
from tests.catalog.factories import ConceptLocationFactory


@pytest.fixture
def built(catalogue, user):
    return Roadmap.build_for(AssessmentFactory(user=user, linear_algebra=2, calculus=4))


def test_a_resource_on_the_plan_says_which_stage_and_step(user_client, user, built):
    entry = user.roadmap_entries.select_related("stage", "resource").get(
        resource__slug="calculus-intermediate-1"
    )
    html = user_client.get(entry.resource.get_absolute_url()).content.decode()
    stage = entry.stage.index + 1
    assert f"Stage {stage} · intermediate step</a> on your roadmap" in html
    assert 'href="/roadmap/"' in html


def test_a_resource_off_the_plan_says_nothing_about_stages(user_client, user, built):
    extra = ResourceFactory(slug="extra-reading", domains=["calculus"])
    html = user_client.get(extra.get_absolute_url()).content.decode()
    assert "on your roadmap" not in html and "Add to my roadmap" in html


def test_a_resource_added_by_the_learner_says_so(user_client, user, built):
    extra = ResourceFactory(slug="extra-reading", domains=["calculus"])
    user_client.post("/roadmap/add/", {"resource": extra.slug})
    html = user_client.get(extra.get_absolute_url()).content.decode()
    assert "· added by you</a> on your roadmap" in html


def test_the_focus_button_commits_to_this_resource_and_comes_back(user_client, user, built):
    resource = Resource.objects.get(slug="calculus-beginner-1")
    page = resource.get_absolute_url()
    html = user_client.get(page).content.decode()
    assert 'action="/focus/"' in html and "Make this my focus for two weeks" in html
    response = user_client.post("/focus/", {"resource": resource.slug, "next": page})
    assert response.status_code == 302 and response["Location"] == page
    focus = Focus.objects.get(user=user, answered_at__isnull=True)
    assert focus.resource == resource
    html = user_client.get(page).content.decode()
    assert "<strong>Your focus</strong> until" in html
    assert "Make this my focus for two weeks" not in html


def test_the_sidebar_follows_the_summary_and_every_part_of_the_page_stays(user_client, user, built):
    resource = Resource.objects.get(slug="calculus-beginner-1")
    ConceptLocationFactory(resource=resource)
    html = user_client.get(resource.get_absolute_url()).content.decode()
    order = [
        "What it is",
        'class="detail-side"',
        "Your progress",
        "Your status:",
        "Your notes",
        "Log time on this resource",
        "At a glance",
        'class="detail-rest"',
        "Before you start",
        "What builds on it",
        "Concepts it teaches",
        "Something wrong?",
    ]
    positions = [html.index(text) for text in order]
    assert positions == sorted(positions)


@pytest.mark.parametrize("size", [5, 50])
def test_the_signed_in_page_runs_a_fixed_number_of_queries(
    user_client, user, built, django_assert_num_queries, size
):
    resource = Resource.objects.get(slug="calculus-intermediate-1")
    others = [ResourceFactory(domains=["calculus"]) for _ in range(size)]
    resource.prerequisites.set(others)
    for _ in range(size):
        ConceptLocationFactory(resource=resource)
    Progress.objects.change(user, resource, Status.IN_PROGRESS)
    Note.objects.put(user, resource, "# My note")
    Focus.objects.start(user, resource, date.today())
    # session, user, resource, domains, prerequisites, what builds on it, concepts, the
    # learner's status, note, roadmap place and focus (one query), curation (one query)
    with django_assert_num_queries(9):
        response = user_client.get(resource.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "intermediate step</a> on your roadmap" in html and "<strong>Your focus</strong>" in html
