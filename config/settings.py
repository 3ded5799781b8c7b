"""One settings module for every environment, driven by environment variables (see .env.example).

Production differs from `make run` only by its environment. With DEBUG off the service refuses to start until
SECRET_KEY, DATABASE_URL, CELERY_BROKER_URL, the email settings, SITE_URL and ALLOWED_HOSTS are all set and
usable (config/required_settings.py says which is missing and what it is for). There is one database engine,
PostgreSQL, and one broker, Redis, everywhere: `make run` starts both under var/, `make test` throwaway ones.
"""

import atexit
import os
import shutil
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

from config import required_settings

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
# Under pytest the defaults suit tests: a throwaway var/ and a test key; HTTPS redirects off (the live
# server speaks plain HTTP on loopback). Everything else comes from the same variables as production.
TESTING = "pytest" in sys.modules
if not TESTING:
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def _throwaway_var_dir() -> str:
    """A var/ for one test run, removed when the process that made it exits (not by a process forked from it)."""
    path, owner = tempfile.mkdtemp(prefix="cmfc-test-"), os.getpid()
    atexit.register(lambda: os.getpid() == owner and shutil.rmtree(path, ignore_errors=True))
    return path


VAR_DIR = Path(env.str("VAR_DIR", default="") or (_throwaway_var_dir() if TESTING else str(BASE_DIR / "var")))

DEBUG = env.bool("DEBUG", default=False)
# The demo that `make run` serves: production settings (DEBUG off) with its emails kept as files under var/mail/.
DEMO = env.bool("DEMO", default=False)

if not (DEBUG or TESTING):
    _problems = required_settings.problems(os.environ, demo=DEMO)
    if _problems:
        raise ImproperlyConfigured(required_settings.message(_problems))

SECRET_KEY = env.str("SECRET_KEY", default="test-only-secret-key-" + "t" * 40 if TESTING else "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(required_settings.message(["SECRET_KEY is not set"]))
    SECRET_KEY = "insecure-development-key-only-used-when-debug-is-on"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG or TESTING else [])
SITE_URL = env.str("SITE_URL", default="http://localhost:8000").rstrip("/")
# The service's own address is trusted for CSRF unless told otherwise (a proxy in front, several names).
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL] if SITE_URL.startswith("https://") else [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.forms",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "casework",
    "missing_episodes",
    "advocates",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "casework.middleware.DatabaseUnavailableMiddleware",
    "casework.sessions.IdleTimeoutSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "casework.middleware.TwoFactorRequiredMiddleware",
    "casework.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "casework.context_processors.navigation",
                "missing_episodes.context_processors.alerts",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Data -----------------------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
if not env.str("DATABASE_URL", default=""):
    raise ImproperlyConfigured(
        "DATABASE_URL is not set: " + required_settings.PURPOSE["DATABASE_URL"] + ". `make run` and `make test` "
        "start a PostgreSQL server and set it for you."
    )
DATABASES = {"default": env.db("DATABASE_URL")}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured(
        "DATABASE_URL must be a PostgreSQL address (postgres://...): " + DATABASES["default"]["ENGINE"]
    )
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
_random_page_cost = env.str("PG_RANDOM_PAGE_COST", default="1.1")
if _random_page_cost:
    # The planner's default (4) prices a random read as a spinning disk's; our data is in memory or on SSD,
    # for which PostgreSQL's documentation suggests 1.1. With 4 it reads all 20,000 children to join them to
    # a few hundred alerts (docs/decisions/0006-planner-cost-for-ssd.md). PG_RANDOM_PAGE_COST= (empty)
    # leaves the server's own value, for connection poolers that refuse startup options.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    try:
        _cost = float(_random_page_cost)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"PG_RANDOM_PAGE_COST must be a number such as 1.1, or empty: {_random_page_cost!r}"
        ) from exc
    _options["options"] = f"{_options.get('options', '')} -c random_page_cost={_cost}".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "casework.User"

MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "private-media")))
# Case photos are private: they are served only through access-checked views. No URL pattern serves
# this prefix (Django needs a string here; the test live server parses it).
MEDIA_URL = "/private-media-is-never-served/"

# --- Static files (compiled GOV.UK Frontend is committed under static/) ---------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# --- Locale ---------------------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Sign-in security -----------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(hours=1)
# Lock the account, not the address: a council office signs in from one shared NAT address, and locking
# by IP would lock out the whole office on one person's typos.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_LOCKOUT_CALLABLE = "casework.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Sessions end after a period of inactivity (requests push the expiry on: casework/sessions.py).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_TIMEOUT_SECONDS", default=30 * 60)
SESSION_ENGINE = "casework.sessions"  # the idle timeout moves on at most once a minute, not with every request
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Two-factor sign-in (django-otp TOTP). When REQUIRE_TWO_FACTOR is on, these roles must verify.
REQUIRE_TWO_FACTOR = env.bool("REQUIRE_TWO_FACTOR", default=False)
TWO_FACTOR_ROLES = env.list(
    "TWO_FACTOR_ROLES",
    default=["team_manager", "service_manager", "missing_coordinator", "data_officer", "admin"],
)
OTP_TOTP_ISSUER = "Children missing from care"

# --- HTTPS and headers (on unless DEBUG; each can be overridden for a TLS-terminating proxy) -------
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not (DEBUG or TESTING))
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not (DEBUG or TESTING))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# --- Email ----------------------------------------------------------------------------------------
EMAIL_CONFIG = environ.Env.email_url_config(env.str("EMAIL_URL", default="") or "consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Children missing from care <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
# GOV.UK Notify: EMAIL_BACKEND=missing_episodes.alerts.notify_backend.NotifyEmailBackend. The demo's mailbox:
# EMAIL_BACKEND=config.demo_mail.MailboxBackend with EMAIL_FILE_PATH (one .eml file per message).
if env.str("EMAIL_BACKEND", default=""):
    EMAIL_BACKEND = env.str("EMAIL_BACKEND")
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
NOTIFY_API_KEY = env.str("NOTIFY_API_KEY", default="")
NOTIFY_TEMPLATE_ID = env.str("NOTIFY_TEMPLATE_ID", default="")

# --- API ------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # DRF's token and session authentication, refusing what two-factor sign-in has not verified.
        "casework.api.authentication.TokenAuthentication",
        "casework.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "casework.api.pagination.StandardPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "casework.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Children missing from care API",
    "DESCRIPTION": "Integration API (v1) for children in care, missing episodes, alerts, advocates and returns.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "MissingEpisodeKindEnum": "missing_episodes.models.Kind",
        "EpisodeUpdateKindEnum": "missing_episodes.models.EpisodeUpdate.Kind",
        "AliasKindEnum": "casework.codes.AliasKind",
        "ContactKindEnum": "advocates.models.ContactKind",
        "NrmDecisionEnum": "casework.codes.NrmDecision",
        "ReturnKindEnum": "reporting.models.ReturnKind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        # Documents the errors every operation can give (400, 401, 403, 404) and their JSON shapes.
        "casework.api.schema.add_error_responses",
    ],
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Celery ---------------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/0" if DEBUG or TESTING else "")
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "max_retries": 0,
}
_default_results = CELERY_BROKER_URL
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=_default_results)
# A result store that is down must not hold up a request for 20 reconnect attempts (the default).
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
}
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker started without -Q consumes every queue listed here (make run, docker-compose): one list to keep.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = [Queue("celery"), Queue("reports")]
CELERY_TASK_ROUTES = {"reporting.*": {"queue": "reports"}}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "health-heartbeat": {"task": "casework.tasks.heartbeat", "schedule": crontab(minute="*/5")},
    # Re-escalate, remind, repair missing alerts, raise overdue return interviews, re-queue pending sends.
    "alerts-sweep": {"task": "missing_episodes.alerts.tasks.sweep", "schedule": env.float("ALERT_SWEEP_SECONDS", 60.0)},
}
# Reporting a child missing must not wait on a broker that is down: publish fails fast, the delivery rows
# stay pending and the sweeper queues them when the broker is back.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 2

# --- Logging: no personal data in logs; request paths carry only ids ------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # At DEBUG this logger dumps whole template contexts (the request with its ?q= search, the child):
        # keep it at INFO even when LOG_LEVEL=DEBUG (tests/security/test_no_personal_data.py).
        "django.template": {"level": "INFO"},
    },
}

# The SSDA903 community validator runs in its own environment (docs/decisions/0004).
VALIDATOR_PYTHON = env.str("VALIDATOR_PYTHON", default="") or None
VALIDATOR_VENV = Path(env.str("VALIDATOR_VENV", default=str(BASE_DIR / "var" / "validator-venv")))

if TESTING:
    # Tests create many users; the production hasher is deliberately slow.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="demo-password-for-tests" if TESTING else "")
