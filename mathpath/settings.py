"""Settings for MathPath, read from the environment.

Development needs no variables at all: DEBUG is on, mail goes to the console and the
database is MathPath's own embedded PostgreSQL. Production sets DEBUG=0, SECRET_KEY,
ALLOWED_HOSTS and usually DATABASE_URL; see the README for every variable.
"""

import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from mathpath import embedded_db
from mathpath.env import env_bool, env_header_name, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)

_DEV_SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",  # allauth's "where you're logged in" page uses it
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",  # /sitemap.xml (curation)
    "django_htmx",
    "allauth",
    # allauth's apps under names that say what their admin sections hold (accounts/apps.py).
    "accounts.apps.EmailAddressesConfig",
    "accounts.apps.TwoFactorConfig",
    "accounts.apps.SignInSessionsConfig",
    "django_tasks_db",  # the task queue in PostgreSQL; mail is sent by its worker
    "mathpath",  # the periodic scheduler's table (mathpath/schedule.py)
    "accounts",
    "catalog",
    "progress",
    "assessment",
    "curation",  # link health, learners' reports, suggestions, ratings, the public card
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mathpath.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Every refused htmx action answers with its message as a fragment (mathpath/htmx_errors.py).
    "mathpath.htmx_errors.HtmxErrorMiddleware",
    # Before anything reads the database with a request's values; after the middleware that
    # set headers, so its 400 page has them too.
    "mathpath.middleware.RejectUnstorableCharactersMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "mathpath.middleware.PrivatePagesNoStoreMiddleware",
]

ROOT_URLCONF = "mathpath.urls"
WSGI_APPLICATION = "mathpath.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": ["django.templatetags.static"],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# With DATABASE_URL unset MathPath uses its own PostgreSQL server (mathpath/embedded_db.py,
# data in .pgdata/). Settings only read its address: manage.py, wsgi.py, the test run and
# `python -m mathpath.stack` start it.
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
USING_EMBEDDED_POSTGRES = not DATABASE_URL
if USING_EMBEDDED_POSTGRES:
    DATABASE_URL = embedded_db.url()

DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        # Persistent connections are worth several times the throughput on small views;
        # health checks make a restarted PostgreSQL cost one failed request, not many.
        conn_max_age=env_int("CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
DATABASES["default"].setdefault("OPTIONS", {})
DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 3)
# PgBouncer in transaction mode cannot keep server-side cursors open between statements.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DISABLE_SERVER_SIDE_CURSORS", False)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# One cache shared by every gunicorn worker and host: rate-limit counters must not live in
# one process's memory. The table is created by a migration.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "mathpath_cache",
    },
}

# --- Authentication ---------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        # Twelve of one key ("aaaaaaaaaaaa") is long enough but no password.
        "NAME": "accounts.validators.MinimumDistinctCharactersValidator",
        "OPTIONS": {"min_distinct": 5},
    },
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# --- Internationalisation ---------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
# allauth's wording in the site's voice (sentence case, "MathPath", no host names): Django
# reads this catalogue before allauth's own. Written by scripts/allauth_voice.py.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

# --- Static files -----------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
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

# --- Mail -------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "MathPath <noreply@mathpath.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where the footer's Contact link writes to (curation).
CONTACT_EMAIL = env_str("CONTACT_EMAIL", "hello@mathpath.local")
# Scheduled email (reminders, weekly summaries) has no request to take the address from.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if not re.fullmatch(r"https?://[^/\s]+", SITE_URL):
    raise ImproperlyConfigured(f"SITE_URL={SITE_URL!r} is not like https://mathpath.example.")
EMAIL_URL_BACKENDS = {
    # Django's console backend prints the wire format, where quoted-printable breaks links.
    "console": "mathpath.mail.ConsoleEmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
}
_mail_backend = env_str("EMAIL_BACKEND", "console" if DEBUG else "smtp")
if _mail_backend not in EMAIL_URL_BACKENDS:
    raise ImproperlyConfigured(
        f"EMAIL_BACKEND={_mail_backend!r} is not one of {sorted(EMAIL_URL_BACKENDS)}."
    )
# No request waits for, or fails with, the mail server: the default mailer queues every
# message (mathpath/mail.py) and the worker, `manage.py db_worker`, sends it through
# "outgoing", trying again after each of MAIL_RETRY_DELAYS (seconds) when it fails.
MAILERS = {
    "default": {"BACKEND": "mathpath.mail.QueuedEmailBackend"},
    "outgoing": {
        "BACKEND": EMAIL_URL_BACKENDS[_mail_backend],
        "OPTIONS": (
            {
                "host": env_str("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 587),
                "username": env_str("EMAIL_HOST_USER", ""),
                "password": env_str("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 10,
            }
            if _mail_backend == "smtp"
            else {}
        ),
    },
}
MAIL_RETRY_DELAYS = [60, 5 * 60, 30 * 60, 2 * 60 * 60, 6 * 60 * 60]
# Background work (django.tasks) is stored in PostgreSQL and run by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The link checker (curation): a polite client that says who it is, waits at most this many
# seconds for an answer, and pauses between requests so a site sees a few a second at most.
LINK_CHECK_TIMEOUT = 10.0
LINK_CHECK_DELAY = 0.4
LINK_CHECK_USER_AGENT = "MathPath link checker (checks catalogue links weekly; see /about/)"
# Learners' problem reports (curation): at most this many in 24 hours each.
FLAGS_PER_DAY = 5

# --- Security ---------------------------------------------------------------------------
# HTTPS=1 (the default when DEBUG is off) turns on everything that needs TLS: the redirect,
# HSTS and Secure __Host- cookies. `make serve` sets HTTPS=0 to run on plain loopback.
# Behind a proxy that terminates TLS, set SECURE_PROXY_SSL_HEADER=1 so Django trusts
# X-Forwarded-Proto; set SECURE_SSL_REDIRECT=0 when the proxy does the redirect itself.
HTTPS = env_bool("HTTPS", not DEBUG)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The client's address (rate limits, the audit log, the sessions list) comes from allauth's
# get_client_ip. Behind a load balancer REMOTE_ADDR is the balancer's, shared by every
# visitor, so say how the balancer passes the real one on: TRUSTED_PROXY_COUNT=n takes the
# n-th address from the right of X-Forwarded-For (the ones our n proxies appended; what the
# client wrote to the left is ignored), or CLIENT_IP_HEADER names a header our proxy always
# overwrites. With neither, both headers are ignored, since any client can send them.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env_header_name("CLIENT_IP_HEADER")
if ALLAUTH_TRUSTED_PROXY_COUNT and ALLAUTH_TRUSTED_CLIENT_IP_HEADER:
    raise ImproperlyConfigured("Set TRUSTED_PROXY_COUNT or CLIENT_IP_HEADER, not both.")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if HTTPS:
    # The __Host- prefix pins cookies to this exact host over HTTPS with path "/".
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
CSRF_FAILURE_VIEW = "mathpath.views.csrf_failure"

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# Powerful browser features the site never uses are switched off for it and for anything
# it might ever embed, so an injected script or a framed page cannot ask for them. The
# authenticator is an app with typed codes, not WebAuthn, so publickey-credentials too.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "captured-surface-control",
        "clipboard-read",
        "clipboard-write",
        "compute-pressure",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "gamepad",
        "geolocation",
        "gyroscope",
        "hid",
        "identity-credentials-get",
        "idle-detection",
        "interest-cohort",
        "keyboard-map",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "otp-credentials",
        "payment",
        "picture-in-picture",
        "publickey-credentials-create",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "speaker-selection",
        "storage-access",
        "sync-xhr",
        "usb",
        "web-share",
        "window-management",
        "xr-spatial-tracking",
    ]
}

# --- Logging ----------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "mathpath.auth": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "embedded_postgres": {"level": "WARNING"},
    },
}

MESSAGE_TAGS = {}

# --- django-allauth ---------------------------------------------------------------------
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "optional")
if ACCOUNT_EMAIL_VERIFICATION not in {"none", "optional", "mandatory"}:
    raise ImproperlyConfigured(
        "ACCOUNT_EMAIL_VERIFICATION must be one of none, optional, mandatory."
    )
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm", "signup": "accounts.forms.SignupForm"}
# Sign-up and password reset answer the same way whether or not an address is registered.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_GET = False
# None shows a "Remember me" box: unticked, the session ends when the browser closes.
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[MathPath] "
# Tell people by email when their password or email address changes, in case it wasn't them.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if HTTPS else "http"
# Changing the email address or password asks for the password again unless the user
# signed in within the last five minutes.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# Counters live in the shared database cache (CACHES above), so every worker sees them.
# The per-address (key) limit protects an account: the 6th wrong password in five minutes
# for one address is refused, even when right. The per-IP limits only slow one machine
# guessing across many accounts; an office or school shares one IP, and allauth counts
# these before it checks the password, so a low one would let one attacker lock everyone
# behind that IP out. 100 a minute is far above what a real crowd of people sends.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "100/m/ip,5/5m/key",
    "login": "100/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "reauthenticate": "10/m/user",
    "manage_email": "10/m/user",
}

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "MathPath"
# Staff reach the admin only after setting up an authenticator app (TOTP). On by default
# in production; development leaves it off so a fresh createsuperuser can look around.
ADMIN_REQUIRE_MFA = env_bool("ADMIN_REQUIRE_MFA", not DEBUG)

# Sessions are tracked per user so that logging out, or deleting the account, can end
# the user's sessions in other browsers too (see accounts/signals.py).
USERSESSIONS_TRACK_ACTIVITY = False
