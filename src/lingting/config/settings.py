"""Lingting's settings, all from the environment (one file, as in healthchecks).

DATABASE_URL   sqlite:///path (default: var/lingting.sqlite3) or postgres://...
SECRET_KEY     required when DEBUG is off: a server refuses to start without one
DEBUG          "1" to turn on; off by default
LINGTING_TIME_ZONE  default Asia/Shanghai
ALLOWED_HOSTS  comma-separated; default 127.0.0.1,localhost
LINGTING_SECURE "1" behind HTTPS: secure cookies, HSTS, SSL redirect, and the proxy's
               LINGTING_PROXY_SSL_HEADER (default X-Forwarded-Proto) trusted to say "https"
CSRF_TRUSTED_ORIGINS  comma-separated origins (https://host:port) allowed to post forms when
               they are not the host the request names
LINGTING_TRUSTED_PROXIES  how many reverse proxies stand before the app (default 0): the
               client's address is read from X-Forwarded-For that many hops back
LINGTING_LOGIN_FAILURES_PER_ACCOUNT / _PER_ADDRESS  failed sign-ins that lock an account
               (default 5) or an address (default 30) for LINGTING_LOGIN_COOL_OFF_MINUTES (15)
LINGTING_RECORDINGS_ROOT  folder the recordings are read from (default var/recordings)
LINGTING_AGENT_CHANNEL  the channel of a stereo recording that holds the agent (0 or 1,
               default 0; the other is the customer)
LINGTING_ASR_MODEL  a speech recognition model folder for sherpa-onnx: the task worker
               recognises the turns of stereo calls imported without a transcript (empty:
               no recognition)
LINGTING_DISPUTE_DAYS  days an agent has to dispute a record (default 7)
LINGTING_WEBHOOK_DISABLE_AFTER  failed attempts in a row that disable a webhook (default 10)
LINGTING_SEARCH_DICTIONARY  a center's own word list for search, beside the shipped one
LINGTING_STATEMENT_TIMEOUT_S  seconds a web request's PostgreSQL statement may run (default
               30; 0: no limit); the worker, scheduler and CLI are not limited
"""

from __future__ import annotations

import os
from datetime import time, timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from lingting.core.startup import DEVELOPMENT_SECRET_KEY


def _env_flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("LINGTING_VAR_DIR", Path.cwd() / "var"))

DEBUG = _env_flag("DEBUG")
# Missing, it is the development key, which a server refuses when DEBUG is off
# (lingting.core.startup): the management commands and the tests need none.
SECRET_KEY = os.environ.get("SECRET_KEY") or DEVELOPMENT_SECRET_KEY
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "axes",  # sign-in throttling: failed attempts and lockouts kept in the database
    "ninja",  # only for its templates and static files: the API docs page, no CDN
    "lingting.core",
    "lingting.documents",
    "lingting.interactions",
    "lingting.quality",
    "lingting.performance",
    "lingting.coaching",
    "lingting.reports",
    "lingting.workforce",
    "lingting.calendars",
    "lingting.workorders",
    "lingting.knowledge",
    "lingting.surveys",
    "lingting.campaigns",
    "lingting.webhooks",
    "lingting.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "lingting.config.api.api_errors_as_json",  # refusals under /api/ answer in JSON
    "lingting.core.params.nul_bytes_refused",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",  # a locked-out sign-in gets the login page that says so
    # last: around the view alone, LINGTING_STATEMENT_TIMEOUT_S and its 503 (core/timeouts.py)
    "lingting.core.timeouts.StatementTimeoutMiddleware",
]

ROOT_URLCONF = "lingting.config.urls"
WSGI_APPLICATION = "lingting.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lingting.config.navigation.navigation",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
            ],
        },
    },
]


def _database() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'lingting.sqlite3'}"
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        # Web requests and the task worker write at the same time: wait for the lock
        # instead of failing, and take it up front so a read never has to upgrade.
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        config.setdefault("TEST", {})["NAME"] = None
    else:
        # PostgreSQL compiles a query with JIT once its cost estimate is high, which the
        # reports' aggregates over months reach: 100+ ms of compiling for a query that runs
        # in a few hundred. The pages' queries never gain from it.
        config.setdefault("OPTIONS", {})["options"] = "-c jit=off"
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "home"  # each role's own first page (config.home)
LOGOUT_REDIRECT_URL = "core:login"
# Axes first: it refuses a locked-out account or address before a password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LINGTING_LOGIN_FAILURES_PER_ACCOUNT = int(os.environ.get("LINGTING_LOGIN_FAILURES_PER_ACCOUNT", 5))
# Higher than per account: a whole contact center often signs in from one office address.
LINGTING_LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("LINGTING_LOGIN_FAILURES_PER_ADDRESS", 30))
LINGTING_LOGIN_COOL_OFF_MINUTES = int(os.environ.get("LINGTING_LOGIN_COOL_OFF_MINUTES", 15))
LINGTING_TRUSTED_PROXIES = int(os.environ.get("LINGTING_TRUSTED_PROXIES", "0"))
AXES_HANDLER = "lingting.core.sign_in.SignInAttemptHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each its own limit: see the handler
AXES_FAILURE_LIMIT = LINGTING_LOGIN_FAILURES_PER_ACCOUNT
AXES_COOLOFF_TIME = timedelta(minutes=LINGTING_LOGIN_COOL_OFF_MINUTES)
AXES_LOCKOUT_CALLABLE = "lingting.core.sign_in.locked_out_page"
AXES_CLIENT_IP_CALLABLE = "lingting.core.sign_in.client_address"
AXES_ENABLE_ADMIN = False  # no Django admin here: `lingting axes_reset*` unlock
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

TASKS = {
    "default": {
        "BACKEND": os.environ.get("LINGTING_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates in form fields are written as ISO in every language (`<input type="date">` takes no other).
FORMAT_MODULE_PATH = ["lingting.config.formats"]
USE_I18N = True
TIME_ZONE = os.environ.get("LINGTING_TIME_ZONE", "Asia/Shanghai")
LINGTING_DISPUTE_DAYS = int(os.environ.get("LINGTING_DISPUTE_DAYS", "7"))  # 申诉期限
# A webhook failing this many attempts in a row (its retries spaced 1 min … 12 h: about three
# days with 10) is disabled and the administrators told.
LINGTING_WEBHOOK_DISABLE_AFTER = int(os.environ.get("LINGTING_WEBHOOK_DISABLE_AFTER", "10"))
# Where call recordings are: a contact's `recording` path is read below this folder (never
# outside it) and played beside its transcript.
LINGTING_RECORDINGS_ROOT = Path(os.environ.get("LINGTING_RECORDINGS_ROOT", VAR_DIR / "recordings"))
# The channel of a stereo call recording that holds the agent (the other holds the customer),
# as `lingting listen --agent-channel` says it: the switch records every call the same way.
LINGTING_AGENT_CHANNEL = int(os.environ.get("LINGTING_AGENT_CHANNEL", "0"))
if LINGTING_AGENT_CHANNEL not in (0, 1):
    raise ImproperlyConfigured(
        f"LINGTING_AGENT_CHANNEL is {LINGTING_AGENT_CHANNEL}: a stereo call has channels 0 and 1"
    )
# A speech recognition model folder on this server (as `lingting listen --asr-model` takes:
# sherpa-onnx's SenseVoice, Paraformer, Whisper, transducer, NeMo or Zipformer CTC models;
# Lingting never downloads one). The task worker recognises with it the stereo calls that
# come without a transcript (interactions.services.recognition); empty: none is recognised.
LINGTING_ASR_MODEL = os.environ.get("LINGTING_ASR_MODEL", "")
# A center's own words for search (jieba's user-dictionary format, one a line), used beside
# lingting/engine/search_words.txt; after changing it, run `lingting search_reindex`.
LINGTING_SEARCH_DICTIONARY = os.environ.get("LINGTING_SEARCH_DICTIONARY", "")
# A web request's PostgreSQL statement running longer is stopped and the page says so (503);
# 0: no limit. Pages and the API only, never the worker, the scheduler or the CLI
# (lingting.core.timeouts). SQLite has no statement timeout.
LINGTING_STATEMENT_TIMEOUT_S = float(os.environ.get("LINGTING_STATEMENT_TIMEOUT_S", "30"))
USE_TZ = True
# The recurring jobs `lingting scheduler` runs (job name, schedule, command and arguments);
# each command is safe to run twice for the same period. Cron can run the same commands
# instead: the scheduler is for a deployment, or the demo, without one.
LINGTING_SCHEDULE: list[tuple[str, str, list[str]]] = [
    # reminders five minutes ahead, break notices, strain alerts: each minute, each sent once
    ("care", "every 1 min", ["care_notify"]),
    ("care prune", "daily 03:20", ["care_prune"]),  # notices past their retention
    ("leavers", "daily 00:02", ["leavers_deactivate"]),  # logins of those whose last day passed
    ("topics", "daily 03:40", ["topics_refresh"]),  # new contacts into topics; re-cluster monthly
    ("swaps", "hourly :10", ["swaps_expire"]),  # open swaps whose shift started or changed
    ("samples", "daily 00:05", ["sampling_run"]),
    ("broadcast", "hourly :00", ["broadcast_hourly"]),
    ("daily report", "daily 06:10", ["report_run", "--kind", "daily"]),
    ("weekly report", "weekly mon 06:20", ["report_run", "--kind", "weekly"]),
    ("monthly report", "monthly 1 06:30", ["report_run", "--kind", "monthly"]),
    ("case report", "monthly 1 06:40", ["report_run", "--kind", "cases"]),
    ("training plan", "monthly 1 06:50", ["report_run", "--kind", "training"]),
    ("assessment", "monthly 1 05:30", ["assessment_run"]),
    ("work-order warnings", "hourly :00", ["workorder_warn"]),  # hourly: the finest step
    # retries: the task worker sends each when due; this catches what it missed
    ("webhook retries", "hourly :30", ["webhooks_deliver"]),
    # survey invitations decided for the contacts that ended, and those due sent
    ("surveys", "every 5 min", ["surveys_send"]),
    # callback campaigns: new customers of running segments added, today's lists shared
    ("callback lists", "every 15 min", ["campaigns_refresh"]),
    # every contact scored, even one whose import died before it sent it for scoring
    ("scoring sweep", "hourly :15", ["rescore", "--missing"]),
    # the model judge's answers for contacts drawn while it was off or its server down; a
    # draw's own contacts are judged in the background first. Nothing without a model.
    ("model judge", "hourly :45", ["judge_pending", "--if-on", "--older-than", "60"]),
    # pages count a few waiting figure changes themselves, the task worker many; this
    # catches what neither did (and builds the tallies on an installation that never had)
    ("daily tallies", "hourly :20", ["tally_update"]),
    # bot chats the customer (or the agent) walked away from: ended, stored as contacts
    ("idle chats", "hourly :50", ["bot_close_idle"]),
]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The FAQ bot (knowledge app): when people answer handed-off chats ("HH:MM-HH:MM", every
# day; outside them a customer leaves a number and a work order asks for a call back), the
# queue its chats are stored under as contacts, and the sites that may embed its widget.
LINGTING_BOT_HOURS = os.environ.get("LINGTING_BOT_HOURS", "08:00-22:00")
LINGTING_BOT_QUEUE = os.environ.get("LINGTING_BOT_QUEUE", "BOT")
# A model from `lingting faq-train` (its folder) for the bot and the suggestions beside a
# contact; unset: the untrained matcher.
LINGTING_FAQ_MODEL = os.environ.get("LINGTING_FAQ_MODEL", "")
LINGTING_BOT_EMBEDDERS = [
    origin for origin in os.environ.get("LINGTING_BOT_EMBEDDERS", "").split(",") if origin
]

# Survey invitations (surveys app) leave through this gateway: "fake" (the default) sends
# nothing anywhere; "file" appends JSON lines to a folder for a batch system to collect;
# "http" POSTs each, signed like the webhooks, to the center's SMS/IVR/WeChat platform.
LINGTING_SURVEY_GATEWAY = {
    "kind": os.environ.get("LINGTING_SURVEY_GATEWAY", "fake"),
    "url": os.environ.get("LINGTING_SURVEY_GATEWAY_URL", ""),
    "secret": os.environ.get("LINGTING_SURVEY_GATEWAY_SECRET", ""),
    "folder": os.environ.get("LINGTING_SURVEY_GATEWAY_FOLDER", str(VAR_DIR / "survey-outbox")),
}
# Where customers reach this installation: the start of the links sent to them (the H5
# survey page).
LINGTING_PUBLIC_URL = os.environ.get("LINGTING_PUBLIC_URL", "http://127.0.0.1:8000")

# Callback campaigns (campaigns app) call only inside this window of the customer's day,
# whatever a campaign's own hours say: the center's reading of the rules on commercial
# calls. LINGTING_CALLING_WINDOW=HH:MM-HH:MM (default 08:00-21:00).
LINGTING_CALLING_WINDOW = tuple(
    time.fromisoformat(end)
    for end in os.environ.get("LINGTING_CALLING_WINDOW", "08:00-21:00").split("-")
)

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
if _env_flag("LINGTING_SECURE"):
    # TLS ends at the reverse proxy, which tells the app so in this header (and must set it
    # itself, never pass a client's): without it every request looks like plain HTTP and
    # the SSL redirect below loops, and a sign-in's https Origin fails the CSRF check.
    _proxy_header = os.environ.get("LINGTING_PROXY_SSL_HEADER", "X-Forwarded-Proto")
    if _proxy_header:
        SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # a monitor may ask the app directly over HTTP
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LINGTING_LOG_LEVEL", "WARNING")},
}
