"""Shared fixtures. Factories live in tests/factories.py."""

import pytest


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
