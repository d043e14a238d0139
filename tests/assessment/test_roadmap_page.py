"""The roadmap page: stages in order, skipping and adding, privacy and a fixed query count."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.models import Roadmap, RoadmapEntry
from tests.assessment.factories import AssessmentFactory, ResourceFactory
from tests.assessment.shown import entry_as_shown, projected_finish

URL = "/roadmap/"


@pytest.fixture
def built(catalogue, user):
    return Roadmap.build_for(AssessmentFactory(user=user, linear_algebra=2, calculus=4))


def test_the_url_is_named_roadmap():
    assert reverse("assessment:roadmap") == URL


def test_visitors_are_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_without_an_assessment_it_points_to_the_questionnaire(user_client):
    response = user_client.get(URL)
    assert response.status_code == 200
    assert 'href="/assessment/"' in response.content.decode()
    assert "don't have a roadmap yet" in response.content.decode()


def test_it_shows_stages_in_order_with_reasons_levels_costs_times_and_dates(user_client, built):
    html = user_client.get(URL).content.decode()
    assert html.index("Stage 1: Linear algebra") < html.index("Go deeper")
    entry = built.stages.first().entries.order_by("position").first()
    assert entry.reason in html
    assert "Beginner" in html and "Free" in html and "about 10 hours" in html
    assert f"Projected finish: <strong>{projected_finish(built):%-d %B %Y}" in html
    assert html.count("<h1") == 1


def test_skipping_says_so_in_the_reason_and_moves_the_finish_date(user_client, user, built):
    # Skipping every alternative of the beginner step takes that step off the schedule.
    entry, *alternatives = user.roadmap_entries.filter(stage__index=0, resource__level="beginner")
    before = projected_finish(built)
    response = user_client.post(f"/roadmap/entries/{entry.pk}/skip/", {"reason": "Done at uni"})
    assert response.status_code == 302
    for alternative in alternatives:
        user_client.post(f"/roadmap/entries/{alternative.pk}/skip/")
    shown = entry_as_shown(entry)
    assert shown.skipped and shown.skip_reason == "Done at uni"
    after = projected_finish(built)
    assert after < before
    page = user_client.get(URL)
    assert "You chose to skip this: Done at uni" in page.content.decode()
    assert f"Projected finish: <strong>{after:%-d %B %Y}" in page.content.decode()
    assert "Skipped" in next(str(m) for m in page.context["messages"])


def test_skipping_without_a_reason_and_putting_it_back(user_client, user, built):
    entry = user.roadmap_entries.first()
    user_client.post(f"/roadmap/entries/{entry.pk}/skip/")
    assert "You chose to skip this." in user_client.get(URL).content.decode()
    assert entry_as_shown(entry).skipped
    user_client.post(f"/roadmap/entries/{entry.pk}/restore/")
    assert not entry_as_shown(entry).skipped
    assert "You chose to skip this" not in user_client.get(URL).content.decode()


def test_adding_from_the_catalogue_says_you_added_it(user_client, user, built, catalogue):
    response = user_client.post("/roadmap/add/", {"resource": "linear-algebra-advanced-2"})
    assert response.status_code == 302
    entry = user.roadmap_entries.get(resource__slug="linear-algebra-advanced-2")
    assert entry.added_by_learner and entry.stage.area == "linear-algebra"
    assert "You added this" in user_client.get(URL).content.decode()


def test_a_resource_page_offers_to_add_it_only_when_it_is_not_on_the_roadmap(
    user_client, user, built
):
    on_it = user.roadmap_entries.select_related("resource").first().resource
    off_it = ResourceFactory(slug="extra-reading", domains=["calculus"])
    offer = "Add to my roadmap"
    assert offer in user_client.get(f"/catalog/{off_it.slug}/").content.decode()
    assert offer not in user_client.get(f"/catalog/{on_it.slug}/").content.decode()


def test_a_resource_page_offers_nothing_to_add_before_there_is_a_roadmap(user_client, catalogue):
    resource = ResourceFactory(slug="extra-reading", domains=["calculus"])
    html = user_client.get(f"/catalog/{resource.slug}/").content.decode()
    assert "Add to my roadmap" not in html


def test_the_roadmap_page_does_not_list_the_whole_catalogue(user_client, built):
    ResourceFactory(slug="far-away-topic", title="A Far Away Topic", domains=["calculus"])
    html = user_client.get(URL).content.decode()
    assert "A Far Away Topic" not in html
    assert 'href="/catalog/"' in html


def test_adding_an_unknown_or_unpublished_resource_adds_nothing(user_client, user, built):
    ResourceFactory(slug="draft", published=False, domains=["calculus"])
    count = user.roadmap_entries.count()
    for slug in ["no-such-thing", "draft"]:
        response = user_client.post("/roadmap/add/", {"resource": slug}, follow=True)
        assert "is not in the catalogue" in response.content.decode()
    assert user.roadmap_entries.count() == count


def test_skip_and_add_only_accept_post(user_client, user, built):
    entry = user.roadmap_entries.first()
    assert user_client.get(f"/roadmap/entries/{entry.pk}/skip/").status_code == 405
    assert user_client.get("/roadmap/add/").status_code == 405


def test_another_users_roadmap_entries_are_unreachable(client, other_user, user, built):
    client.force_login(other_user)
    entry = user.roadmap_entries.first()
    assert client.post(f"/roadmap/entries/{entry.pk}/skip/").status_code == 404
    assert client.post(f"/roadmap/entries/{entry.pk}/restore/").status_code == 404
    assert "don't have a roadmap yet" in client.get(URL).content.decode()
    assert not entry_as_shown(entry).skipped


def test_visitors_cannot_skip(client, user, built):
    entry = user.roadmap_entries.first()
    response = client.post(f"/roadmap/entries/{entry.pk}/skip/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def _roadmap_with(user, n):
    resources = [ResourceFactory(level="beginner", domains=["linear-algebra"]) for _ in range(n)]
    Roadmap.build_for(AssessmentFactory(user=user, linear_algebra=1))
    assert RoadmapEntry.objects.filter(user=user).count() >= n
    return resources


def _queries_for_roadmap_page(client, headers):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, headers=headers).status_code == 200
    return len(queries)


def test_the_page_runs_the_same_few_queries_for_3_or_33_entries(client, db):
    from progress.models import Progress, Status
    from tests.factories import UserFactory

    counts = []
    for n in (3, 30):
        learner = UserFactory()
        resources = _roadmap_with(learner, n)
        # Progress on some entries too: it comes in the entries' query, not one per entry.
        for resource in resources[: n // 2]:
            Progress.objects.change(learner, resource, Status.DONE)
        client.force_login(learner)
        # Drawn on every view, the whole page or the body that htmx asks for again.
        for headers in ({}, {"HX-Request": "true", "HX-Target": "roadmap-body"}):
            counts.append([_queries_for_roadmap_page(client, headers) for _ in range(2)])
    # session, user, roadmap, stages, entries with their resources and progress
    assert counts == [[5, 5]] * 4


def test_with_htmx_skipping_returns_the_refreshed_stages_and_the_message(user_client, user,
                                                                        built):
    entry = user.roadmap_entries.first()
    response = user_client.post(f"/roadmap/entries/{entry.pk}/skip/", {"reason": "Seen it"},
                                headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="roadmap-body"')
    assert "<h1" not in html
    assert "You chose to skip this: Seen it" in html
    assert 'id="messages"' in html and "data-hx-swap-oob" in html and "Skipped" in html
    # The message was shown once, so the next page load does not repeat it.
    assert "Skipped" not in str(list(user_client.get(URL).context["messages"]))


def test_every_htmx_control_is_also_a_plain_form(user_client, built):
    html = user_client.get(URL).content.decode()
    htmx_forms = [tag for tag in re.findall(r"<form\b[^>]*>", html) if "data-hx-post=" in tag]
    assert htmx_forms
    assert all('method="post" action="/' in tag for tag in htmx_forms)
    assert html.count("data-hx-post=") == len(htmx_forms)


def test_adding_a_resource_already_on_the_roadmap_says_so(user_client, user, built):
    slug = user.roadmap_entries.first().resource.slug
    response = user_client.post("/roadmap/add/", {"resource": slug}, follow=True)
    assert "already on your roadmap" in response.content.decode()


def test_only_the_current_stage_is_drawn_and_another_opens_without_javascript(
    user_client, user, built
):
    later = user.roadmap_entries.filter(stage__index=1).first()
    html = user_client.get(URL).content.decode()
    assert 'id="stage-steps-0"' in html and f'id="entry-{later.pk}"' not in html
    # A closed stage: htmx fetches its steps when it is opened, and its link reloads the
    # page with it open.
    assert ('data-hx-get="/roadmap/?stage=1" '
            'data-hx-trigger="toggle from:closest details once"') in html
    assert '<a href="/roadmap/?stage=1#stage-1">Show the steps of stage 2</a>' in html
    opened = user_client.get(URL + "?stage=1").content.decode()
    stage = opened[opened.index('id="stage-1"'):]
    assert stage.index("<details open>") < stage.index(f'id="entry-{later.pk}"')
    assert f'id="entry-{later.pk}"' in opened and 'id="stage-steps-0"' in opened


def test_with_htmx_opening_a_stage_returns_its_steps_alone(
    user_client, user, built, django_assert_num_queries
):
    later = user.roadmap_entries.filter(stage__index=1).first()
    headers = {"HX-Request": "true", "HX-Target": "stage-steps-1"}
    # the same queries as the page: session, user, roadmap, stages, entries
    with django_assert_num_queries(5):
        response = user_client.get(URL + "?stage=1", headers=headers)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<ol class="path-steps" id="stage-steps-1">')
    assert f'id="entry-{later.pk}"' in html and "<html" not in html


@pytest.mark.parametrize("stage", ["99", "-1", "one", "", "²", "9" * 5000])
def test_a_stage_that_is_not_there_is_a_404_with_htmx_and_the_usual_page_without_it(
    user_client, built, stage
):
    headers = {"HX-Request": "true", "HX-Target": f"stage-steps-{stage}"}
    response = user_client.get(f"{URL}?stage={stage}", headers=headers)
    assert response.status_code == 404
    assert "no such stage" in response.content.decode()
    page = user_client.get(f"{URL}?stage={stage}")
    assert page.status_code == 200 and 'id="stage-steps-0"' in page.content.decode()
