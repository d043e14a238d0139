"""Issue acceptance: a curator keeps the catalogue true; a learner's card comes and goes."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from catalog.models import Resource
from curation.models import Suggestion
from progress.models import Progress, Status
from tests.catalog.factories import DomainFactory, ResourceFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_acceptance(link_site, admin_client, client):
    area = DomainFactory(slug="linear-algebra", name="Linear algebra")
    moved = ResourceFactory(title="Moved course", url=link_site.url("/old-home"), domains=[area])
    missing = ResourceFactory(title="Missing book", url=link_site.url("/missing"), domains=[area])
    ResourceFactory(title="Healthy course", url=link_site.url("/ok"), domains=[area])
    learner = UserFactory()
    client.force_login(learner)

    # The checker runs; a learner also reports the missing one.
    call_command("check_links", stdout=io.StringIO())
    client.post(reverse("curation:report", args=[missing.slug]), {"reason": "broken-link"})

    # The curator sees both flagged by the checker, and the learner's report beside one.
    changelist = reverse("admin:catalog_resource_changelist")
    html = admin_client.get(changelist, {"health": "attention"}).content.decode()
    assert "Moved course" in html and "Missing book" in html and "Healthy course" not in html
    assert "Moved permanently (200)" in html and "Gone (404)" in html
    reports = admin_client.get(reverse("admin:curation_flag_changelist")).content.decode()
    assert "Missing book" in reports and "Gone (404)" in reports

    # Accepts the new URL in one action.
    admin_client.post(changelist, {"action": "accept_new_url", "_selected_action": [moved.pk]})
    moved.refresh_from_db()
    assert moved.url == link_site.url("/new-home")

    # Approves a learner's suggestion into a draft.
    client.post(reverse("curation:suggest"), {
        "title": "Matrix cookbook", "url": "https://example.org/cookbook", "area": area.pk,
        "level": "intermediate", "cost": "free-pdf", "why": "Every identity in one place.",
    })
    suggestion = Suggestion.objects.get()
    admin_client.post(
        reverse("admin:curation_suggestion_changelist"),
        {"action": "approve", "_selected_action": [suggestion.pk]},
    )
    draft = Resource.objects.get(title="Matrix cookbook")
    assert draft.published is False and draft.summary == "Every identity in one place."

    # The learner's public card shows their progress and vanishes when they opt out.
    Progress.objects.change(learner, moved, Status.DONE)
    settings_url = reverse("curation:card_settings")
    client.post(settings_url, {"handle": "learner-one", "enabled": "on"})
    assert client.get("/u/learner-one/").status_code == 200
    client.post(settings_url, {"handle": "learner-one"})
    assert client.get("/u/learner-one/").status_code == 404
