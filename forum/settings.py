"""The one settings module, read from the environment (12-factor).

Every variable is listed in `.env.example`. Without any of them the site runs on its embedded
defaults: a SQLite file, Celery tasks run eagerly, a local-memory cache and mail printed to the
console. Production is switched on by the environment (DEBUG=false, DATABASE_URL, REDIS_URL,
EMAIL_URL, SECRET_KEY, ALLOWED_HOSTS, SITE_URL), never by a second settings file.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local `.env` (written by `make install` for development) fills in what the real environment
# does not set; the real environment always wins. FORUM_ENV_FILE="" skips it.
_env_file = env.str("FORUM_ENV_FILE", default=str(BASE_DIR / ".env"))
if _env_file and Path(_env_file).is_file():
    env.read_env(_env_file, overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY in the environment (a long random string), "
            "or DEBUG=true for local development only."
        )
    SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The public address of the site; links in mail and the admin are built from it, never from the
# request's Host header.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL

INSTALLED_APPS = [
    # Before the apps whose models it translates (its own translation.py modules register them).
    "modeltranslation",
    "forum",
    "cms",
    "mail",
    "sessions_app",
    "registration",
    "statements",
    "cfp",
    "demo",
    # For its catalogues: country names in the reader's language.
    "django_countries",
    "csp",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.simple_translation",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses HTML, JSON, XML and calendars (static files come compressed from WhiteNoise);
    # outside everything that writes a body, so the answers of the page cache too.
    "django.middleware.gzip.GZipMiddleware",
    "csp.middleware.CSPMiddleware",
    "forum.middleware.AdminContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # NUL bytes and invalid UTF-8 in a query or a form: a 400, before any view.
    "forum.middleware.RejectMalformedInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Anonymous answers of public pages from the cache, before Wagtail routes (forum/pagecache.py).
    "forum.pagecache.PublicPageCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: answers a login that failed once too often with the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "forum.urls"
WSGI_APPLICATION = "forum.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cms.context_processors.site_navigation",
            ],
        },
    },
]

# Database: a SQLite file by default, PostgreSQL in production and CI.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env.bool(
    "DATABASE_JIT", default=False
):
    # PostgreSQL's just-in-time compilation pays off for long analytic queries, not for a web
    # page's short ones: on tables not yet analysed, the planner's estimate made it compile a
    # query that returns nothing for about a second (bench/RESULTS.md, the route cache).
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: broker and cache when REDIS_URL is set; eager tasks and a local-memory cache otherwise.
REDIS_URL = env.str("REDIS_URL", default="")
# The cache may live in another Redis database than the broker's (clearing a cache flushes
# its whole database).
REDIS_CACHE_URL = env.str("REDIS_CACHE_URL", default=REDIS_URL)
if REDIS_URL:
    CACHES = {
        "default": {
            # A Redis outage reads as a cache miss (forum/cache.py): pages still answer.
            "BACKEND": "forum.cache.FaultTolerantRedisCache",
            "LOCATION": REDIS_CACHE_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="forum"),
            # Short time-outs: while Redis is away each cache call gives up quickly.
            "OPTIONS": {
                "socket_connect_timeout": env.float("CACHE_SOCKET_TIMEOUT", default=0.5),
                "socket_timeout": env.float("CACHE_SOCKET_TIMEOUT", default=0.5),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Each web process keeps the bodies of the page cache's answers it served last in memory, up to
# this many MiB (forum/pagecache.py); 0 turns it off.
PAGE_CACHE_MEMORY_MB = env.int("PAGE_CACHE_MEMORY_MB", default=32)

CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker whose Redis restarts or is away for a while keeps trying to reconnect (Celery's
# default gives up after 100 attempts and the worker exits).
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# Tasks running when the broker connection is lost cannot be acknowledged any more: they are
# cancelled and delivered again (every task is safe to run twice).
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A task taken by a worker that died unacknowledged goes back to the queue after this long:
    # just past the longest time limit (a batch part's, 300 s), not Redis's default hour.
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=360),
    # Notice a half-open connection (Redis restarted behind a proxy) within half a minute.
    "health_check_interval": 25,
    "socket_connect_timeout": 5,
}
CELERY_TIMEZONE = "UTC"
# Email has a queue of its own, so that a burst of mail never waits behind PDF batches (and the
# other way round). A worker started without -Q consumes every queue listed here; `make worker`,
# docker/compose.yaml and docker/systemd/forum-worker.service name both (see README).
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = [Queue("celery", routing_key="celery"), Queue("mail", routing_key="mail")]
CELERY_TASK_ROUTES = {
    "mail.*": {"queue": "mail"},
    # The outbox's tasks under the names they had in registration (mail/tasks.py).
    "registration.send_email": {"queue": "mail"},
    "registration.sweep_outbox": {"queue": "mail"},
}
CELERY_BEAT_SCHEDULE = {
    # Wagtail publishes and unpublishes scheduled pages only when something asks it to.
    "publish-scheduled-pages": {
        "task": "cms.publish_scheduled_pages",
        "schedule": 60.0,
    },
    # The statement of commitment: close comment periods at their deadline; daily digests.
    "statements-close-comment-periods": {
        "task": "statements.close_comment_periods",
        "schedule": 60.0,
    },
    "statements-send-digests": {
        "task": "statements.send_digests",
        "schedule": 24 * 60 * 60.0,
    },
    # Emails written while Redis was down (or whose task was lost) go out when it is back.
    "sweep-outbox": {
        "task": "mail.sweep_outbox",
        "schedule": 60.0,
    },
    # Badge batches whose worker was lost resume with their missing parts.
    "resume-document-jobs": {
        "task": "registration.resume_document_jobs",
        "schedule": 60.0,
    },
    # Passport details are erased once their edition's retention period has passed.
    "erase-expired-passport-details": {
        "task": "registration.erase_expired_passport_details",
        "schedule": crontab(hour=3, minute=17),
    },
    # Registration: the reminder N days before each edition, once a day (early, UTC).
    "registration-reminders": {
        "task": "registration.send_reminders",
        "schedule": crontab(hour=1, minute=0),
    },
}
# Comments, amendments and reports a delegate may post per window (count, seconds).
STATEMENTS_RATE_LIMIT = (5, 60)
# The site's other rate limits (forum/ratelimit.py lists them with their defaults), e.g.
# {"registration.register.client": (50, 3600)}; counted in the cache (Redis when REDIS_URL is set).
RATE_LIMITS: dict[str, tuple[int, int]] = {}
# How many proxies (load balancer, TLS terminator) stand in front of the site and append to
# X-Forwarded-For: the client's address is read that many entries from its right. 0: none, the
# TCP peer is the client.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Mail: printed to the console by default; EMAIL_URL=smtp://user:pass@host:587 (or
# smtp+tls://, smtp+ssl://) for a real server.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="AFSE <forum@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Temporary SMTP failures (4xx, refused connections, time-outs) are retried after 1, 2, 4, 8
# minutes, then every 15, for two days; a 5xx refusal fails the email at once.
EMAIL_RETRY_FIRST_SECONDS = env.int("EMAIL_RETRY_FIRST_SECONDS", default=60)
EMAIL_RETRY_MAX_SECONDS = env.int("EMAIL_RETRY_MAX_SECONDS", default=15 * 60)
EMAIL_RETRY_FOR_HOURS = env.int("EMAIL_RETRY_FOR_HOURS", default=48)
# The emails one transaction writes (an announcement, the reminders…) are queued in batches of
# this many, each sent by one task over one SMTP connection (mail/services/outbox.py).
EMAIL_BATCH_SIZE = env.int("EMAIL_BATCH_SIZE", default=50)
# A batch locks, sends and marks its rows this many at a time, one transaction (and one commit)
# each: a worker killed in the middle of a group sends that group's messages again.
EMAIL_BATCH_GROUP = env.int("EMAIL_BATCH_GROUP", default=10)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account or address before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed logins (forum/lockout.py): an account is locked after AXES_FAILURE_LIMIT failures, a
# client address after LOGIN_FAILURE_LIMIT_PER_CLIENT, both for LOGIN_LOCKOUT_MINUTES; counted
# in the database, which every process shares.
AXES_HANDLER = "forum.lockout.ForumAxesHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_FAILURE_LIMIT_PER_CLIENT = env.int("LOGIN_FAILURE_LIMIT_PER_CLIENT", default=50)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "forum.ratelimit.client_address"
AXES_LOCKOUT_CALLABLE = "forum.lockout.lockout_response"
AXES_ENABLE_ADMIN = False  # unlocked in Wagtail's admin (forum/wagtail_hooks.py)
AXES_VERBOSE = False
AXES_USERNAME_CALLABLE = "forum.lockout.axes_username"
# Sessions in the database as with Django's engine, written once per request (forum/sessions.py).
SESSION_ENGINE = "forum.sessions"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Languages: English is served without a prefix, the others under /<code>/ (/ja/, /ko/…). Each
# edition offers a chosen few of them (Edition.languages). Every one has a complete catalogue in
# locale/ (tests/cms/test_i18n.py) and date formats in forum/formats/<code>/.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ja", _("Japanese")),
    ("ko", _("Korean")),
    ("zh-hans", _("Simplified Chinese")),
    ("id", _("Indonesian")),
    ("th", _("Thai")),
    ("vi", _("Vietnamese")),
]
# Organizers' content (session titles, rooms, tracks, ticket types, questions…) in several
# languages: django-modeltranslation adds a column per language beside the source (title_ja,
# title_ko…), registered in each app's translation.py. English is the source; a missing
# translation reads as English (and the pages mark it so).
MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
MODELTRANSLATION_LANGUAGES = tuple(code for code, _name in LANGUAGES)
MODELTRANSLATION_FALLBACK_LANGUAGES = (LANGUAGE_CODE,)
# Code that writes `title` under another active language still fills the source column.
MODELTRANSLATION_AUTO_POPULATE = "default"
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["forum.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
# The Noto fonts of every PDF, from the npm registry (package.json; `make install` runs npm).
PDF_FONTS_DIR = Path(
    env.str("PDF_FONTS_DIR", default=str(BASE_DIR / "node_modules" / "@fontsource"))
)
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Uploaded media are served by Django only when asked (a single-machine install); behind a load
# balancer, serve MEDIA_ROOT from the proxy or object storage instead.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=DEBUG)
# Generated documents and Wagtail documents: outside MEDIA_ROOT, never served by a proxy; they
# leave only through views that check who asks, or signed links that expire (forum/documents/).
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private")))
PRIVATE_FILE_LINK_MAX_AGE = env.int("PRIVATE_FILE_LINK_MAX_AGE", default=60 * 60)
STORAGES = {
    # MEDIA_ROOT: public files only (images); Wagtail's documents/ folder goes to "private".
    "default": {"BACKEND": "forum.documents.storage.MediaStorage"},
    "private": {"BACKEND": "forum.documents.storage.PrivateStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Security: strict by default whenever DEBUG is off; each can be relaxed from the environment
# (e.g. SECURE_SSL_REDIRECT=false when TLS ends at a proxy that already redirects).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.bool("USE_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]

# A strict Content-Security-Policy on the public site: no inline scripts or styles, nothing from
# another host. Wagtail's admin sets its own needs and is left out.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# The admin's own policy (forum/middleware.py): nothing from another host, no plugins, no
# framing by others, no eval. Wagtail 8's admin still runs inline scripts (the page explorer,
# the page editor, the users list) and sets inline styles (the editor): measured in Chromium by
# tests/browser/test_admin_csp.py, those two need 'unsafe-inline' and nothing else does.
ADMIN_CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
}

# Wagtail
WAGTAIL_SITE_NAME = env.str("SITE_NAME", default="Asian Forum for Solidarity Economy")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Wagtail's index updates: at once, each in its own savepoint (forum/tasks_backend.py).
TASKS = {"default": {"BACKEND": "forum.tasks_backend.SavepointImmediateBackend"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
# Documents only through Wagtail's serve view, which applies collections' privacy.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# A private collection's documents and private pages send visitors to the site's own login.
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]  # no user-supplied SVG
# An upload Pillow cannot read (e.g. a GIF/script polyglot) is a form error, not a 500.
WAGTAILIMAGES_IMAGE_FORM_BASE = "cms.image_forms.ImageForm"
# No avatar fetched from Gravatar: nothing leaves the site, nothing breaks offline.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# Demo account created by `manage.py seed_demo` (development only).
DEMO_ADMIN_USERNAME = env.str("DEMO_ADMIN_USERNAME", default="organizer")
DEMO_ADMIN_PASSWORD = env.str("DEMO_ADMIN_PASSWORD", default="afse-demo-2009")
