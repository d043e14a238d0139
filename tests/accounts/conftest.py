"""Fixtures for the account tests."""

import asyncio
import contextlib
import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from django.test import Client

from tests.factories import PASSWORD, UserFactory


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


class SMTPServer:
    """A real SMTP server on a free loopback port that keeps every message it receives.

    It can be stopped, to be a mail server that is down, and started again on its port.
    With `hold_first=True` it holds the first message until a second arrives in another
    connection (for at most 8 seconds, less than the sender's timeout), so a test can
    tell that two senders were busy at the same time.
    """

    def __init__(self):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.received = []
        self.hold_first = False
        self._second = None
        self._controller = None

    def start(self):
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    async def handle_DATA(self, server, session, envelope):
        if self.hold_first:
            if self._second is None:
                self._second = asyncio.Event()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._second.wait(), timeout=8)
            else:
                self._second.set()
        self.received.append(envelope)
        return "250 Message accepted for delivery"

    @property
    def messages(self):
        """What arrived, as parsed email messages, in the order it arrived."""
        return [
            email.message_from_bytes(envelope.original_content, policy=email.policy.default)
            for envelope in self.received
        ]


@pytest.fixture
def smtp_server():
    server = SMTPServer()
    server.start()
    yield server
    server.stop()
