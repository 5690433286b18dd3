"""Django settings for Ratusha.

Every setting that an installation may change comes from an environment variable; each one is
documented in ``docs/configuration.md``. Defaults give the embedded mode: SQLite and files under
``RATUSHA_DATA_DIR`` (``var/``).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent


def env(name: str, default: str = "") -> str:
    """``RATUSHA_<NAME>``; ``DATABASE_URL`` is also read under its conventional plain name."""
    if name == "DATABASE_URL":
        return os.environ.get("RATUSHA_DATABASE_URL", os.environ.get("DATABASE_URL", default))
    return os.environ.get(f"RATUSHA_{name}", default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name, "1" if default else "0").strip().lower()
    return value in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(env(name, str(default)))


DATA_DIR = Path(env("DATA_DIR", str(REPO_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret(name: str, filename: str) -> str:
    """A secret from the environment, else generated once and kept in the data dir (mode 600)."""
    value = env(name)
    if value:
        return value
    path = DATA_DIR / filename
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret("SECRET_KEY", "secret.key")
# Key of the audit log's HMAC chain: whoever can write the database but not read this key cannot
# forge audit rows (see core/audit.py).
AUDIT_KEY = _secret("AUDIT_KEY", "audit.key")
SIGNATURES_KEY = _secret("SIGNATURES_KEY", "signatures.key")  # encrypts the installation CA's keys
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [h.strip() for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
DEMO = env_bool("DEMO", False)
# Absolute address of the office, for links in e-mails (no request there to build it from); its scheme
# also chooses the HTTPS defaults below.
BASE_URL = env("BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "ratusha.core.admin_site.RatushaAdminConfig",  # the admin, 2FA only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks_db",
    "crontask",
    "ratusha.core",
    "ratusha.orgs",
    "ratusha.registry",
    "ratusha.search",
    "ratusha.calendar",
    "ratusha.notifications",
    "ratusha.workflow",
    "ratusha.workflow.approvals",
    "ratusha.reports",
    "ratusha.appeals",
    "ratusha.appeals.reception",
    "ratusha.appeals.open311",
    "ratusha.website",
    "ratusha.website.acts",
    "ratusha.website.opendata",
    "ratusha.website.audience",
    "ratusha.signatures",
    "ratusha.exchange",
    "ratusha.api",
    "ninja",  # serves the API docs (Swagger UI) from our own static files
    "ratusha.training",
    # Wagtail (the website CMS at /cms/)
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.contrib.forms",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ratusha.website.audience.middleware.PageViewMiddleware",  # cookie-less counts, cache hits included
    "ratusha.website.cache.AnonymousPageCacheMiddleware",  # anonymous public pages, before sessions
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ratusha.core.middleware.UkrainianFirstLocaleMiddleware",  # not Accept-Language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ratusha.core.middleware.OfficeOTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ratusha.core.submissions.SubmitOnceMiddleware",  # a create form's POST is taken once
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "ratusha.urls"
WSGI_APPLICATION = "ratusha.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ratusha.core.context.office",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "ratusha.sqlite3",
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN: concurrent registrations queue up instead of
                # failing with "database is locked" when a reader upgrades to a writer.
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                    " PRAGMA busy_timeout=30000; PRAGMA cache_size=-20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "orgs.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "registry:home"
# Failed logins (core/throttle.py): after LOGIN_MAX_FAILURES within LOGIN_LOCK_MINUTES one username is
# locked for that address only; the person still signs in from elsewhere.
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)
LOGIN_LOCK_MINUTES = env_int("LOGIN_LOCK_MINUTES", 15)
# Per client address the threshold is higher: a whole council office often shares one NAT address.
LOGIN_MAX_FAILURES_PER_IP = env_int("LOGIN_MAX_FAILURES_PER_IP", LOGIN_MAX_FAILURES * 4)
# One username over all addresses: beyond this only addresses the person signed in from recently may try.
LOGIN_MAX_FAILURES_PER_USER = env_int("LOGIN_MAX_FAILURES_PER_USER", LOGIN_MAX_FAILURES * 10)
LOGIN_KNOWN_ADDRESS_DAYS = env_int("LOGIN_KNOWN_ADDRESS_DAYS", 90)
OTP_TOTP_ISSUER = env("OTP_ISSUER", "Ratusha")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_HOURS", 10) * 3600
# --- HTTPS (docs/configuration.md «HTTPS і проксі») ------------------------------------------------
# Ratusha never terminates TLS itself: an https RATUSHA_BASE_URL means a TLS proxy (nginx) in front. Then,
# unless DEBUG is on, the defaults are the production ones: secure cookies, redirect to https, HSTS, and the
# proxy's X-Forwarded-Proto trusted. The embedded `make run` (http://127.0.0.1:8000) keeps all of them off.
HTTPS_PRODUCTION = BASE_URL.startswith("https://") and not DEBUG
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", HTTPS_PRODUCTION)
SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", HTTPS_PRODUCTION)
# Load balancers probe /healthz over plain http inside the network: no redirect for it.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31_536_000 if HTTPS_PRODUCTION else 0)  # one year
# Both concern the whole domain (other subdomains, browsers' preload lists): the council decides, default off.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
# Trust the proxy's «X-Forwarded-Proto: https». Only behind a proxy that always sets (overwrites) it —
# nginx: `proxy_set_header X-Forwarded-Proto $scheme;` (docs/deploy.md).
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", HTTPS_PRODUCTION)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# No page may be framed, except the views that mark themselves (core/framing.py: our own PDF previews;
# Wagtail marks its preview views itself).
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "ratusha.core.error_views.csrf_failure"

# Content Security Policy (Django 6 built-in): no inline scripts, no third-party origins.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "frame-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],  # like X_FRAME_OPTIONS; core/framing.py allows our own previews
}

# --- I18N -----------------------------------------------------------------------------------
LANGUAGE_CODE = "uk"
LANGUAGES = [("uk", _("Українська")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Kyiv"
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]
FORMAT_MODULE_PATH = ["ratusha.formats"]

# --- Static and files -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]  # the office design system (css, js, img)
# Uploaded website images and their renditions (Wagtail). Served by Django in the embedded mode
# (``RATUSHA_SERVE_MEDIA``, default on); in scale mode nginx serves MEDIA_ROOT (docs/deploy.md).
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": DATA_DIR / "media"}},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
                    if not DEBUG else "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
BLOB_DIR = Path(env("BLOB_DIR", str(DATA_DIR / "blobs")))
MAX_UPLOAD_MB = env_int("MAX_UPLOAD_MB", 25)
# A form sent after the session ended is kept this long (and files up to this size together).
PARKING_HOURS = env_int("PARKING_HOURS", 24)
PARKING_MAX_MB = env_int("PARKING_MAX_MB", MAX_UPLOAD_MB * 2)
# The API's request body (``/api/v1/``; files travel in base64, a third larger): by default a file of
# MAX_UPLOAD_MB fits. Over it: 413 in the API's error shape (api/errors.py).
API_MAX_BODY_MB = env_int("API_MAX_BODY_MB", -(-MAX_UPLOAD_MB * 4 // 3) + 1)
# Django refuses larger non-file bodies before any view; never below the API's own limit.
DATA_UPLOAD_MAX_MEMORY_SIZE = max(MAX_UPLOAD_MB + 5, API_MAX_BODY_MB) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# ZIP-based files from outside (DOCX, XLSX, ODT, ASiC-E) are refused before unpacking when they declare
# more entries, more unpacked bytes in all, or a higher packing ratio (per entry over 1 MB) than this.
ZIP_MAX_ENTRIES = env_int("ZIP_MAX_ENTRIES", 2000)
ZIP_MAX_UNPACKED_MB = env_int("ZIP_MAX_UNPACKED_MB", 200)
ZIP_MAX_RATIO = env_int("ZIP_MAX_RATIO", 100)
# Images are never decoded past this many pixels (Pillow refuses larger ones; Wagtail checks the same).
MAX_IMAGE_PIXELS = env_int("MAX_IMAGE_PIXELS", 50_000_000)
WAGTAILIMAGES_MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
# Uploads staged for a form that is not sent yet (core.StagedUpload): anonymous ones (the public
# e-appeal form) are limited per address and window, and their unsent bytes count against a quota per
# address and in all; every staged upload unused after STAGE_KEEP_HOURS is deleted with its file
# unless a record uses the same file.
UPLOAD_STAGE_LIMIT = env_int("UPLOAD_STAGE_LIMIT", 20)  # anonymous files staged per address per window
UPLOAD_STAGE_WINDOW_MINUTES = env_int("UPLOAD_STAGE_WINDOW_MINUTES", 60)
UPLOAD_STAGE_IP_QUOTA_MB = env_int("UPLOAD_STAGE_IP_QUOTA_MB", 100)
UPLOAD_STAGE_QUOTA_MB = env_int("UPLOAD_STAGE_QUOTA_MB", 2048)
UPLOAD_STAGE_KEEP_HOURS = env_int("UPLOAD_STAGE_KEEP_HOURS", 48)

# --- Background work ------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# --- Mail -----------------------------------------------------------------------------------
EMAIL_HOST = env("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env("EMAIL_FROM", "ratusha@localhost")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)  # seconds; a hung SMTP server must not hold a worker
if not env("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"

# --- Registry rules -------------------------------------------------------------------------
# Minutes within which the same user re-opening a personal-data card is not logged again.
PERSONAL_READ_LOG_WINDOW = env_int("PERSONAL_READ_LOG_WINDOW", 0)
PAGE_SIZE = env_int("PAGE_SIZE", 25)

# --- Citizens' appeals (docs/legal.md §3; docs/appeals.md) -----------------------------------------
# Rules marked ⚠ in docs/legal.md are settings with these defaults; other apps read them with
# ``getattr(settings, "APPEALS", {}).get(key, default)``.
APPEALS = {
    # Instruction CMU No. 348: the registration index is the first letter of the applicant's surname +
    # the journal's number («К-125»; anonymous «А-125») — "letter" — or the journal's own index — "plain".
    "INDEX_STYLE": env("APPEALS_INDEX_STYLE", "letter"),
    # Art. 22 ⚠: applicant categories (Classifier 858 codes) handled and received first. Empty → the
    # default list in appeals/constants.py (PRIORITY_CATEGORIES).
    "PRIORITY_CATEGORIES": [c.strip() for c in env("APPEALS_PRIORITY_CATEGORIES", "").split(",") if c.strip()],
    # Sign detection: token Jaccard similarity of two texts (lemmas) that makes them "the same issue"
    # (повторне / дублетне), "near-identical" (масове), and how many applicants within how many days
    # make a mass appeal.
    "SIMILARITY": float(env("APPEALS_SIMILARITY", "0.5")),
    "MASS_SIMILARITY": float(env("APPEALS_MASS_SIMILARITY", "0.8")),
    "MASS_MIN_APPLICANTS": env_int("APPEALS_MASS_MIN_APPLICANTS", 5),
    "MASS_WINDOW_DAYS": env_int("APPEALS_MASS_WINDOW_DAYS", 30),
    # The office list's «due soon» filter: this many working days ahead.
    "DUE_SOON_WORKING_DAYS": env_int("APPEALS_DUE_SOON_WORKING_DAYS", 3),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Scale mode: Redis holds what every process must share (rate limits). Embedded mode keeps them in the
# database (core/ratelimit.py), so that two web workers never see two different counts.
REDIS_URL = env("REDIS_URL")
RATELIMIT_STORE = "redis" if REDIS_URL else "database"
if REDIS_URL:
    CACHES["shared"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                        "KEY_PREFIX": env("REDIS_PREFIX", "ratusha")}

# --- Website (Wagtail at /cms/; docs/legal.md §5, §7) ---------------------------------------------
WAGTAIL_SITE_NAME = env("SITE_NAME", "Ратуша")
WAGTAILADMIN_BASE_URL = BASE_URL
WAGTAILADMIN_LOGIN_URL = "core:login"
WAGTAIL_I18N_ENABLED = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no requests to gravatar.com from the CMS
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "csv", "odt", "ods", "txt", "zip"]
WAGTAILIMAGES_IMAGE_MODEL = "wagtailimages.Image"

# --- Electronic signatures (issue 6; docs/signatures.md) --------------------------------------
APPROVALS_SIGNATURE_STRATEGY = env("APPROVALS_SIGNATURE_STRATEGY", "ratusha.signatures.strategy.PadesSignature")
SIGNATURES_LEVEL = env("SIGNATURES_LEVEL", "B-LT")  # PAdES level of approvals: "B-B", "B-T" or "B-LT"
SIGNATURES_VERIFY_MAX_MB = env_int("SIGNATURES_VERIFY_MAX_MB", 20)  # /verify/ upload limit
SIGNATURES_VERIFY_LIMIT = env_int("SIGNATURES_VERIFY_LIMIT", 30)  # /verify/ checks per IP per window
SIGNATURES_VERIFY_WINDOW_MINUTES = env_int("SIGNATURES_VERIFY_WINDOW_MINUTES", 10)
SIGNATURES_TSA_URL = env("SIGNATURES_TSA_URL", "")  # an outside TSA; empty: the installation CA's /pki/tsa
# Exchange between installations: peers' endpoints must be https unless this is on (loopback tests, a lab).
EXCHANGE_ALLOW_HTTP = env_bool("EXCHANGE_ALLOW_HTTP", DEBUG or DEMO)
# /exchange/v1/messages: POSTs per client address, and per verified sender (ЄДРПОУ), in one window.
EXCHANGE_RATE_WINDOW_SECONDS = env_int("EXCHANGE_RATE_WINDOW_SECONDS", 60)
EXCHANGE_RATE_LIMIT_IP = env_int("EXCHANGE_RATE_LIMIT_IP", 600)
EXCHANGE_RATE_LIMIT_PEER = env_int("EXCHANGE_RATE_LIMIT_PEER", 300)
SIGNATURES_ALLOW_FETCHING = env_bool("SIGNATURES_ALLOW_FETCHING", True)  # OCSP/CRL over HTTP when verifying
