"""Settings read from the environment (twelve-factor); see docs/deploy.md."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

from phucvu.core import localtime

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# The project's working folder: the checkout when run from source, else the current directory.
BASE_DIR = Path(os.environ.get("PHUCVU_HOME", PACKAGE_DIR.parent)).resolve()
VAR_DIR = BASE_DIR / "var"


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
DEVELOPMENT_SECRET_KEY = "phucvu-insecure-development-key-change-me"
SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # the API docs page with django-ninja's own Swagger UI files, not its CDN template
    "phucvu.core",
    "phucvu.organization",
    "phucvu.workcalendar",
    "phucvu.catalog",
    "phucvu.dossiers",
    "phucvu.reports",
    "phucvu.notifications",
    "phucvu.portal",
    "phucvu.discipline",
    "phucvu.inspections",
    "phucvu.synthetic",
    "phucvu.demo",
    "phucvu.project",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "phucvu.core.web.InputCheckMiddleware",
    "phucvu.core.web.DomainErrorMiddleware",
    "phucvu.core.web.PrivateNoStoreMiddleware",
]

ROOT_URLCONF = "phucvu.urls"
WSGI_APPLICATION = "phucvu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "phucvu.core.context_processors.site",
            ],
        },
    },
]


def database_from_env() -> dict:
    url = os.environ.get("DATABASE_URL")
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{VAR_DIR / 'phucvu.sqlite3'}"
    config = dj_database_url.parse(url, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers go on while one writer commits; IMMEDIATE takes the write lock at BEGIN
        # so that two writers queue instead of failing half-way with "database is locked".
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
    return config


DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["phucvu.organization.auth.ThrottledModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Throttles (docs/security.md). The reverse proxies whose X-Forwarded-For is believed (CIDRs, comma
# separated, e.g. "10.0.0.0/8,127.0.0.1/32"); none by default: the direct peer is the client.
TRUSTED_PROXIES = [c.strip() for c in os.environ.get("PHUCVU_TRUSTED_PROXIES", "").split(",") if c.strip()]
# Failed logins within the window: refused past this many for one (username, address) pair, and past the
# looser per-address limit (an office shares one address for many clerks).
LOGIN_THROTTLE_LIMIT = int(os.environ.get("LOGIN_THROTTLE_LIMIT", "5"))
LOGIN_THROTTLE_ADDRESS_LIMIT = int(os.environ.get("LOGIN_THROTTLE_ADDRESS_LIMIT", "20"))
LOGIN_THROTTLE_WINDOW_SECONDS = int(os.environ.get("LOGIN_THROTTLE_WINDOW_SECONDS", "900"))
# API tokens (docs/security.md §6): the lifetime of a newly issued token, in days.
API_TOKEN_LIFETIME_DAYS = int(os.environ.get("API_TOKEN_LIFETIME_DAYS", "90"))
# Citizens' look-ups by code and secret: wrong pairs per address and per code; submissions per address.
PORTAL_LOOKUP_LIMIT = int(os.environ.get("PORTAL_LOOKUP_LIMIT", "10"))
PORTAL_LOOKUP_WINDOW_SECONDS = int(os.environ.get("PORTAL_LOOKUP_WINDOW_SECONDS", "900"))
PORTAL_LOOKUP_CODE_LIMIT = int(os.environ.get("PORTAL_LOOKUP_CODE_LIMIT", "20"))
PORTAL_LOOKUP_CODE_WINDOW_SECONDS = int(os.environ.get("PORTAL_LOOKUP_CODE_WINDOW_SECONDS", "3600"))
PORTAL_SUBMISSION_LIMIT = int(os.environ.get("PORTAL_SUBMISSION_LIMIT", "20"))
# The counter's voting devices (CIDRs): a vote from one is recorded with channel "kiosk" (docs/security.md §7).
PORTAL_KIOSK_NETWORKS = [c.strip() for c in os.environ.get("PHUCVU_KIOSK_NETWORKS", "").split(",") if c.strip()]
PORTAL_SUBMISSION_WINDOW_SECONDS = int(os.environ.get("PORTAL_SUBMISSION_WINDOW_SECONDS", "3600"))

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = localtime.TIME_ZONE  # phucvu.core.localtime: the one definition
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise reads it at start, collected or not
MEDIA_ROOT = VAR_DIR / "media"
# Static files are served by the app itself through WhiteNoise (`phucvu serve`, docs/deploy.md). Outside
# production they are read from the package's folders, so no `collectstatic` is needed to run the demo.
WHITENOISE_USE_FINDERS = True
WHITENOISE_MAX_AGE = 3600

# Content-Security-Policy (django-csp): every script and style is our own file, nothing from a CDN, no inline
# script. Inline style attributes stay allowed: htmx and Chart.js set element styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": os.environ["REDIS_URL"]}}

# Province-wide public figures (landing, monthly results, catalogue) are computed at most once per this
# many seconds and language (phucvu/core/caching.py); 0 computes them on every request.
PHUCVU_SHARED_CACHE_SECONDS = int(os.environ.get("PHUCVU_SHARED_CACHE_SECONDS", "60"))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# The address citizens reach the system at, printed in QR codes and links (receipts, messages):
# required in production, set by the demo; unset, a page uses its request's address (phucvu/core/public.py).
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "").strip()
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0", "::"}


def public_base_url_problem(url: str) -> str | None:
    """Why `url` cannot be the public address of a production system (None: it can)."""
    if not url:
        return ("Cần đặt biến môi trường PUBLIC_BASE_URL: địa chỉ công khai của hệ thống, in trên mã QR và "
                "đường dẫn của giấy tờ (ví dụ https://dichvucong.quangninh.gov.vn).")
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return f"PUBLIC_BASE_URL phải là địa chỉ đầy đủ, bắt đầu bằng https:// (đang là {url!r})."
    if parts.hostname in LOOPBACK_HOSTS:
        return f"PUBLIC_BASE_URL không được là địa chỉ nội bộ {parts.hostname}: người dân không mở được."
    if parts.query or parts.fragment:
        return f"PUBLIC_BASE_URL không được có tham số hay dấu # (đang là {url!r})."
    return None


def secret_key_problem(key: str) -> str | None:
    """Why `key` cannot sign a production system's sessions and tokens (None: it can). The thresholds are
    Django's own deployment check's (security.W009): at least 50 characters, at least 5 different ones."""
    if not key:
        return "Cần đặt biến môi trường SECRET_KEY khi chạy production (ít nhất 50 ký tự ngẫu nhiên)."
    if key == DEVELOPMENT_SECRET_KEY or key.startswith("django-insecure-"):
        return "SECRET_KEY đang là khoá mẫu dùng thử: hãy sinh một khoá ngẫu nhiên riêng cho hệ thống."
    if len(key) < 50 or len(set(key)) < 5:
        return ("SECRET_KEY quá yếu: cần ít nhất 50 ký tự với ít nhất 5 ký tự khác nhau, ví dụ sinh bằng "
                "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`.")
    return None


# E-mail through Django's mail framework (SMTP in production); see docs/notifications.md and docs/deploy.md.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Phục Vụ <khong-tra-loi@localhost>")


def env_list(name: str, default: str) -> list[str]:
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


# Notifications (docs/notifications.md): the channels this installation sends on ("log" alone: messages are
# written to the log, nothing leaves), what a citizen accepts when they did not choose, and the worker.
NOTIFY_CHANNELS = env_list("NOTIFY_CHANNELS", "log")
NOTIFY_DEFAULT_CHANNELS = env_list("NOTIFY_DEFAULT_CHANNELS", "zalo,sms,email")
NOTIFY_QUIET_HOURS = os.environ.get("NOTIFY_QUIET_HOURS", "21:00-07:00")
NOTIFY_MAX_AGE_HOURS = int(os.environ.get("NOTIFY_MAX_AGE_HOURS", "24"))
NOTIFY_MAX_ATTEMPTS = int(os.environ.get("NOTIFY_MAX_ATTEMPTS", "5"))
NOTIFY_RETRY_BASE_SECONDS = int(os.environ.get("NOTIFY_RETRY_BASE_SECONDS", "60"))
NOTIFY_REMINDER_HOURS = int(os.environ.get("NOTIFY_REMINDER_HOURS", "3"))
NOTIFY_SATISFACTION_DELAY_MINUTES = int(os.environ.get("NOTIFY_SATISFACTION_DELAY_MINUTES", "60"))
NOTIFY_DIGEST_AT = os.environ.get("NOTIFY_DIGEST_AT", "07:30")
NOTIFY_QUEUE = os.environ.get("NOTIFY_QUEUE", "database")  # "database" or "redis"
NOTIFY_REDIS_URL = os.environ.get("NOTIFY_REDIS_URL", "redis://127.0.0.1:6379/0")
NOTIFY_RQ_QUEUE = os.environ.get("NOTIFY_RQ_QUEUE", "phucvu-notify")
NOTIFY_CALLBACK_TOKEN = os.environ.get("NOTIFY_CALLBACK_TOKEN", "")
# SMS: eSMS.vn's brandname API (docs/notifications.md).
ESMS_BASE_URL = os.environ.get("ESMS_BASE_URL", "https://rest.esms.vn")
ESMS_API_KEY = os.environ.get("ESMS_API_KEY", "")
ESMS_SECRET_KEY = os.environ.get("ESMS_SECRET_KEY", "")
ESMS_BRANDNAME = os.environ.get("ESMS_BRANDNAME", "")
ESMS_SMS_TYPE = os.environ.get("ESMS_SMS_TYPE", "2")
ESMS_UNICODE = env_bool("ESMS_UNICODE", False)
ESMS_SANDBOX = env_bool("ESMS_SANDBOX", False)
ESMS_PRICE_VND = int(os.environ.get("ESMS_PRICE_VND", "800"))
# Zalo ZNS template messages of the province's Official Account.
ZALO_API_URL = os.environ.get("ZALO_API_URL", "https://business.openapi.zalo.me")
ZALO_OAUTH_URL = os.environ.get("ZALO_OAUTH_URL", "https://oauth.zaloapp.com")
ZALO_APP_ID = os.environ.get("ZALO_APP_ID", "")
ZALO_APP_SECRET = os.environ.get("ZALO_APP_SECRET", "")
ZALO_REFRESH_TOKEN = os.environ.get("ZALO_REFRESH_TOKEN", "")
# event=template id pairs, e.g. "received=231001,result_ready=231002"
ZALO_ZNS_TEMPLATES = dict(pair.split("=", 1) for pair in env_list("ZALO_ZNS_TEMPLATES", "") if "=" in pair)
ZALO_ZNS_PRICE_VND = int(os.environ.get("ZALO_ZNS_PRICE_VND", "300"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
