"""Fixtures for the account tests."""

import pytest
from django.test import Client

from tests.factories import PASSWORD, UserFactory
from tests.smtp import SMTPServer


@pytest.fixture
def log_in():
    """Log `user` in through allauth's real log-in form in a fresh browser (test client)."""

    def _log_in(user, password=PASSWORD):
        browser = Client()
        response = browser.post("/accounts/login/", {"login": user.email, "password": password})
        assert response.status_code == 302, response.content.decode()[:2000]
        return browser

    return _log_in


@pytest.fixture
def learner(db):
    return UserFactory(email="ada@example.com")


@pytest.fixture
def smtp_server():
    server = SMTPServer()
    server.start()
    yield server
    server.stop()
