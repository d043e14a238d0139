"""Shared fixtures. Factories live in tests/factories.py."""

import os

import pytest


def pytest_configure(config):
    """Start (or attach to) the embedded PostgreSQL for this run when DATABASE_URL is unset.

    Settings only name its address; the server runs until the last process using it exits.
    """
    if not os.environ.get("DATABASE_URL", "").strip():
        from mathpath import embedded_db

        try:
            embedded_db.attach()
        except embedded_db.EmbeddedDatabaseError as error:
            raise pytest.UsageError(str(error)) from None


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Argon2 is right for production and far too slow for hundreds of test log-ins.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def user(db):
    from tests.factories import UserFactory

    return UserFactory()


@pytest.fixture
def other_user(db):
    from tests.factories import UserFactory

    return UserFactory()


@pytest.fixture
def user_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def catalogue_version(db):
    """The catalogue's version in the pages cache, as on any site that has served a page.

    Query budgets count it out: without it the first cached page would also store it.
    """
    from mathpath.pagecache import catalogue_changed

    return catalogue_changed()


@pytest.fixture(autouse=True)
def fresh_pages_cache(request):
    """Start every transactional test with an empty pages cache, as on a fresh database.

    Those tests flush the tables in between, but not the cache tables, and a page drawn by
    the last test must not turn up in the next.
    """
    marker = request.node.get_closest_marker("django_db")
    marked = marker is not None and marker.kwargs.get("transaction", False)
    if marked or {"transactional_db", "live_server"} & set(request.fixturenames):
        from django.core.cache import caches

        request.getfixturevalue("transactional_db")
        caches["pages"].clear()
