"""Settings for the test suite: fast hashing, no throttle surprises between tests."""

from .base import *  # noqa: F401,F403
from .base import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEBUG = False
# What printed forms carry in tests (production requires a real one, the demo sets its own).
PUBLIC_BASE_URL = "https://dichvucong.example.vn"
# Tests read what they just wrote: no shared cache unless a test turns it on (core/tests/test_caching.py).
PHUCVU_SHARED_CACHE_SECONDS = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # pytest-django makes its own test database; keep it in memory unless a file is asked for.
    DATABASES["default"]["TEST"] = {"NAME": None}
