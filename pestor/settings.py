"""PES-TOR settings: one module, configured from the environment.

DEBUG is off unless the environment turns it on, so a deployment that forgets it gets the
production behaviour and refuses to start without a real ``SECRET_KEY`` (production also sets
``ALLOWED_HOSTS``). ``make run`` and the test suite (tests/settings.py) set ``DEBUG=true``; with
it the portal runs as a newcomer expects: SQLite in the project folder, tasks run in-process,
e-mail printed to the console.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from pestor.content_security import tile_source

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEVELOPMENT_SECRET_KEY = "django-insecure-pestor-development-only-never-use-in-production"

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
if not DEBUG and (SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "Set SECRET_KEY to a random value of at least 50 characters when DEBUG is false "
        "(the default). On a development machine set DEBUG=true instead, as `make run` does."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The public address of the portal, used in links sent by e-mail from background tasks.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env.str("SITE_NAME", default="PES-TOR")
# The installation's 360Giving prefix: the awarded grants' open data (grants/opendata.py) names
# each grant "<prefix>-<number>", unique across every publisher of 360Giving data.
GRANTS_360GIVING_PREFIX = env.str("GRANTS_360GIVING_PREFIX", default="360G-pestor")

# Open data (opendata/): the OCDS prefix the Open Contracting Partnership gives an installation
# ("ocds-" and six characters; a contracting process's ocid is the prefix and the notice's
# number), the licence of every dataset, and who publishes them.
OCDS_OCID_PREFIX = env.str("OCDS_OCID_PREFIX", default="ocds-pestor")
OPEN_DATA_LICENCE_NAME = env.str("OPEN_DATA_LICENCE_NAME", default="CC BY 4.0")
OPEN_DATA_LICENCE_URL = env.str(
    "OPEN_DATA_LICENCE_URL", default="https://creativecommons.org/licenses/by/4.0/"
)
OPEN_DATA_PUBLISHER = env.str("OPEN_DATA_PUBLISHER", default=SITE_NAME)
# Seconds between a change of a dataset's data and its rebuild (opendata/changes.py): the
# changes of a burst made within them are built once.
OPEN_DATA_REBUILD_DELAY = env.int("OPEN_DATA_REBUILD_DELAY", default=60)
# The public API (/api/v1/): requests an anonymous client may make per minute (per address),
# and a signed-in user.
API_ANONYMOUS_RATE = env.str("API_ANONYMOUS_RATE", default="60/min")
API_USER_RATE = env.str("API_USER_RATE", default="600/min")
REST_FRAMEWORK = {
    # JSON only: no browsable API (its forms and scripts), the documentation is the OpenAPI page.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # Counted in the project's cache (CACHES["default"]: Redis with several processes).
    # API_ANONYMOUS_RATE and API_USER_RATE above.
    "DEFAULT_THROTTLE_CLASSES": [
        "opendata.api.throttling.AnonymousThrottle",
        "opendata.api.throttling.SignedInThrottle",
    ],
    # The client is the address our own proxies (TRUSTED_PROXY_COUNT, as for allauth) saw;
    # never an X-Forwarded-For the client wrote (a new one per request would dodge the limit).
    "NUM_PROXIES": env.int("TRUSTED_PROXY_COUNT", default=0),
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{SITE_NAME} API",
    "DESCRIPTION": "Otwarte dane portalu: organizacje, oferty, ogłoszenia, wyniki, wydarzenia "
    "i lokale; tylko do odczytu.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI's files from the drf-spectacular-sidecar package, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
}

# Who runs this installation: named on the accessibility statement and the privacy page.
PORTAL_OPERATOR = env.str("PORTAL_OPERATOR", default="Gmina prowadząca portal")
PORTAL_OPERATOR_ADDRESS = env.str(
    "PORTAL_OPERATOR_ADDRESS", default="ul. Przykładowa 1, 00-000 Miasto"
)
CONTACT_EMAIL = env.str("CONTACT_EMAIL", default="kontakt@pestor.example")
CONTACT_PHONE = env.str("CONTACT_PHONE", default="+48 00 000 00 00")
DATA_PROTECTION_OFFICER_EMAIL = env.str(
    "DATA_PROTECTION_OFFICER_EMAIL", default="iod@pestor.example"
)
# Dates of the accessibility statement (ISO); the law asks for a yearly review by 31 March.
ACCESSIBILITY_PUBLISHED = env.str("ACCESSIBILITY_PUBLISHED", default="2026-11-23")
ACCESSIBILITY_UPDATED = env.str("ACCESSIBILITY_UPDATED", default="2026-11-23")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_filters",
    "template_partials",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "pestor",
    "directory",
    "exchange",
    "demand",
    "equipment_bank",
    "scoring",
    "premises",
    "grants",
    "community",
    "partnerships",
    "opendata",
    # Last: its demo computes the programme's indicators from every other app's demo data.
    "monitoring",
]

MIDDLEWARE = [
    # One log line per request (first, so that it times everything below it).
    "pestor.middleware.RequestLogMiddleware",
    # GET /health/ for load balancers, answered before host checks, HTTPS redirects and sessions.
    "pestor.middleware.HealthCheckMiddleware",
    # Anonymous GET requests may read a replica (DATABASE_REPLICA_URLS; pestor.replicas).
    "pestor.replicas.ReplicaReadsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "pestor.middleware.MFARequiredMiddleware",
]

ROOT_URLCONF = "pestor.urls"
WSGI_APPLICATION = "pestor.wsgi.application"

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
                "pestor.context_processors.portal",
                "pestor.context_processors.maps",
                "exchange.context_processors.inquiries",
            ],
        },
    },
]

FORM_RENDERER = "pestor.forms.PortalFormRenderer"

# --- Database ---------------------------------------------------------------------------------
# DATABASE_URL (postgres://…) in production and CI; an SQLite file in the project otherwise.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Read replicas (optional): DATABASE_REPLICA_URLS=postgres://…,postgres://… adds the aliases
# replica_1, replica_2… Anonymous visitors' GET requests read them; writes, signed-in pages,
# tasks and migrations use the primary (pestor.replicas). In tests each is a mirror of default.
DATABASE_REPLICAS = []
for _number, _url in enumerate(env.list("DATABASE_REPLICA_URLS", default=[]), start=1):
    _alias = f"replica_{_number}"
    DATABASES[_alias] = {
        **env.db_url_config(_url),
        "ATOMIC_REQUESTS": False,
        "TEST": {"MIRROR": "default"},
    }
    if DATABASES[_alias]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES[_alias]["CONN_MAX_AGE"] = DATABASES["default"].get("CONN_MAX_AGE", 0)
        DATABASES[_alias]["CONN_HEALTH_CHECKS"] = True
    DATABASE_REPLICAS.append(_alias)
DATABASE_ROUTERS = ["pestor.replicas.ReplicaRouter"]
# The list indexes carry covering columns (INCLUDE) that PostgreSQL reads without the table;
# SQLite builds the same index without them, which is all the embedded default needs.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache --------------------------------------------------------------------------------------
# Login throttling counts and the home page's figures live here. Each process has its own
# memory cache by default; with several processes (production) CACHE_URL=redis://host:6379/1
# gives them one shared cache (Django's built-in RedisCache).
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://pestor")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # A Redis that does not answer fails the request (and the health check) within seconds
    # instead of holding a worker until the operating system gives up on the connection.
    CACHES["default"].setdefault("OPTIONS", {}).update(
        socket_connect_timeout=env.float("CACHE_CONNECT_TIMEOUT", default=1.0),
        socket_timeout=env.float("CACHE_TIMEOUT", default=2.0),
    )
    # Sessions are read from the shared cache and written through to the database: a signed-in
    # page asks PostgreSQL one query less, and a Redis restart loses no session. (Not with the
    # per-process memory cache: a session ended in one process would live on in another's.)
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# The home page's figures (pestor.sections.HomeFigures, seconds): Celery beat recomputes them
# every HOME_FIGURES_REFRESH; an entry lives HOME_FIGURES_MAX_AGE (then the next request
# computes it, while other requests wait up to HOME_FIGURES_WAIT for it).
HOME_FIGURES_REFRESH = env.int("HOME_FIGURES_REFRESH", default=5 * 60)
HOME_FIGURES_MAX_AGE = env.int("HOME_FIGURES_MAX_AGE", default=2 * HOME_FIGURES_REFRESH)
HOME_FIGURES_WAIT = env.float("HOME_FIGURES_WAIT", default=10.0)

# --- Users and authentication -----------------------------------------------------------------
AUTH_USER_MODEL = "pestor.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "pestor:dashboard"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
# allauth's e-mails name the portal by SITE_NAME and link to SITE_URL, not to the request's host.
ACCOUNT_ADAPTER = "pestor.accounts.PortalAccountAdapter"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
# Failed sign-ins are counted per account (the e-mail typed in) and per client address,
# separately. The account limit stops password guessing against one person: 5 wrong passwords
# in 5 minutes, after which even the right one waits. The address limit only stops one machine
# sweeping many accounts, so it is ten times higher: a school, an office or a mobile network
# shares one address among many honest people who mistype, and one person's lockout must not
# become theirs. The account is counted first, so tries at an already locked account do not use
# up the address's allowance. Wrong two-factor codes count against the same limits.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/key,50/5m/ip",
    # Every sign-in post, right or wrong, from one address: allauth's default, a cap on floods
    # that lasts a minute at most.
    "login": "30/m/ip",
    "signup": "20/h/ip",
    "reset_password": "20/m/ip,5/m/key",
}
# Behind a reverse proxy every request comes from the proxy's address, so without this all
# sign-in attempts would share one "client". TRUSTED_PROXY_COUNT is the number of proxies we run
# in front of the portal: the client is then the address that many entries from the right of
# X-Forwarded-For (entries further left are whatever the client sent, and are not trusted).
# 0 ignores X-Forwarded-For. A proxy that puts the address in its own header (X-Real-IP,
# CF-Connecting-IP) is named in TRUSTED_CLIENT_IP_HEADER instead.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env.str("TRUSTED_CLIENT_IP_HEADER", default="") or None

# Two-factor authentication (allauth.mfa): an authenticator app (TOTP) with recovery codes.
# Who must set it up is pestor.roles.mfa_required, enforced by pestor.middleware.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
MFA_FORMS = {
    "authenticate": "pestor.forms.MFAAuthenticateForm",
    "reauthenticate": "pestor.forms.MFAReauthenticateForm",
    "activate_totp": "pestor.forms.MFAActivateTOTPForm",
}

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", _("Polish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["pestor.formats"]

# --- Static and uploaded files ----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
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
# Logos are public; a city behind nginx may serve MEDIA_ROOT there and turn this off.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760
LOGO_MAX_BYTES = env.int("LOGO_MAX_BYTES", default=2 * 1024 * 1024)
# Images with more pixels are refused before decoding (pestor/images.py): decoding costs 3-4
# bytes a pixel whatever the file's size. 24 megapixels is a 6000 x 4000 photo from a
# 24-megapixel camera; phones save 12 megapixels by default, and logos and offer photos are
# stored at most 1000 and 1600 pixels wide, so nothing the portal shows needs more.
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=24_000_000)
# Files only views hand out after a permission check (monitoring reports): never under MEDIA_ROOT.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private")
NOTICE_ATTACHMENT_MAX_BYTES = env.int("NOTICE_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)

# --- E-mail -----------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="PES-TOR <no-reply@pestor.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks -------------------------------------------------------------------------
# No broker configured: tasks run eagerly, in the web process (the README's quick start).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# Every task is bounded: the soft limit raises inside the task (which fails its job with a
# reason), the hard one kills the worker's child. Tasks with other needs set their own.
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
# Building a PDF report: the longest job (seconds; the soft limit is 90 % of it).
REPORT_TIME_LIMIT = env.int("REPORT_TIME_LIMIT", default=600)
REPORT_SOFT_TIME_LIMIT = max(1, REPORT_TIME_LIMIT * 9 // 10)
# Retried tasks wait at most this long before their next try (seconds).
CELERY_RETRY_BACKOFF_MAX = 300
# Redis hands a message taken by a worker that never acknowledged it (the worker was lost) to
# another worker after this many seconds. It must be longer than any task may run and any retry
# may wait, or a live task's message would be delivered twice: by default the longest job's hard
# limit plus a minute.
CELERY_VISIBILITY_TIMEOUT = env.int(
    "CELERY_VISIBILITY_TIMEOUT", default=max(REPORT_TIME_LIMIT, CELERY_RETRY_BACKOFF_MAX) + 60
)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # Workers look for such messages every 10 s times the throttle: about a tenth of the
    # timeout, so a message comes back soon after it is due (kombu's default is every 100 s).
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": max(1, min(10, CELERY_VISIBILITY_TIMEOUT // 100)),
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
# Periodic tasks run by `celery beat`; each app adds its entries here.
CELERY_BEAT_SCHEDULE = {
    # The open-data files, built again every night (opendata.tasks).
    "opendata-build-datasets": {
        "task": "opendata.tasks.build_datasets",
        "schedule": crontab(hour=2, minute=30),
    },
    # Jobs a user waits for whose worker was lost: queued again once, then failed (pestor.jobs).
    "pestor-sweep-jobs": {
        "task": "pestor.tasks.sweep_jobs",
        "schedule": 60,
    },
    # The home page's figures, kept in the cache (pestor.sections.HomeFigures).
    "pestor-refresh-home-figures": {
        "task": "pestor.tasks.refresh_home_figures",
        "schedule": HOME_FIGURES_REFRESH,
    },
    # The directory's yearly check: owners whose data were last confirmed over a year ago are
    # asked to confirm them (one reminder per organisation per year, however often this runs).
    "directory-send-confirmation-reminders": {
        "task": "directory.tasks.send_confirmation_reminders",
        "schedule": crontab(minute=30, hour=7),
    },
    # Published notices past their deadline become "closed for answers".
    "demand-close-expired-notices": {
        "task": "demand.tasks.close_expired_notices",
        "schedule": 10 * 60,
    },
    # Early each year: a draft of last year's statutory report on the cooperation programme.
    "monitoring-prepare-statutory-reports": {
        "task": "monitoring.tasks.prepare_statutory_reports",
        "schedule": crontab(minute=0, hour=6, day_of_month=15, month_of_year=1),
    },
    # The computed indicators of every municipality with a programme, for the periods its pages
    # show: the dashboard, the exports and the reports read these snapshots (monitoring).
    "monitoring-refresh-indicator-snapshots": {
        "task": "monitoring.tasks.refresh_indicator_snapshots",
        "schedule": crontab(minute=0, hour=3),
    },
    # The report is due to the council by 31 May (art. 5a ust. 3): reminders on 1 and 24 May.
    # The equipment bank: requests undecided for 48 hours expire; reminders of pick-ups,
    # returns and overdue loans (each sent once, however often the job runs).
    "equipment-bank-expire-requests": {
        "task": "equipment_bank.tasks.expire_requests",
        "schedule": 10 * 60,
    },
    "equipment-bank-send-reminders": {
        "task": "equipment_bank.tasks.send_reminders",
        "schedule": crontab(minute=0, hour="8,16"),
    },
    # Premises: reminders of the tenants' annual reports (two weeks before the due date and
    # once overdue), and each January the new year's support of leases of indefinite term.
    "grants-card-reminders": {
        "task": "grants.tasks.send_card_reminders",
        "schedule": crontab(minute=45, hour=8),
    },
    # Events: the day before, each confirmed participant is reminded (each e-mail once).
    "community-event-reminders": {
        "task": "community.tasks.send_event_reminders",
        "schedule": crontab(minute=0, hour=9),
    },
    # Competence surveys: in the last days before the deadline, those who have not answered
    # are reminded (each person once per survey).
    "community-survey-reminders": {
        "task": "community.tasks.send_survey_reminders",
        "schedule": crontab(minute=15, hour=9),
    },
    "premises-report-reminders": {
        "task": "premises.tasks.send_report_reminders",
        "schedule": crontab(minute=30, hour=8),
    },
    "premises-extend-support-years": {
        "task": "premises.tasks.extend_support_years",
        "schedule": crontab(minute=0, hour=2, day_of_month=1, month_of_year=1),
    },
    "monitoring-remind-statutory-deadline": {
        "task": "monitoring.tasks.remind_statutory_deadline",
        "schedule": crontab(minute=0, hour=8, day_of_month="1,24", month_of_year=5),
    },
}

# --- Maps -------------------------------------------------------------------------------------
# Tiles are the one thing a map cannot vendor; a city points this at its own tile server.
MAP_TILE_URL = env.str("MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env.str(
    "MAP_TILE_ATTRIBUTION",
    default='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)

# --- Security ---------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CSRF_FAILURE_VIEW = "pestor.views.csrf_failure"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

# Content Security Policy (django-csp): no inline scripts or styles and nothing from elsewhere,
# except the map tiles. Scripts are static files; htmx's own indicator <style> is turned off
# in base.html. Leaflet positions tiles and markers through element.style (the CSSOM), which
# style-src does not govern, so it needs no 'unsafe-inline'. Browsers report what the policy
# blocks to pestor:csp-report, which logs it (logger "pestor.csp").
MAP_TILE_SOURCE = tile_source(MAP_TILE_URL)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # data: for the blank GIF Leaflet swaps into a tile whose loading it cancels.
        "img-src": ["'self'", "data:", *([MAP_TILE_SOURCE] if MAP_TILE_SOURCE else [])],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "report-uri": reverse_lazy("pestor:csp-report"),
    },
}
# Powerful browser features the portal never uses are refused to it and to anything it embeds.
# The seat picker (static/js/map-picker.js) places the seat by a click, not by geolocation.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
}

# Logs go to standard error, as plain text or, with LOG_FORMAT=json, one JSON object a line
# (python-json-logger) for a log collector. Each request is one line of "pestor.requests"
# (pestor.middleware.RequestLogMiddleware); LOG_REQUESTS=false leaves those lines out.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured("LOG_FORMAT is either plain (the default) or json.")
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # WeasyPrint reports every rendering step at INFO; only its warnings matter to operators.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "pestor.requests": {
            "level": LOG_LEVEL if env.bool("LOG_REQUESTS", default=True) else "WARNING"
        },
    },
}
