"""Settings of the portal, read from environment variables (see .env.example)."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
# Tests run with DEBUG off; "production" means the environment said DEBUG=0.
PRODUCTION = not DEBUG

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG=0.")
    # Development only: production refuses to start without its own key (above).
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG=0.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The project's apps come first: their templates and translations take precedence.
INSTALLED_APPS = [
    "core",
    "organizations",
    "programs",
    "activities",
    "households",
    "registrations",
    "reports",
    "api",
    "jobs",
    "devdata",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "auditlog",
    "axes",
    "csp",
    # django-ninja: the read-only API (api/); listed so its docs page loads its own static files.
    "ninja",
    # Background work (jobs/): Django's task framework and its database backend.
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # A database that cannot answer for a moment: a 503 page, not a 500 (with handler500).
    "core.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "organizations.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "organizations.middleware.SessionLifetimeMiddleware",
    "organizations.middleware.PasswordChangeRequiredMiddleware",
    # Axes last: it turns a locked-out login into its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"

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
                "organizations.context_processors.navigation",
            ],
        },
    },
]

# Form widgets are drawn with the templates above, so templates/django/forms/ can replace
# Django's own (the select, whose options Django draws one template each).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

WSGI_APPLICATION = "portal.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Two saves at the same moment: SQLite has one writer at a time. A transaction begun
    # as a reader that then writes cannot wait for the writer (it would deadlock), so it
    # fails at once with "database is locked"; begun IMMEDIATE it takes the write lock
    # first and waits up to `timeout` seconds for it, then reads what the other one saved
    # (the same "someone changed this" answer as PostgreSQL's row locks give). WAL lets
    # pages be read while a save is under way. A wait longer than the timeout is answered
    # by core.middleware (a "try again" page), never a 500.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL"}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation for the portal's queries: they are short aggregates over indexed
    # rows, for which compiling costs more than it saves. At province scale JIT added about
    # 1 s to the households count of the home page and 20-40 % to the dashboard, the
    # compliance panel and the household list (docs/performance.md).
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
AUTH_USER_MODEL = "organizations.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "core.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login lockout (organizations/axes.py; why, in docs/deployment.md "Login lockout"):
# 5 failed logins for one username from one address lock that pair for 15 minutes; an
# office sharing one public address is not locked out by one person's mistakes, and a
# stranger cannot lock an officer out of the office's address.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Refused attempts during a lock tried no password: not counted, the lock is not stretched.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_LOCKOUT_CALLABLE = "organizations.axes.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The failure log (kept after a lock ends) counts the slower limit and feeds the home page.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_HANDLER = "organizations.axes.LockoutHandler"
# The login form does not cap the username's length; axes' column does (see the module).
AXES_USERNAME_CALLABLE = "organizations.axes.login_username"
# The client's address behind the proxy: the right of X-Forwarded-For when the request
# comes from one of TRUSTED_PROXIES (nginx on the same machine), else the peer's address.
AXES_CLIENT_IP_CALLABLE = "organizations.axes.client_address"
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "127.0.0.1,::1")
# The slower limit, per username from any address: 30 failures within an hour lock the
# username until enough of them are an hour old. One address cannot reach it alone (5 per
# 15-minute cool-off is at most 25 an hour): it takes guessing from several addresses.
LOCKOUT_USERNAME_FAILURE_LIMIT = env_int("LOCKOUT_USERNAME_FAILURE_LIMIT", 30)
LOCKOUT_USERNAME_WINDOW = timedelta(minutes=env_int("LOCKOUT_USERNAME_WINDOW_MINUTES", 60))

# Sessions: end after inactivity, and at the latest after an absolute lifetime.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 60 * 60 * 2)
# Renewed by organizations.middleware.SessionLifetimeMiddleware at most once a minute.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_SECONDS = 60
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 60 * 60 * 12)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Scripts never read the CSRF cookie: a script that posts takes the token from the page's
# {% csrf_token %} field.
CSRF_COOKIE_HTTPONLY = True
# The language cookie as the others: scripts never read it (the page says its language).
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
# locale/ is refreshed by makemessages; locale/django-overrides/ is kept by hand and
# supplies the Django strings that Django's own Vietnamese catalog leaves untranslated.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "django-overrides"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Django's own vi locale lacks date input formats and number grouping.
FORMAT_MODULE_PATH = ["core.formats"]
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Uploads: anything larger is refused before it reaches a form.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "cong-thong-tin@localhost")

# Security headers; the HTTPS-only ones apply in production.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # The health check answers over plain HTTP too: a load balancer's or the local proxy's
    # probe speaks HTTP to the app (docs/deployment.md, "Health check").
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

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
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

AUDITLOG_INCLUDE_ALL_MODELS = False

# The read-only API for other systems (api/, docs/api.md): calls per token and minute
# (counted in the cache), rows per page, the longest a token may be issued for.
API_RATE_LIMIT_PER_MINUTE = env_int("API_RATE_LIMIT_PER_MINUTE", 120)
API_PAGE_SIZE = 100
API_MAX_PAGE_SIZE = 500
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 366)

# Background work (jobs/, docs/deployment.md): the queue is in the database, so `make run`
# on SQLite needs nothing more; `manage.py run_worker` runs it. A list longer than
# EXPORT_IN_BACKGROUND_ROWS is exported by the worker (measured: docs/performance.md), its
# file kept JOB_FILE_DAYS days in "Tệp của tôi"; a running job silent for JOB_STALE_SECONDS
# has lost its worker.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
EXPORT_IN_BACKGROUND_ROWS = env_int("EXPORT_IN_BACKGROUND_ROWS", 20000)
JOB_FILE_DAYS = env_int("JOB_FILE_DAYS", 7)
JOB_STALE_SECONDS = env_int("JOB_STALE_SECONDS", 120)
# The worker's daily schedule (local time): a management command each.
SCHEDULE = {
    "reminders": {"at": "07:00", "command": ["send_reminders", "--days", "7"]},
    "cleanup": {"at": "02:00", "command": ["remove_expired_files"]},
    "previews": {"at": "02:05", "command": ["remove_expired_previews"]},
    "sessions": {"at": "02:15", "command": ["clearsessions"]},
    "backup": {"at": "01:00", "command": ["backup"], "enabled": env_bool("NIGHTLY_BACKUP", False)},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "portal.security": {"level": "INFO"},
    },
}
