"""A real SMTP server on loopback (aiosmtpd) for the mail tests."""

import asyncio
import contextlib
import email
import email.policy
import socket

from aiosmtpd.controller import Controller


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
        self.refused = set()  # addresses answered "550 no such user", like a bounce
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

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

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
