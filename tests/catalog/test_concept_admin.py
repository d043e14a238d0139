"""Curating concepts in the admin: cards and locations inline, maths and cycles checked."""

import pytest
from django.urls import reverse

from catalog.models import Concept
from tests.catalog.factories import ConceptFactory, RecallCardFactory

pytestmark = pytest.mark.django_db


def change_data(concept, **overrides):
    data = {
        "title": concept.title,
        "slug": concept.slug,
        "domain": concept.domain_id,
        "level": concept.level,
        "position": concept.position,
        "published": "on",
        "why": concept.why,
        "prerequisites": [p.pk for p in concept.prerequisites.all()],
        "locations-TOTAL_FORMS": "0",
        "locations-INITIAL_FORMS": "0",
        "cards-TOTAL_FORMS": "1",
        "cards-INITIAL_FORMS": "0",
        "cards-0-key": "formula",
        "cards-0-kind": "formula",
        "cards-0-position": "1",
        "cards-0-prompt": "What is $e^{i\\pi}$?",
        "cards-0-answer": "$-1$",
        "exercise-TOTAL_FORMS": "0",
        "exercise-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_a_curator_edits_a_concept_with_its_cards_inline(admin_client):
    concept = ConceptFactory(title="Euler")
    RecallCardFactory(concept=concept, key="old", prompt="Typeset $x$ please")
    assert admin_client.get(reverse("admin:catalog_concept_changelist")).status_code == 200
    page = admin_client.get(reverse("admin:catalog_concept_change", args=[concept.pk]))
    assert "Typeset $x$ please" in page.content.decode()
    response = admin_client.post(
        reverse("admin:catalog_concept_change", args=[concept.pk]), change_data(concept)
    )
    assert response.status_code == 302
    assert concept.cards.get(key="formula").answer == "$-1$"


def test_a_card_with_bad_latex_is_refused_with_the_latex_named(admin_client):
    concept = ConceptFactory()
    response = admin_client.post(
        reverse("admin:catalog_concept_change", args=[concept.pk]),
        change_data(concept, **{"cards-0-answer": "$\\frac{1}{$"}),
    )
    assert response.status_code == 200
    assert "Can&#x27;t typeset the LaTeX $\\frac{1}{$" in response.content.decode()
    assert not concept.cards.exists()


def test_a_prerequisite_cycle_is_refused(admin_client):
    vectors = ConceptFactory(title="Vectors")
    matrices = ConceptFactory(title="Matrices", prerequisites=[vectors])
    response = admin_client.post(
        reverse("admin:catalog_concept_change", args=[vectors.pk]),
        change_data(vectors, prerequisites=[matrices.pk]),
    )
    assert "That would make a cycle: Matrices already builds on this concept" in (
        response.content.decode()
    )
    assert not Concept.objects.get(pk=vectors.pk).prerequisites.exists()
