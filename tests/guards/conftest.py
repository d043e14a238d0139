"""Fixtures for the project-wide guard tests."""

import pytest
from django.test import Client

from tests.factories import UserFactory


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "gunicorn: starts gunicorn on 127.0.0.1 against the test database (a few seconds)",
    )


@pytest.fixture
def samples(db):
    """Real objects for public routes whose URLs name one, keyed by route name."""
    from catalog.models import Concept, ConceptLocation, Domain, Exercise, RecallCard, Resource
    from curation.models import PublicCard

    domain = Domain.objects.create(slug="guard-domain", name="Guard domain")
    resource = Resource.objects.create(
        title="Sample resource",
        slug="sample-resource",
        provider="Guard tests",
        url="https://example.org/sample",
        format="course",
        level="beginner",
        summary="A resource the guard tests can open.",
        published=True,
    )
    resource.domains.add(domain)
    from assessment.reminders import unsubscribe_token

    reader = UserFactory(email="reader@example.com")
    concept = Concept.objects.create(
        slug="sample-concept", title="Sample concept", domain=domain, level="beginner", why="Why."
    )
    ConceptLocation.objects.create(concept=concept, resource=resource, where="Chapter 1")
    RecallCard.objects.create(concept=concept, key="k", kind="formula", prompt="$x^2$", answer="x")
    Exercise.objects.create(
        concept=concept, title="Sample", task="Do it.", starter="x = 0", solution="x = 1",
        checks="assert x == 1", break_it="Change it.",
    )
    card = PublicCard.objects.create(user=UserFactory(), handle="guard-card", enabled=True)
    return {
        "curation:card": {"handle": card.handle},
        "curation:card_image": {"handle": card.handle},
        "catalog:detail": {"slug": resource.slug},
        "concepts:detail": {"slug": concept.slug},
        "concepts:notebook": {"slug": concept.slug},
        "catalog:domain": {"slug": domain.slug},
        "assessment:unsubscribe": {"token": unsubscribe_token(reader, "daily")},
        "curation:report": {"slug": resource.slug},
        "curation:rate": {"slug": resource.slug},
    }


@pytest.fixture
def staff_client(db):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    return client


@pytest.fixture
def learner(db):
    """A learner with a roadmap, a review due today, an exercise and a focus (see learner.py).

    The fill-ins for scripts/parallel_posts.py's ROUTES, with the learner's session key.
    """
    from tests.assessment.factories import small_catalogue
    from tests.guards.learner import parallel_posts
    from tests.progress.concepts import concept_with_cards

    made = small_catalogue()
    concept_with_cards("guard-concept", [made["linear-algebra-beginner-1"]])
    return parallel_posts.seed_learner()
