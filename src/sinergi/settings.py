"""Sinergi's settings: the one module that reads the environment.

Every knob is an environment variable with a safe default, so that `sinergi demo` runs on a
laptop with nothing configured and a production host sets only what differs. The variables
are listed in README.md ("Configuration").
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent


def env_bool(name: str, *, default: bool) -> bool:
    """Read a yes/no variable; anything but the usual "true" spellings means no."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("SINERGI_DATA_DIR", PROJECT_DIR / "var")).resolve()


def _secret_key() -> str:
    """The key from the environment, else one generated into the data directory once."""
    if key := os.environ.get("SINERGI_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
# Where people reach this installation; links in e-mails are built on it.
BASE_URL = os.environ.get("SINERGI_BASE_URL", "http://localhost:8000").rstrip("/")
DEBUG = env_bool("SINERGI_DEBUG", default=False)
ALLOWED_HOSTS = env_list("SINERGI_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("SINERGI_CSRF_TRUSTED_ORIGINS", "")

# --- Database ------------------------------------------------------------------------------
# SQLite is the embedded default. WAL lets readers run beside the one writer, IMMEDIATE
# transactions take the write lock up front (no deadlock-prone lock upgrades), and the busy
# timeout makes a second writer wait instead of failing.
_SQLITE_INIT = (
    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
    "PRAGMA cache_size=-20000; PRAGMA temp_store=MEMORY;"
)
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "sinergi.sqlite3"),
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": _SQLITE_INIT,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Applications --------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Before allauth, so that its layout templates are overridden by ours.
    "sinergi.web",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "sinergi.core",
    "sinergi.accounts",
    "sinergi.commerce",
    "sinergi.channels",
    "sinergi.insights",
    "sinergi.partnerships",
    "sinergi.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "sinergi.accounts.middleware.ActiveMembershipMiddleware",
    "sinergi.channels.middleware.PostCampaignMiddleware",
]

ROOT_URLCONF = "sinergi.urls"
WSGI_APPLICATION = "sinergi.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
# The model every tenant-owned row points at; core refers to it by name only.
SINERGI_TENANT_MODEL = "accounts.Organisation"

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
                "django.template.context_processors.i18n",
                "sinergi.web.context_processors.workspace",
            ],
            "builtins": ["django.templatetags.i18n", "sinergi.core.templatetags.sinergi"],
        },
    }
]

# --- Accounts ------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("SINERGI_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
# Sign-in and reset are rate-limited per IP and per account; an Argon2 check costs ~100 ms,
# so unthrottled guessing would also be a cheap way to load the server.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
}
ACCOUNT_SIGNUP_FORM_CLASS = "sinergi.accounts.forms.SignupExtraForm"
ACCOUNT_ADAPTER = "sinergi.accounts.adapter.AccountAdapter"
LOGIN_REDIRECT_URL = "web:workspace"
LOGIN_URL = "account_login"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Sinergi"
# Partner and government staff see many shops' needs; their accounts must use 2FA.
SINERGI_REQUIRE_PARTNER_MFA = env_bool("SINERGI_REQUIRE_PARTNER_MFA", default=True)

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Jakarta"
LANGUAGE_COOKIE_NAME = "sinergi_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files --------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Vendor assets come from the npm registry (package.json) and are copied here at install.
ASSETS_DIR = PROJECT_DIR / "build" / "assets"
STATICFILES_DIRS = [ASSETS_DIR]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 3600

# --- Cache, tasks, e-mail ------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    # A file cache is shared by the web and worker processes of one host, which the
    # rate limits of sign-in need; several hosts share Redis instead.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    }

TASKS = {
    "default": {
        "BACKEND": os.environ.get("SINERGI_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "publishing", "imports"],
    }
}
# A task found RUNNING for longer than this is taken to have lost its worker and is run
# again (see docs/adr/0002-task-queue.md).
SINERGI_TASK_STALE_AFTER_SECONDS = int(os.environ.get("SINERGI_TASK_STALE_AFTER", "900"))
# Jobs every `sinergi worker` runs at their intervals, once per interval across all workers
# (docs/adr/0002-task-queue.md): (dotted path of a function or task, seconds).
SINERGI_PERIODIC_JOBS = [
    ("sinergi.channels.tasks.publishing_due_queue", 60),
    ("sinergi.channels.tasks.metrics_due_queue", 6 * 60 * 60),
]

EMAIL_BACKEND = os.environ.get(
    "SINERGI_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_HOST = os.environ.get("SINERGI_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("SINERGI_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("SINERGI_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("SINERGI_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("SINERGI_EMAIL_TLS", default=False)
DEFAULT_FROM_EMAIL = os.environ.get("SINERGI_FROM_EMAIL", "Sinergi <noreply@sinergi.local>")

# --- Security ------------------------------------------------------------------------------
SECURE_HTTPS = env_bool("SINERGI_HTTPS", default=False)
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_SSL_REDIRECT = SECURE_HTTPS
SECURE_HSTS_SECONDS = 31536000 if SECURE_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTPS
SECURE_HSTS_PRELOAD = SECURE_HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE_HTTPS else None
# Sessions read from the cache first: a storefront page served from the cache then needs
# no database query even for a buyer with a cart.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SINERGI_LOG_LEVEL", "INFO")},
}

# --- Personal data of shops' customers, encrypted at rest (docs/adr/0008) --------------------
# Fernet keys (comma-separated, newest first, for rotation) that encrypt customers' names,
# phone numbers and addresses; without the variable a key is generated into the data dir.
SINERGI_DATA_KEYS = env_list("SINERGI_DATA_KEYS", "")
SINERGI_DATA_KEY_FILE = DATA_DIR / "data_key"
# The key of the phone numbers' blind index (HMAC-SHA256), kept apart from the data keys.
SINERGI_INDEX_KEY = os.environ.get("SINERGI_INDEX_KEY", "")
SINERGI_INDEX_KEY_FILE = DATA_DIR / "index_key"

# --- Channels (social publishing and inbox) --------------------------------------------------
# Platform tokens are encrypted at rest with these Fernet keys (comma-separated, newest first,
# so that a key can be rotated); without the variable a key is generated into the data dir.
SINERGI_CHANNELS_KEYS = env_list("SINERGI_CHANNELS_KEY", "")
SINERGI_CHANNELS_KEY_FILE = DATA_DIR / "channels_key"
# The platforms' API roots; tests point them at local fake servers.
SINERGI_META_GRAPH_URL = os.environ.get(
    "SINERGI_META_GRAPH_URL", "https://graph.facebook.com/v21.0"
)
SINERGI_TIKTOK_API_URL = os.environ.get("SINERGI_TIKTOK_API_URL", "https://open.tiktokapis.com")
# The Meta app's secret signs webhook deliveries (X-Hub-Signature-256); the verify token
# answers Meta's subscription handshake.
SINERGI_META_APP_SECRET = os.environ.get("SINERGI_META_APP_SECRET", "")
SINERGI_META_VERIFY_TOKEN = os.environ.get("SINERGI_META_VERIFY_TOKEN", "")
# The Meta app that shops sign in with (Facebook Login for Business); empty = no real
# connections, only the preview.
SINERGI_META_APP_ID = os.environ.get("SINERGI_META_APP_ID", "")
SINERGI_META_DIALOG_URL = os.environ.get(
    "SINERGI_META_DIALOG_URL", "https://www.facebook.com/v21.0/dialog/oauth"
)
# The Facebook Login for Business configuration of the WhatsApp Embedded Signup variation;
# empty = no "Connect WhatsApp" button.
SINERGI_WHATSAPP_CONFIG_ID = os.environ.get("SINERGI_WHATSAPP_CONFIG_ID", "")
# The TikTok app that shops sign in with (Login Kit for Web); empty = no real TikTok
# connections, only the preview.
SINERGI_TIKTOK_CLIENT_KEY = os.environ.get("SINERGI_TIKTOK_CLIENT_KEY", "")
SINERGI_TIKTOK_CLIENT_SECRET = os.environ.get("SINERGI_TIKTOK_CLIENT_SECRET", "")
SINERGI_TIKTOK_AUTH_URL = os.environ.get(
    "SINERGI_TIKTOK_AUTH_URL", "https://www.tiktok.com/v2/auth/authorize/"
)
# A publishing run holds a post for this long; a run that died is taken over after it.
SINERGI_CHANNELS_LEASE_SECONDS = int(os.environ.get("SINERGI_CHANNELS_LEASE", "600"))
