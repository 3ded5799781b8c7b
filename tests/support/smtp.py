"""A real SMTP server on loopback for tests: worker processes send to it, tests read what arrived.

A message counts as received only once the server is about to answer 250 to DATA. With ``delay`` set the
server waits that long before answering (a slow mail relay), so a sender killed meanwhile leaves nothing
behind: aiosmtpd cancels the handler when the connection drops, and the message is counted as aborted.
"""

import asyncio
import logging
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from tests.support.processes import free_port

logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command at INFO


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage = field(repr=False)
    arrived_at: float  # time.monotonic() in this process

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"] or "").strip()  # a long one is folded

    @property
    def subject(self) -> str:
        return str(self.message["Subject"] or "").strip()

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""


class _Handler:
    def __init__(self, server: "SMTPServer"):
        self.server = server

    async def handle_DATA(self, server, session, envelope) -> str:
        self.server._begin()
        try:
            if self.server.delay:
                await asyncio.sleep(self.server.delay)
        except asyncio.CancelledError:
            self.server._abort()
            raise
        message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        self.server._accept(
            Received(
                mail_from=envelope.mail_from,
                rcpt_tos=tuple(envelope.rcpt_tos),
                message=message,
                arrived_at=time.monotonic(),
            )
        )
        return "250 Message accepted for delivery"


class SMTPServer:
    """``start()`` / ``stop()``; ``messages`` is a snapshot, safe to read while workers send."""

    host = "127.0.0.1"

    def __init__(self, *, delay: float = 0.0):
        self.delay = delay
        self.port = free_port()
        self._lock = threading.Lock()
        self._messages: list[Received] = []
        self._in_flight = 0
        self._aborted = 0
        self._controller = Controller(_Handler(self), hostname=self.host, port=self.port, ready_timeout=10)

    @property
    def url(self) -> str:
        """For EMAIL_URL (django-environ)."""
        return f"smtp://{self.host}:{self.port}"

    def start(self) -> "SMTPServer":
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    # --- called from the server's thread ---
    def _begin(self) -> None:
        with self._lock:
            self._in_flight += 1

    def _abort(self) -> None:
        with self._lock:
            self._in_flight -= 1
            self._aborted += 1

    def _accept(self, received: Received) -> None:
        with self._lock:
            self._in_flight -= 1
            self._messages.append(received)

    # --- for tests ---
    @property
    def messages(self) -> list[Received]:
        with self._lock:
            return list(self._messages)

    @property
    def in_flight(self) -> int:
        """Messages whose DATA has arrived but that have not been answered yet."""
        with self._lock:
            return self._in_flight

    @property
    def aborted(self) -> int:
        """Messages whose sender went away before the server accepted them."""
        with self._lock:
            return self._aborted

    def clear(self) -> None:
        with self._lock:
            self._messages.clear()
            self._aborted = 0

    def by_recipient(self) -> dict[str, list[Received]]:
        result: dict[str, list[Received]] = {}
        for received in self.messages:
            for rcpt in received.rcpt_tos:
                result.setdefault(rcpt, []).append(received)
        return result
