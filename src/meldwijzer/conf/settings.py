"""Settings for Meldwijzer: safe defaults, overridden by environment variables (see `.env.example`)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from meldwijzer.conf.env import (
    audit_checkpoint_file,
    data_dir,
    env_bool,
    env_int,
    env_list,
    env_str,
    secret_from_env_or_file,
    syslog_address,
)

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = data_dir()

# Secrets come from the environment or from a key file (`<NAME>_FILE`); only when neither is set
# are they generated into the data directory, which `check --deploy` refuses for production.
SECRETS = (
    "MELDWIJZER_SECRET_KEY",
    "MELDWIJZER_AUDIT_KEY",
    "MELDWIJZER_PSEUDONYM_KEY",
    "MELDWIJZER_DATALAB_KEY",
)
SECRET_KEY = secret_from_env_or_file("MELDWIJZER_SECRET_KEY", DATA_DIR)
# Key for the access log's hash chain and its checkpoints; never leaves the server.
AUDIT_HMAC_KEY = secret_from_env_or_file("MELDWIJZER_AUDIT_KEY", DATA_DIR)
# Key for pseudonymous identity keys (BSN or name + date of birth are never stored).
PSEUDONYM_KEY = secret_from_env_or_file("MELDWIJZER_PSEUDONYM_KEY", DATA_DIR)
# A separate key for the datalab's research pseudonyms, so they cannot be matched with the above.
DATALAB_KEY = secret_from_env_or_file("MELDWIJZER_DATALAB_KEY", DATA_DIR)
DEBUG = env_bool("MELDWIJZER_DEBUG", False)
ALLOWED_HOSTS = env_list("MELDWIJZER_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("MELDWIJZER_CSRF_TRUSTED_ORIGINS", [])
# Demo mode shows the demo TOTP code on the login page. Never enable it with real data.
DEMO_MODE = env_bool("MELDWIJZER_DEMO_MODE", False)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "meldwijzer.core",
    "meldwijzer.audit",
    "meldwijzer.organisations",
    "meldwijzer.accounts",
    "meldwijzer.privacy",
    "meldwijzer.cases",
    "meldwijzer.instruments",
    "meldwijzer.social_map",
    "meldwijzer.coordination",
    "meldwijzer.followups",
    "meldwijzer.trainings",
    "meldwijzer.datalab",
    "meldwijzer.rights",
    "meldwijzer.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before the session rules below: they tell the person why they were logged out.
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "meldwijzer.accounts.middleware.SessionLifetimeMiddleware",
    "meldwijzer.accounts.middleware.MfaRequiredMiddleware",
    "meldwijzer.accounts.middleware.SessionActivityMiddleware",
    "meldwijzer.organisations.middleware.ActorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "meldwijzer.core.middleware.NoStoreMiddleware",
    "meldwijzer.audit.middleware.AuditFailureMiddleware",
    "meldwijzer.api.middleware.KnownQueryParametersMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "meldwijzer.conf.urls"
WSGI_APPLICATION = "meldwijzer.conf.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "meldwijzer.organisations.context_processors.actor",
            ],
        },
    },
]

# --- Database: SQLite in the data directory unless DATABASE_URL is set -----------------------------
_database_url = env_str("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
    # Web queries are short; PostgreSQL's JIT compiler can add hundreds of milliseconds to one
    # whose cost the planner overestimates (measured on the sociale kaart search). Off, unless
    # the URL sets its own `options`.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    # A read replica of the primary for the datalab's analyses (ADR 0042); every write, and every
    # other read, stays on the primary.
    _replica_url = env_str("DATABASE_REPLICA_URL")
    if _replica_url:
        DATABASES["replica"] = dj_database_url.parse(_replica_url, conn_max_age=60)
        DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
        DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "meldwijzer.sqlite3"),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATABASE_ROUTERS = ["meldwijzer.core.routers.AnalysisReadsRouter"]
ANALYSIS_DATABASE = "replica" if "replica" in DATABASES else "default"
"""The database the datalab's analyses read from (`core.routers.analysis_reads`)."""

# --- Authentication ------------------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "meldwijzer.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:start"
LOGOUT_REDIRECT_URL = "accounts:login"

# Throttling: after 5 failures for one username from one address, that pair waits 15 minutes.
# Locking on the pair (not the username alone) keeps an attacker from locking a user out.
AXES_FAILURE_LIMIT = env_int("MELDWIJZER_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("MELDWIJZER_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Attempts while locked out do not restart the 15 minutes, so the wait really ends.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "meldwijzer.accounts.views.lockout_response"
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

OTP_TOTP_ISSUER = "Meldwijzer"
OTP_TOTP_THROTTLE_FACTOR = 1

# --- Client address, enrolment, API keys, failed logins (docs/adr/0017) ------------------------
# The client's address (meldwijzer.core.network.client_address): behind a reverse proxy the entry
# in X-Forwarded-For that the nearest MELDWIJZER_TRUSTED_PROXY_COUNT proxies wrote; the header is
# never believed otherwise. Throttling and the access log both use it.
BEHIND_PROXY = env_bool("MELDWIJZER_BEHIND_PROXY", False)
TRUSTED_PROXY_COUNT = env_int("MELDWIJZER_TRUSTED_PROXY_COUNT", 1)
MIDDLEWARE.insert(0, "meldwijzer.core.network.ClientAddressMiddleware")
AXES_CLIENT_IP_CALLABLE = "meldwijzer.core.network.client_address"
# A new account, or one whose authenticator was reset, sets up its authenticator with a one-time
# code from its beheerder. The secret shown then belongs to that session only, for 15 minutes.
ENROLMENT_CODE_LIFETIME = timedelta(hours=env_int("MELDWIJZER_ENROLMENT_CODE_HOURS", 72))
ENROLMENT_SECRET_LIFETIME = timedelta(minutes=15)
# Personal API keys work at most API_TOKEN_DAYS, and stop when not used for API_TOKEN_IDLE_DAYS.
API_TOKEN_LIFETIME = timedelta(days=env_int("MELDWIJZER_API_TOKEN_DAYS", 90))
API_TOKEN_IDLE_TIMEOUT = timedelta(days=env_int("MELDWIJZER_API_TOKEN_IDLE_DAYS", 30))
# Making an API key, or allowing a role keys, needs a code given this recently (else once more).
SECOND_FACTOR_FRESH_FOR = timedelta(minutes=env_int("MELDWIJZER_SECOND_FACTOR_FRESH_MINUTES", 5))
# Failed logins per address, all usernames together, before that address waits the cool-off too.
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("MELDWIJZER_LOGIN_ADDRESS_FAILURE_LIMIT", 30)
# Access-log rows for failed password steps per cool-off period: per username + address (then
# one summary row), per address and in total; the rest is counted by the throttle only.
LOGIN_FAILURE_ROWS_PER_ADDRESS = 20
LOGIN_FAILURE_ROWS_TOTAL = 100

# --- Sessions: server-side, idle timeout 30 minutes, absolute lifetime 12 hours ------------------
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env_int("MELDWIJZER_SESSION_IDLE_MINUTES", 30) * 60
# The idle timeout is the session row's expiry. It is renewed when a request comes more than
# SESSION_ACTIVITY_INTERVAL after the last renewal (accounts.middleware.SessionActivityMiddleware),
# not on every request: a plain read writes nothing, and a session ends between 29 and 30 idle
# minutes after its last request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_ACTIVITY_INTERVAL = timedelta(seconds=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_LIFETIME = timedelta(hours=env_int("MELDWIJZER_SESSION_MAX_HOURS", 12))
SESSION_COOKIE_NAME = "meldwijzer_sessie"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Browsers accept secure cookies on http://localhost; switch off only for a plain-HTTP test network.
SESSION_COOKIE_SECURE = env_bool("MELDWIJZER_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True

# --- Security headers ----------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("MELDWIJZER_SSL_REDIRECT", False)
if env_bool("MELDWIJZER_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("MELDWIJZER_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("MELDWIJZER_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# --- Email ---------------------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "MELDWIJZER_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env_str("MELDWIJZER_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("MELDWIJZER_EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("MELDWIJZER_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("MELDWIJZER_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("MELDWIJZER_EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("MELDWIJZER_EMAIL_FROM", "Meldwijzer <noreply@localhost>")
# The address people open Meldwijzer on, for links in e-mails (e.g. https://meldwijzer.gemeente.nl).
BASE_URL = env_str("MELDWIJZER_BASE_URL", "http://localhost:8000").rstrip("/")

# --- Internationalisation ------------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands")]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Uploads -------------------------------------------------------------------------------------
# A form or JSON body without files may be at most 2.5 MB. Uploaded files are not held in memory
# above 2.5 MB (they go to a temporary file); each kind of upload has its own limit, checked on its
# size before it is read: instruments/loader.MAX_SOURCE_BYTES (256 kB),
# trainings/registry.MAX_DOCUMENT_BYTES (10 MB), social_map/hsds_import.MAX_UPLOAD_BYTES (20 MB),
# datalab/imports.MAX_BYTES (50 MB). Uploaded files are kept under DATA_DIR with server-chosen
# names and are served only through views with the access check (never from a media URL).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 5

# --- Static files --------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(env_str("MELDWIJZER_STATIC_ROOT", str(DATA_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- API -----------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "meldwijzer.api.authentication.ApiTokenAuthentication",
        "meldwijzer.api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["meldwijzer.api.permissions.HasActor"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["meldwijzer.api.parsers.BoundedJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "meldwijzer.api.schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "meldwijzer.api.pagination.Pagination",
    "EXCEPTION_HANDLER": "meldwijzer.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env_str("MELDWIJZER_API_RATE", "1200/min")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Meldwijzer API",
    "DESCRIPTION": "Versie 1 van de Meldwijzer-API. Elke aanroep valt onder dezelfde "
    "toegangsregels en hetzelfde toegangslogboek (NEN 7513) als de webapplicatie.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "PhaseEnum": "meldwijzer.cases.workflow.Phase.choices",
        "InstrumentKindEnum": "meldwijzer.instruments.format.KIND_CHOICES",
        "InstrumentItemTypeEnum": "meldwijzer.instruments.format.ITEM_TYPE_CHOICES",
        "AccessOutcomeEnum": "meldwijzer.audit.models.AccessOutcome.choices",
        "CaseOutcomeEnum": "meldwijzer.cases.models.Outcome.choices",
        "GroundKindEnum": "meldwijzer.privacy.models.GroundKind.choices",
        "FileKindEnum": "meldwijzer.privacy.models.FileKind.choices",
        "ConferenceKindEnum": "meldwijzer.coordination.models.ConferenceKind.choices",
        "TeamMemberStateEnum": "meldwijzer.coordination.models.MemberState.choices",
        "AgreementStateEnum": "meldwijzer.coordination.models.AgreementState.choices",
        "AccessActionEnum": "meldwijzer.audit.models.Action.choices",
        "ReportFeedbackActionEnum": "meldwijzer.cases.entries.FEEDBACK_ACTIONS",
        "SafetyEnum": "meldwijzer.coordination.models.SafetyAnswer.choices",
        "FollowupSafetyEnum": "meldwijzer.followups.models.Safety.choices",
        "FollowupPlanStateEnum": "meldwijzer.followups.models.PlanState.choices",
        "FollowupLevelEnum": "meldwijzer.followups.schedules.Level.choices",
        "FollowupContactModeEnum": "meldwijzer.followups.models.ContactMode.choices",
        "TrainingKindEnum": "meldwijzer.trainings.models.TrainingKind.choices",
        "WorryStateEnum": "meldwijzer.trainings.models.WorryState.choices",
        "WorryRecipientEnum": "meldwijzer.trainings.models.WorryRecipient.choices",
    },
}

# A cache every worker process shares (`meldwijzer serve` runs several). It holds the public HSDS
# downloads (built once per version of the sociale kaart), the datalab's protected reports and the
# request counts of the rate limits. A local-memory cache would be one per process: each would
# build the downloads itself and count only its own share of the requests. On PostgreSQL it is a
# table in the database (made by a migration), so that every app server behind a load balancer
# counts the same requests (docs/adr/0039). On SQLite — one server — files in the data directory:
# there every count in the database would take the one write lock that everyone's work needs.
CACHE_TABLE = "meldwijzer_cache"
if _database_url:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }
# Requests per client address (an IPv6 address counts by its /64) for what anyone may ask without
# logging in: the public sociale kaart pages and the anonymous API, and the HSDS downloads.
PUBLIC_RATE_LIMITS = {
    "pagina": env_str("MELDWIJZER_PUBLIC_RATE", "120/min"),
    "download": env_str("MELDWIJZER_PUBLIC_DOWNLOAD_RATE", "30/hour"),
}

# --- The access log's checkpoints, kept outside the database -------------------------------------
# Every this many rows the application appends a signed checkpoint of the log's head to the file
# below and writes it to the log output (`meldwijzer audit checkpoint` adds one, e.g. from cron).
# `meldwijzer audit verify` compares the database with them, so a wiped or cut log is noticed.
AUDIT_CHECKPOINT_FILE = audit_checkpoint_file(DATA_DIR)
AUDIT_CHECKPOINT_EVERY = env_int("MELDWIJZER_AUDIT_CHECKPOINT_EVERY", 100)
AUDIT_SYSLOG = env_str("MELDWIJZER_AUDIT_SYSLOG")

# --- Backups (`meldwijzer backup` / `restore`, docs/backup.md) -----------------------------------
# Where `meldwijzer backup` writes when no --to is given: beside the data directory, never in it.
BACKUP_DIR = Path(
    env_str("MELDWIJZER_BACKUP_DIR", str(DATA_DIR.parent / f"{DATA_DIR.name}-backups"))
)
# The directories in the data directory whose files belong to the data (uploaded meldcode
# documents); a backup copies them. The keys, the cache and the static files stay out.
BACKUP_DATA_DIRS = ["meldcodes"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"secrets": {"()": "meldwijzer.core.server_log.RedactSecrets"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["secrets"]}},
    "root": {"handlers": ["console"], "level": env_str("MELDWIJZER_LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # Checkpoints of the access log always reach the log output (journald under systemd).
        "meldwijzer.audit.checkpoints": {"level": "INFO"},
    },
}
if AUDIT_SYSLOG:
    LOGGING["handlers"]["audit_syslog"] = {  # type: ignore[index]
        "class": "logging.handlers.SysLogHandler",
        "address": syslog_address(AUDIT_SYSLOG),
        "facility": "auth",
    }
    LOGGING["loggers"]["meldwijzer.audit.checkpoints"]["handlers"] = ["audit_syslog"]  # type: ignore[index]

# Sociale kaart: records not verified for this many days are flagged and their owners reminded.
SOCIAL_MAP_STALE_DAYS = env_int("MELDWIJZER_SOCIAL_MAP_STALE_DAYS", 365)
# Sociale kaart: an import runs in a thread of the web process, outside the request that started
# it (`social_map/import_jobs.py`); the tests run it in the request's own thread.
SOCIAL_MAP_IMPORT_IN_BACKGROUND = True
# The report PDF of a case's new version is laid out after the change commits, in a thread of the
# process that made it (`cases/report_pdf.py`, ADR 0041): "background"; "inline" lays it out
# in the committing thread, "off" leaves it to the first download.
REPORT_PDF_PREPARE = "background"

# Apps add their demo data by listing a loader here; `meldwijzer demo` calls them in order.
MELDWIJZER_DEMO_LOADERS = [
    "meldwijzer.organisations.demo.load",
    "meldwijzer.accounts.demo.load",
    "meldwijzer.cases.demo.load",
    "meldwijzer.cases.demo_sharing.load",
    "meldwijzer.cases.demo_holds.load",
    "meldwijzer.instruments.demo.load",
    "meldwijzer.social_map.demo.load",
    "meldwijzer.coordination.demo.load",
    "meldwijzer.coordination.demo_inbox.load",
    # Matching first: the kinderopvang's notice about Fleur comes before her invitation.
    "meldwijzer.coordination.demo_matching.load",
    "meldwijzer.coordination.demo_team.load",
    "meldwijzer.coordination.demo_plan.load",
    "meldwijzer.coordination.demo_conferences.load",
    "meldwijzer.followups.demo.load",
    "meldwijzer.trainings.demo.load",
    "meldwijzer.datalab.demo.load",
    "meldwijzer.rights.demo.load",
]
CSRF_FAILURE_VIEW = "meldwijzer.core.views.csrf_failure"
