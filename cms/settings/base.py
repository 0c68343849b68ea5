"""Settings shared by every environment.

Everything that differs between a laptop and production comes from environment variables
(see the configuration table in README.md); the modules `dev`, `test` and `production`
only change defaults and switch on what each environment needs.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from core.cache import redis_cache

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "core",
    "registry",
    "home",
    "schools",
    "surveys",
    "monitoring",
    "results",
    "accountability",
    "outputs",
    "notifications",
    "search",
    "wagtail.contrib.settings",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.table_block",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
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
    "django_filters",
    "django_tasks",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if IS_POSTGRES:
    # Full-text search with the Russian configuration needs contrib.postgres.
    INSTALLED_APPS.append("django.contrib.postgres")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

MIDDLEWARE = [
    # First: a kept page is answered with the headers every middleware below gave it when it
    # was rendered (security headers, the CSP, which has no per-request nonce here), without
    # running them again; a new page is judged with the cookies the session, CSRF and
    # message middleware set (core/page_cache.py). Static files skip it by path.
    "core.page_cache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "cms.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # The request's Wagtail Site from a per-process memo (core/site_memo.py).
    "core.site_memo.RememberedSiteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "cms.middleware.StorageFullMiddleware",
]

# Content-Security-Policy (security.md case 40): the public site and the cabinet load scripts,
# styles, images and fonts from this site only, and no inline script or style runs. Wagtail's
# admin relies on inline scripts and is left out. Video blocks embed two players.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["https://rutube.ru", "https://www.youtube-nocookie.com"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.context_processors.accessibility",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Russian is the language of the portal and of its admin.
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Русский"))]
LOCALE_PATHS = [PROJECT_DIR / "locale"]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Moscow")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static"))
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

STORAGES = {
    "default": {"BACKEND": "core.storage.CleanFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Cache: Redis when REDIS_URL is set, otherwise process-local memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL)}
    DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    # The circuit breaker (core/cache.py) logs one line per outage; a traceback per cache call
    # made 39,602 log lines of 60 requests.
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# How long a process leaves a failed Redis alone before asking it again.
CACHE_RETRY_SECONDS = int(os.environ.get("CACHE_RETRY_SECONDS", "10"))

# --- The page cache (core/page_cache.py) ---
# Whole public pages for anonymous visitors, shared by every process: in Redis when there is
# one; otherwise in files on this machine, so that the workers of one gunicorn agree on what
# is kept and on the generation that invalidates it (process-local memory would keep a page
# in one worker after another worker's change, and the database, the other shared store, is
# what the page cache is there to spare).
if REDIS_URL:
    CACHES["pages"] = redis_cache(REDIS_URL)
else:
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("PAGE_CACHE_DIR", str(BASE_DIR / "var" / "page-cache")),
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
# Off: pages are rendered for every request (the headers below are still sent).
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
# The longest a page is kept (changes invalidate it at once; this bounds what a change
# the portal cannot see, e.g. a lost invalidation while the cache was down, may leave).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
# Browsers (max-age) and proxies or a CDN (s-maxage) may keep a public page this long; both
# are cut at the next campaign boundary or midnight.
PUBLIC_MAX_AGE = int(os.environ.get("PUBLIC_MAX_AGE", "60"))
PUBLIC_S_MAXAGE = int(os.environ.get("PUBLIC_S_MAXAGE", "60"))
# What of the visitor changes a public page, normalised: the visually-impaired preferences.
PAGE_CACHE_VARIANT = "cms.accessibility.page_variant"
# Never looked up (private or personal by nature; saves a cache round trip).
PAGE_CACHE_SKIP_PATHS = [
    "/admin/",
    "/cabinet/",
    "/survey/",
    "/documents/",
    "/static/",
    "/media/",
    "/healthz/",
    "/accessibility/",
    "/notifications/",
    "/search/",
]
# Writes to these never change a public page, and some are frequent: they leave the kept
# pages alone. Answers (surveys.Response) are here on purpose: submissions must not empty the
# cache at the peak; a school page's coverage figures for a published year then follow a
# review of answers within PAGE_CACHE_SECONDS.
PAGE_CACHE_UNWATCHED = [
    "sessions.Session",
    "core.SignInFailure",
    "surveys.Response",
    "home.PortalRendition",
    "wagtailimages.Rendition",
    "wagtailadmin.EditingSession",
    "wagtailcore.PageLogEntry",
    "wagtailcore.ModelLogEntry",
    "wagtailsearch.IndexEntry",
    "notifications.SentNotification",
]
PAGE_CACHE_UNWATCHED_TABLES = [
    "django_tasks_database_dbtaskresult",
    "wagtailsearch_sqliteftsindexentry",
    "wagtailsearch_indexentry_fts",
]

# A reverse proxy or CDN in front of the portal is told to drop a page when it is published
# or unpublished, and the ratings' pages when a year's ratings are published: one HTTP PURGE
# per address to FRONTEND_CACHE_PURGE_URL (Varnish, nginx with a purge module).
FRONTEND_CACHE_PURGE_URL = os.environ.get("FRONTEND_CACHE_PURGE_URL", "")
if FRONTEND_CACHE_PURGE_URL:
    WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": FRONTEND_CACHE_PURGE_URL,
        }
    }

# Background work runs through django-tasks; production uses the database worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# E-mail (invitations, notifications).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noko@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGIN_URL = "wagtailadmin_login"
# Failed sign-ins allowed per account and per client address within the window (core/signin.py).
WAGTAILADMIN_USER_LOGIN_FORM = "core.signin.ThrottledLoginForm"
LOGIN_THROTTLE_SECONDS = 15 * 60
LOGIN_FAILURES_PER_ACCOUNT = int(os.environ.get("LOGIN_FAILURES_PER_ACCOUNT", "5"))
LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("LOGIN_FAILURES_PER_ADDRESS", "30"))
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "core.signin.ThrottledPasswordResetForm"
# Reset e-mails within LOGIN_THROTTLE_SECONDS.
PASSWORD_RESETS_PER_ACCOUNT = int(os.environ.get("PASSWORD_RESETS_PER_ACCOUNT", "3"))
PASSWORD_RESETS_PER_ADDRESS = int(os.environ.get("PASSWORD_RESETS_PER_ADDRESS", "10"))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Request size limits: uploads beyond these fail fast (security.md case 20).
# Largest request body at all (the biggest upload plus form fields).
MAX_REQUEST_BODY_SIZE = int(os.environ.get("MAX_REQUEST_BODY_SIZE", str(25 * 1024 * 1024)))
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
DATA_UPLOAD_MAX_NUMBER_FILES = 20
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Questionnaires: duplicate control (see surveys/services.py).
# How many reverse proxies of ours append to X-Forwarded-For (0: use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
SURVEY_MAX_PER_ADDRESS_PER_HOUR = int(os.environ.get("SURVEY_MAX_PER_ADDRESS_PER_HOUR", "10"))
SURVEY_MIN_FILL_SECONDS = int(os.environ.get("SURVEY_MIN_FILL_SECONDS", "15"))
# Seconds each web process may keep its memo of the open campaign and of organisations
# (surveys/views.py) before reading them again: with several processes or servers, an
# editor's change to a campaign or the registry reaches all of them within this bound.
PROCESS_MEMO_SECONDS = float(os.environ.get("PROCESS_MEMO_SECONDS", "30"))

# Days off transferred by a government decree announced after the pinned `holidays` release
# (core/workdays.py): comma-separated "YYYY-MM-DD:off" (a weekday made a day off) or
# "YYYY-MM-DD:work" (a Saturday made a working day); they win over the package's calendar.
PRODUCTION_CALENDAR_CHANGES = env_list("PRODUCTION_CALENDAR_CHANGES")

# An organisation is assessed at least once in this many years (273-ФЗ, ст. 95.2; the
# assessment list warns about those left out that long; docs/regulations.md §5).
ASSESSMENT_PERIOD_YEARS = int(os.environ.get("ASSESSMENT_PERIOD_YEARS", "3"))

# Wagtail
WAGTAIL_SITE_NAME = os.environ.get("SITE_NAME", "НОКО: независимая оценка качества")
# The public address the portal is deployed at. When set, it is also the default Wagtail Site's
# address (core/sites.py: sitemap.xml and full page URLs), written on migrate and load_demo.
BASE_URL = os.environ.get("BASE_URL", "").rstrip("/")
WAGTAILADMIN_BASE_URL = BASE_URL or "http://127.0.0.1:8000"
WAGTAIL_I18N_ENABLED = False
# Russian titles become Latin slugs (/novosti/otkryto-anketirovanie/), which survive being
# pasted into chats and e-journals, unlike percent-encoded Cyrillic.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {"WIDGET": "core.widgets.StrictDraftailRichTextArea"},
}
WAGTAIL_FINISH_WORKFLOW_ACTION = "schools.workflows.publish_approved"
DATABASE_SEARCH = {"BACKEND": "wagtail.search.backends.database"}
if IS_POSTGRES:
    DATABASE_SEARCH["SEARCH_CONFIG"] = "russian"
WAGTAILSEARCH_BACKENDS = {"default": DATABASE_SEARCH}
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
if ELASTICSEARCH_URL:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": os.environ.get("ELASTICSEARCH_BACKEND", "modelsearch.backends.opensearch2"),
            "URLS": [url.strip() for url in ELASTICSEARCH_URL.split(",")],
            "INDEX_PREFIX": os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "noko_"),
            # A search waits this long at most; then the database answers (core/search.py).
            "TIMEOUT": int(os.environ.get("ELASTICSEARCH_TIMEOUT", "5")),
            # No retries inside the client: one slow node must not multiply a page's wait.
            "OPTIONS": {"max_retries": 0, "retry_on_timeout": False},
            "INDEX_SETTINGS": {
                "settings": {"index": {"analysis": {"analyzer": {"default": {"type": "russian"}}}}}
            },
        },
        # Kept up to date beside the engine, so that a search still answers while the node is
        # down, slow or unreachable.
        "database": DATABASE_SEARCH,
    }
# How long a process leaves a failed search engine alone before asking it again.
SEARCH_ENGINE_RETRY_SECONDS = int(os.environ.get("SEARCH_ENGINE_RETRY_SECONDS", "30"))

# Documents are served through Django so that privacy settings apply; their files under
# MEDIA_ROOT/documents are never served directly (security.md case 32).
WAGTAILIMAGES_IMAGE_MODEL = "home.PortalImage"
WAGTAILDOCS_DOCUMENT_MODEL = "home.PortalDocument"
WAGTAILIMAGES_IMAGE_FORM_BASE = "core.uploads.PortalImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "core.uploads.PortalDocumentForm"
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "odt", "xls", "xlsx", "ods", "csv", "txt", "rtf"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
# No avatars from gravatar.com: each request would send a hash of a staff member's e-mail to
# an outside service (and the admin must work offline). Wagtail then shows its default icon.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_DATE_FORMAT = "%d.%m.%Y"
WAGTAIL_DATETIME_FORMAT = "%d.%m.%Y %H:%M"

# Serve MEDIA_ROOT (except private documents) from the WSGI app: used by `make run`, where
# no separate web server sits in front of gunicorn.
SERVE_MEDIA = env_bool("SERVE_MEDIA", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # The zone's offset is printed, and gunicorn's lines share this formatter
    # (ops/gunicorn.conf.py), so every line of `make run` reads in TIME_ZONE.
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s: %(message)s",
            "datefmt": "%Y-%m-%d %H:%M:%S %z",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request logs carry client addresses; the portal does not write them (152-ФЗ).
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        # One line per search-index update is noise, not news.
        "django_tasks": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},
        # The website checker reads tens of thousands of pages a round; a line each is noise.
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
    },
}

# --- E-mail reminders and notifications (notifications/, `manage.py send_reminders`) ---


def env_days(name, default):
    """Comma-separated whole days, e.g. ``7,3,1``."""
    return tuple(int(item) for item in env_list(name)) or default


# Days before the schools' report deadline when staff who have not submitted are reminded;
# the day after the deadline they are told once that it has passed.
REMINDER_DAYS_BEFORE_DEADLINE = env_days("REMINDER_DAYS_BEFORE_DEADLINE", (7, 3, 1))
# Days before a campaign closes when an organisation below a group's coverage target hears so.
NOTIFICATIONS_COVERAGE_DAYS_BEFORE_CLOSE = env_days(
    "NOTIFICATIONS_COVERAGE_DAYS_BEFORE_CLOSE", (14, 7, 3)
)
# Days before a plan measure's planned date when the organisation is reminded; overdue
# measures come in one digest per plan and week.
NOTIFICATIONS_PLAN_DAYS_BEFORE = env_days("NOTIFICATIONS_PLAN_DAYS_BEFORE", (14, 3))
# Events (a returned checklist, an answered objection, a session order) older than this many
# days are not announced: the first run after a long stop does not flood anyone.
NOTIFICATIONS_EVENT_DAYS = int(os.environ.get("NOTIFICATIONS_EVENT_DAYS", "14"))
# How many runs try a message whose sending failed (one run a day).
NOTIFICATIONS_MAX_ATTEMPTS = int(os.environ.get("NOTIFICATIONS_MAX_ATTEMPTS", "3"))
