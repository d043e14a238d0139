"""Fixtures for the catalogue tests."""

import contextlib
import io
import sys

import pytest
from django.core.management import call_command
from django.db import transaction

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


@contextlib.contextmanager
def catalogue_held_open(django_db_blocker):
    """The curated data file loaded once for several tests that only read it.

    Like TestCase.setUpTestData: it is loaded inside a transaction held open meanwhile, each
    test runs in a savepoint inside it (its own changes are rolled back), and the whole load
    is rolled back at the end, so later tests never see it. Only for tests without
    transaction=True that all want the shipped catalogue.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("loadcatalog", stdout=io.StringIO())
        except BaseException:
            outer.__exit__(*sys.exc_info())
            raise
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def real_catalogue_for_the_module(django_db_setup, django_db_blocker):
    """For a module whose every test reads the shipped catalogue."""
    with catalogue_held_open(django_db_blocker):
        yield
