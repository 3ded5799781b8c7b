"""Browser tests drive a live server from pytest's thread: let Django's ORM run there."""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
