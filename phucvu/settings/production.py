"""Production: refuse to start without a real secret and a public address; secure cookies and HSTS behind TLS."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import env_bool, public_base_url_problem, secret_key_problem

if problem := secret_key_problem(os.environ.get("SECRET_KEY", "")):
    raise ImproperlyConfigured(problem)
# Receipts' QR codes and every printed link must reach the system from outside: refuse to start without it.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "").strip()
if problem := public_base_url_problem(PUBLIC_BASE_URL):
    raise ImproperlyConfigured(problem)
DEBUG = False
# HTTPS only (docs/deploy.md, "HTTPS"): cookies never sent in clear, HTTP redirected to HTTPS, and browsers told
# to use nothing else for a year, subdomains included. Each can be eased by its variable, none by default:
# `phucvu check --deploy` is clean with these settings (a test runs it).
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# The health checks answer a monitor on the server itself over plain HTTP (docs/deploy.md, "Monitoring").
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# TLS ends at the proxy (nginx), which says so in this header; set it there, and only there.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Collected, fingerprinted and compressed static files (`phucvu serve` collects them at start).
WHITENOISE_USE_FINDERS = False
WHITENOISE_MAX_AGE = 31536000
# Source maps are for a developer's tools only: not worth compressing (most of collectstatic's time).
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = ["jpg", "jpeg", "png", "gif", "webp", "zip", "gz", "tgz", "bz2", "tbz", "xz",
                                       "br", "woff", "woff2", "map"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "phucvu.core.staticfiles.StaticFilesStorage"},
}
