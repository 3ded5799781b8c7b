"""What production must be given, and why: with DEBUG off the service refuses to start while any of these is unset
or unusable, and says which and what each is for (rather than falling back to something that loses alerts).

Pure functions of the environment's values, so the rules are tested without starting Django.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

# Email backends that never deliver to a person: acceptable for the demo (DEMO=true keeps the messages as
# files under var/mail/), never for production, where an alert email must leave the machine.
LOCAL_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "config.demo_mail.MailboxBackend",
}
NOTIFY_BACKEND = "missing_episodes.alerts.notify_backend.NotifyEmailBackend"
LOCAL_EMAIL_SCHEMES = {"consolemail", "filemail", "memorymail", "dummymail"}

PURPOSE = {
    "SECRET_KEY": "signs sessions, CSRF tokens and password-reset links; 50 or more random characters "
    "(python -c 'import secrets; print(secrets.token_urlsafe(50))')",
    "DATABASE_URL": "the PostgreSQL 15+ database that holds every record, e.g. postgres://user:password@host:5432/cmfc",
    "CELERY_BROKER_URL": "the Redis server that carries alert sends and return runs to the worker, "
    "e.g. redis://host:6379/0",
    "EMAIL_URL": "the mail server that alert emails go through, e.g. smtp+tls://user:password@smtp.example:587 "
    "(or EMAIL_BACKEND=" + NOTIFY_BACKEND + " with NOTIFY_API_KEY and NOTIFY_TEMPLATE_ID for GOV.UK Notify)",
    "NOTIFY_API_KEY": "the GOV.UK Notify API key alert emails are sent with",
    "NOTIFY_TEMPLATE_ID": "the GOV.UK Notify email template whose subject is ((subject)) and body ((body))",
    "SITE_URL": "the service's public address, used in the links of alert emails, e.g. https://cmfc.example.gov.uk",
    "ALLOWED_HOSTS": "the host names the service answers to, comma-separated, e.g. cmfc.example.gov.uk",
}


def _problem(name: str, why: str) -> str:
    return f"{name} {why}: {PURPOSE[name]}"


def problems(env: Mapping[str, str], *, demo: bool) -> list[str]:
    """One line per variable that production cannot run without, naming it, what is wrong and what it is for."""
    found: list[str] = []
    get = lambda name: (env.get(name) or "").strip()  # noqa: E731

    secret = get("SECRET_KEY")
    if not secret:
        found.append(_problem("SECRET_KEY", "is not set"))
    elif len(secret) < 50 or len(set(secret)) < 5 or secret.startswith(("django-insecure", "change-me")):
        found.append(_problem("SECRET_KEY", "is too short or a placeholder"))

    database = get("DATABASE_URL")
    if not database:
        found.append(_problem("DATABASE_URL", "is not set"))
    elif urlsplit(database).scheme not in ("postgres", "postgresql", "pgsql"):
        found.append(_problem("DATABASE_URL", f"is not a PostgreSQL address ({urlsplit(database).scheme}://)"))

    broker = get("CELERY_BROKER_URL")
    if not broker:
        found.append(_problem("CELERY_BROKER_URL", "is not set"))
    elif urlsplit(broker).scheme not in ("redis", "rediss"):
        found.append(_problem("CELERY_BROKER_URL", f"is not a Redis address ({urlsplit(broker).scheme}://)"))

    backend, email_url = get("EMAIL_BACKEND"), get("EMAIL_URL")
    if backend == NOTIFY_BACKEND:
        found += [_problem(name, "is not set") for name in ("NOTIFY_API_KEY", "NOTIFY_TEMPLATE_ID") if not get(name)]
    elif backend in LOCAL_EMAIL_BACKENDS and not demo:
        found.append(_problem("EMAIL_URL", f"is unusable: EMAIL_BACKEND={backend} never sends an email"))
    elif not backend:
        if not email_url:
            found.append(_problem("EMAIL_URL", "is not set"))
        elif urlsplit(email_url).scheme in LOCAL_EMAIL_SCHEMES and not demo:
            found.append(_problem("EMAIL_URL", f"is unusable: {urlsplit(email_url).scheme}:// never sends an email"))

    site = get("SITE_URL")
    parts = urlsplit(site)
    if not site:
        found.append(_problem("SITE_URL", "is not set"))
    elif parts.scheme not in ("http", "https") or not parts.netloc:
        found.append(_problem("SITE_URL", f"is not an http(s) address ({site!r})"))

    hosts = [h.strip() for h in get("ALLOWED_HOSTS").split(",") if h.strip()]
    if not hosts:
        found.append(_problem("ALLOWED_HOSTS", "is not set"))
    elif "*" in hosts:
        found.append(_problem("ALLOWED_HOSTS", "is '*', which answers any host name"))
    return found


def message(found: list[str]) -> str:
    lines = "\n".join(f"  - {line}" for line in found)
    return (
        "The service cannot start with DEBUG off: these settings are missing or unusable.\n"
        f"{lines}\n"
        "Set them in the environment or in .env (see .env.example and the README's production table)."
    )
