"""Learners suggest resources; curators approve them into drafts or say why not."""

import pytest
from django.urls import reverse

from catalog.models import Resource
from curation.models import Suggestion
from tests.catalog.factories import DomainFactory, ResourceFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SUGGEST = reverse("curation:suggest")
CHANGELIST = reverse("admin:curation_suggestion_changelist")


@pytest.fixture
def area():
    return DomainFactory(slug="linear-algebra", name="Linear algebra")


def form(area, **overrides):
    data = {
        "title": "Immersive Linear Algebra",
        "url": "https://immersivemath.com/ila/",
        "area": area.pk,
        "level": "beginner",
        "cost": "free",
        "why": "Interactive figures for every idea.",
    }
    data.update(overrides)
    return data


def test_suggest_is_its_own_page_not_a_resource_slug(user_client):
    response = user_client.get(SUGGEST)
    assert response.status_code == 200
    assert "<h1>Suggest a resource</h1>" in response.content.decode()


def test_a_learner_suggests_a_resource_and_sees_it_waiting(user_client, user, area):
    response = user_client.post(SUGGEST, form(area), follow=True)
    html = response.content.decode()
    assert "your suggestion is waiting for a curator" in html
    assert "Immersive Linear Algebra" in html and "Waiting for a curator." in html
    suggestion = Suggestion.objects.get()
    assert (suggestion.user, suggestion.area, suggestion.status) == (user, area, "pending")


@pytest.mark.parametrize(
    "spelling",
    ["https://example.com/essence", "http://www.example.com/essence/", "HTTPS://EXAMPLE.com/essence"],
)
def test_a_url_already_in_the_catalogue_is_refused_with_a_link(user_client, area, spelling):
    existing = ResourceFactory(title="Essence", url="https://example.com/essence")
    response = user_client.post(SUGGEST, form(area, url=spelling))
    assert response.status_code == 400
    html = response.content.decode()
    assert "The catalogue already has this resource" in html
    assert f'href="{existing.get_absolute_url()}"' in html
    assert "Interactive figures for every idea." in html  # the rest is kept
    assert not Suggestion.objects.exists()


def test_a_url_already_suggested_is_refused(client, area):
    for learner in UserFactory.create_batch(2):
        client.force_login(learner)
        response = client.post(SUGGEST, form(area))
    assert response.status_code == 400
    assert "Somebody already suggested this address" in response.content.decode()
    assert Suggestion.objects.count() == 1


def test_missing_fields_are_named_and_nothing_is_saved(user_client, area):
    response = user_client.post(SUGGEST, form(area, title="", url="not a url"))
    assert response.status_code == 400
    assert response.content.decode().count("errorlist") >= 2
    assert not Suggestion.objects.exists()


def test_a_learner_sees_only_their_own_suggestions(client, area):
    mine, theirs = UserFactory(), UserFactory()
    Suggestion.objects.create(user=theirs, title="Their idea", url="https://a.example/",
                              area=area, level="beginner", cost="free", why="Because")
    client.force_login(mine)
    assert "Their idea" not in client.get(SUGGEST).content.decode()


def test_signed_out_visitors_are_sent_to_log_in(client):
    response = client.get(SUGGEST)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_approving_makes_a_draft_resource_with_the_fields_filled(admin_client, user, area):
    suggestion = Suggestion.objects.create(user=user, **{**form(area), "area": area})
    response = admin_client.post(
        CHANGELIST, {"action": "approve", "_selected_action": [suggestion.pk]}, follow=True
    )
    assert "1 draft resource made" in response.content.decode()
    draft = Resource.objects.get(title="Immersive Linear Algebra")
    assert draft.published is False
    assert (draft.url, draft.level, draft.cost, draft.summary) == (
        "https://immersivemath.com/ila/", "beginner", "free", "Interactive figures for every idea."
    )
    assert list(draft.domains.all()) == [area]
    assert draft.provider == "immersivemath.com"
    suggestion.refresh_from_db()
    assert suggestion.status == "approved" and suggestion.resource == draft


def test_a_rejection_needs_a_reason_and_the_learner_reads_it(admin_client, client, user, area):
    suggestion = Suggestion.objects.create(user=user, **{**form(area), "area": area})
    url = reverse("admin:curation_suggestion_change", args=[suggestion.pk])
    response = admin_client.post(url, {"status": "rejected", "reason": ""})
    assert "Tell the learner why it is not added." in response.content.decode()
    admin_client.post(url, {"status": "rejected", "reason": "It needs a paid account."})
    client.force_login(user)
    assert "Not added: It needs a paid account." in client.get(SUGGEST).content.decode()
    assert not Resource.objects.exists()


def test_suggestions_are_in_the_export(user_client, user, area):
    Suggestion.objects.create(user=user, **{**form(area), "area": area})
    data = user_client.get(reverse("accounts:export")).json()
    assert data["suggestions"]["curation.Suggestion"][0]["title"] == "Immersive Linear Algebra"


def test_the_page_runs_a_fixed_number_of_queries(
    user_client, user, area, django_assert_max_num_queries
):
    for n in range(5):
        Suggestion.objects.create(user=user, **{**form(area, url=f"https://x.example/{n}"),
                                                "area": area})
    # session, user, the areas for the form, the learner's suggestions
    with django_assert_max_num_queries(4):
        assert user_client.get(SUGGEST).status_code == 200
