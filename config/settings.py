"""Settings, read from the environment with defaults that suit a developer's machine.

Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL (PostgreSQL);
everything else has a safe default. See README.md, "Configuration".
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY when DEBUG is off.")
    # Only ever used on a developer's machine: production refuses to start without a key.
    SECRET_KEY = "django-insecure-local-development-only-key-not-for-production-use"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

COUNCIL_NAME = os.environ.get("COUNCIL_NAME", "Example Council")
SERVICE_NAME = os.environ.get("SERVICE_NAME", "Adult social care improvement plans")
ACCESSIBILITY_CONTACT = os.environ.get("ACCESSIBILITY_CONTACT", "your ICT service desk")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "crispy_forms",
    "crispy_forms_gds",
    "simple_history",
    "axes",
    "core",
    "actionplans",
    "performance",
    "safeguarding",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy, with a nonce for GOV.UK Frontend's inline scripts (request.csp_nonce), and
    # Permissions-Policy: on every page, the lockout page and error pages too (static files need neither).
    "csp.middleware.CSPMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.IdleSessionMiddleware",
    # Everything needs a login except views marked @login_not_required (login, /healthz); a form sent
    # after the session ended is kept for after sign-in (core/middleware.py).
    "core.middleware.LoginRequiredKeepingFormsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.FriendlyMethodNotAllowedMiddleware",
    # A write that could not get the database in time answers a GOV.UK "busy" page (503), not a 500.
    "core.middleware.DatabaseBusyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a sign-in refused for too many failures into the lockout page.
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
                "core.context_processors.service",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database host that accepts connections and never answers held each worker until gunicorn killed it:
    # give up connecting after a few seconds, and answer with an error page (or /healthz's 503) instead.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = int(
        os.environ.get("DATABASE_CONNECT_TIMEOUT", "5")
    )
    # And a statement that runs past this is stopped by the server, so no request waits on a stuck query
    # until gunicorn kills its worker (0 turns it off, as a connection pooler may need).
    statement_timeout = int(os.environ.get("DATABASE_STATEMENT_TIMEOUT", "30"))
    if statement_timeout:
        DATABASES["default"]["OPTIONS"]["options"] = f"-c statement_timeout={statement_timeout * 1000}"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has one writer at a time. A transaction that reads first and writes later (its default, DEFERRED)
    # cannot wait for another writer: SQLite refuses it at once with "database is locked", whatever the timeout
    # (simultaneous progress updates answered 500). Begun IMMEDIATE, a transaction takes the write lock first,
    # waiting up to `timeout` seconds for it; write-ahead logging lets pages read meanwhile, and with it
    # synchronous=NORMAL stays safe while syncing less.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE",
        timeout=20,
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes first: it refuses a sign-in while the username or the address is locked out, before any password
# is checked, and counts the failures (core/signin.py draws the page that says so).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "core.signin.UserBackend",  # Django's ModelBackend, loading the user's profile with them
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j M Y"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# build: the compiled GOV.UK styles; documents: the report print stylesheet, plain CSS that WeasyPrint reads too.
STATICFILES_DIRS = [BASE_DIR / "static" / "build", BASE_DIR / "static" / "documents"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Imports of a whole plan can have a few thousand rows; the admin's form posts one file.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
# The admin import keeps an upload here between its preview and its confirmation (core.admin_import);
# with several servers it must be a folder they share.
IMPORT_STAGING_DIR = os.environ.get("IMPORT_STAGING_DIR", str(BASE_DIR / "var" / "imports"))
IMPORT_MAX_UPLOAD_MB = int(os.environ.get("IMPORT_MAX_UPLOAD_MB", "20"))
# However a file describes itself, an import reads no more than this (core.spreadsheets): rows below a
# sheet's header, and the size its parts unzip to. A plan of 5,000 actions is well within both; 10,000
# rows save in well under gunicorn's 30 s worker timeout, on PostgreSQL too (scripts/hostile_files.py).
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "10000"))
IMPORT_MAX_UNZIPPED_MB = int(os.environ.get("IMPORT_MAX_UNZIPPED_MB", "100"))

# Security: strict by default once DEBUG is off (manage.py check --deploy is clean).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
# Preloading binds every subdomain of the council's domain to HTTPS in browsers: set
# SECURE_HSTS_PRELOAD=0 where that is not yet true (check --deploy then warns, W021).
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# /healthz is probed over plain HTTP by load balancers.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# A session ends after SESSION_IDLE_TIMEOUT_MINUTES unused (core.middleware.IdleSessionMiddleware moves its end
# along while it is used) and when the browser closes; a form sent after that is kept (core/middleware.py).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_TIMEOUT_MINUTES", "60")) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
# Django's database sessions, read with a query compiled once (core/sessions.py).
SESSION_ENGINE = "core.sessions"

# Password guessing (django-axes): LOGIN_FAILURE_LIMIT failures for one username, or from one address, lock that
# username or address out until LOGIN_LOCKOUT_MINUTES have passed since its last attempt. An admin unlocks
# earlier (README, "Security").
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# A successful sign-in wipes no count: a guesser with an account of their own could otherwise sign in as
# themselves between guesses and start again, from the same address or at the same username.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "core.signin.locked_out"
if env_bool("BEHIND_TLS_PROXY", False):
    # Behind the proxy every request comes from the proxy's address: one person's typos would lock out everyone.
    AXES_CLIENT_IP_CALLABLE = "core.signin.address_behind_proxy"

# Content-Security-Policy (django-csp): the service's own files only; GOV.UK Frontend's inline scripts and the
# admin import page's inline styles carry the response's nonce (request.csp_nonce).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        # One style attribute: the paginator's on django-simple-history's history pages (style="border-top: 0").
        "style-src-attr": ["'unsafe-hashes'", "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
