"""Database sessions with an idle timeout, pushed on at most once a minute instead of on every request.

Django's SESSION_SAVE_EVERY_REQUEST writes the session row (an UPDATE in its own transaction) on every page
to move its expiry on. Here the expiry read with the session decides: a session is saved again only when
more than ``PUSH_INTERVAL`` has passed since its expiry was last pushed on, so a signed-in person is signed
out after between SESSION_COOKIE_AGE - PUSH_INTERVAL and SESSION_COOKIE_AGE of inactivity (29 to 30
minutes by default). Settings: SESSION_ENGINE = "casework.sessions" and IdleTimeoutSessionMiddleware in
place of django.contrib.sessions.middleware.SessionMiddleware.
"""

from datetime import datetime, timedelta

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.middleware import SessionMiddleware
from django.utils import timezone

PUSH_INTERVAL = timedelta(seconds=60)


class SessionStore(DatabaseSessionStore):
    """The database store, remembering the expiry the row had when it was read."""

    stored_expiry: datetime | None = None

    def _get_session_from_db(self):
        row = super()._get_session_from_db()
        self.stored_expiry = row.expire_date if row is not None else None
        return row

    def idle_timeout_due(self) -> bool:
        """Has the expiry not been pushed on for more than PUSH_INTERVAL?"""
        if self.stored_expiry is None:
            return False
        pushed_on_at = self.stored_expiry - timedelta(seconds=self.get_expiry_age())
        return timezone.now() - pushed_on_at > PUSH_INTERVAL


class IdleTimeoutSessionMiddleware(SessionMiddleware):
    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if isinstance(session, SessionStore) and session.accessed and session.idle_timeout_due():
            session.modified = True  # SessionMiddleware saves it and so moves the expiry on
        return super().process_response(request, response)
