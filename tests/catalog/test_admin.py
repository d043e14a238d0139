"""The curators' admin: list, filters, search, actions, validation."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.models import Resource
from tests.catalog.factories import ResourceFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:catalog_resource_changelist")
ADD = reverse("admin:catalog_resource_add")


def form_data(linear_algebra, **overrides):
    data = {
        "title": "Eigenvalues for everyone",
        "slug": "eigenvalues-for-everyone",
        "provider": "Example Academy",
        "url": "https://example.com/eigen",
        "published": "on",
        "format": "course",
        "level": "beginner",
        "domains": [linear_algebra.pk],
        "styles": ["visual", "reading"],
        "estimated_hours": "5",
        "cost": "free",
        "price_usd": "",
        "summary": "What eigenvalues are and why they matter.",
        "how_to_use": "Watch in order.",
        "prerequisites": [],
        "approach": "",
        "last_verified": "",
    }
    data.update(overrides)
    return data


def run_action(admin_client, action, resources):
    return admin_client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [r.pk for r in resources]},
        follow=True,
    )


def test_the_changelist_offers_every_filter_and_searches(admin_client, linear_algebra):
    ResourceFactory(title="Eigen course", provider="Khan Academy", domains=[linear_algebra])
    ResourceFactory(title="Other", provider="Someone")
    html = admin_client.get(CHANGELIST).content.decode()
    for title in ["By domains", "By level", "By cost", "By format", "learning style", "published"]:
        assert title in html, title
    found = admin_client.get(CHANGELIST, {"q": "khan"}).content.decode()
    assert "Eigen course" in found and ">Other<" not in found


@pytest.mark.parametrize(
    "query", ["level=beginner", "cost=free", "format=course", "style=structured", "published=1"]
)
def test_each_changelist_filter_works(admin_client, query):
    ResourceFactory(title="Listed")
    response = admin_client.get(f"{CHANGELIST}?{query}")
    assert response.status_code == 200
    assert "Listed" in response.content.decode()


def test_bulk_unpublish_and_publish(admin_client, client):
    first, second = ResourceFactory(), ResourceFactory()
    response = run_action(admin_client, "unpublish", [first, second])
    assert "2 resources unpublished" in response.content.decode()
    assert not Resource.objects.published().exists()
    assert client.get(first.get_absolute_url()).status_code == 404

    response = run_action(admin_client, "publish", [first])
    assert "1 resource published." in response.content.decode()
    assert client.get(first.get_absolute_url()).status_code == 200


def test_mark_verified_today(admin_client):
    resource = ResourceFactory(last_verified=datetime.date(2020, 1, 1))
    response = run_action(admin_client, "mark_verified_today", [resource])
    resource.refresh_from_db()
    assert resource.last_verified == timezone.localdate()
    assert "1 resource marked as verified on" in response.content.decode()


def test_an_added_resource_appears_on_the_public_catalogue_at_once(
    admin_client, client, linear_algebra
):
    response = admin_client.post(ADD, form_data(linear_algebra))
    assert response.status_code == 302
    resource = Resource.objects.get(slug="eigenvalues-for-everyone")
    assert resource.styles == ["visual", "reading"]
    assert "Eigenvalues for everyone" in client.get("/catalog/?q=eigen").content.decode()
    assert client.get(resource.get_absolute_url()).status_code == 200


def test_the_add_form_prepopulates_the_slug_and_autocompletes_relations(admin_client):
    html = admin_client.get(ADD).content.decode()
    assert "prepopulated_fields" in html or "data-prepopulated-field" in html
    assert html.count("admin-autocomplete") >= 2


def test_autocomplete_finds_resources(admin_client):
    ResourceFactory(title="Essence of calculus")
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "essence",
            "app_label": "catalog",
            "model_name": "resource",
            "field_name": "prerequisites",
        },
    )
    assert response.status_code == 200
    assert response.json()["results"][0]["text"] == "Essence of calculus"


def test_a_paid_resource_without_a_price_is_refused(admin_client, linear_algebra):
    response = admin_client.post(ADD, form_data(linear_algebra, cost="paid-monthly"))
    assert response.status_code == 200
    assert "A paid resource needs an approximate price." in response.content.decode()
    assert not Resource.objects.exists()


def test_a_resource_cannot_be_its_own_prerequisite(admin_client, linear_algebra):
    resource = ResourceFactory(domains=[linear_algebra])
    url = reverse("admin:catalog_resource_change", args=[resource.pk])
    data = form_data(
        linear_algebra, title=resource.title, slug=resource.slug, prerequisites=[resource.pk]
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "can&#x27;t be its own prerequisite" in response.content.decode()
    assert not resource.prerequisites.exists()


def test_a_prerequisite_cycle_is_refused(admin_client, linear_algebra):
    basics = ResourceFactory(title="Basics", domains=[linear_algebra])
    advanced = ResourceFactory(title="Advanced", prerequisites=[basics])
    url = reverse("admin:catalog_resource_change", args=[basics.pk])
    data = form_data(linear_algebra, title="Basics", slug=basics.slug, prerequisites=[advanced.pk])
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "That would make a cycle: Advanced already builds on this" in (response.content.decode())
    assert not basics.prerequisites.exists()


def test_list_editable_changes_level_and_published(admin_client):
    resource = ResourceFactory(level="beginner")
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": str(resource.pk),
        "form-0-level": "advanced",
        "_save": "Save",
    }
    response = admin_client.post(CHANGELIST, data)
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.level == "advanced" and not resource.published


def test_the_admin_index_has_one_section_per_app_each_named_once(admin_client):
    import re

    html = admin_client.get("/admin/").content.decode()
    sections = re.findall(r'<caption>\s*<a [^>]*class="section"[^>]*>([^<]+)</a>', html)
    assert len(sections) == len(set(sections)), sections
    for name in ["Learners and profiles", "Email addresses", "Catalogue"]:
        assert name in sections, sections


def test_the_resource_list_keeps_to_five_columns(admin_client):
    from catalog.admin import ResourceAdmin

    assert len(ResourceAdmin.list_display) <= 5
    assert "published" in ResourceAdmin.list_editable
    assert {"format", "cost"} <= set(ResourceAdmin.list_filter)
