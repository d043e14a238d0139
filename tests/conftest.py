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
