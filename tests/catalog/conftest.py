"""Fixtures for the catalogue tests."""

import io

import pytest
from django.core.management import call_command

from tests.catalog.factories import DomainFactory


@pytest.fixture
def linear_algebra(db):
    return DomainFactory(slug="linear-algebra", name="Linear algebra", order=1)


@pytest.fixture
def calculus(db):
    return DomainFactory(slug="calculus", name="Calculus", order=2)


@pytest.fixture
def staff_client(client, django_user_model):
    staff = django_user_model.objects.create_user(
        email="curator@example.com", password="a long enough password", is_staff=True
    )
    client.force_login(staff)
    return client


@pytest.fixture
def real_catalogue(db):
    """The curated data file, loaded as `make run` loads it."""
    call_command("loadcatalog", stdout=io.StringIO())
