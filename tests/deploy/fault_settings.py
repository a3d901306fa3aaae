"""Settings of the portal's processes that tests/deploy/test_faults.py starts: the production
settings (DEBUG off, read from the environment), served over plain http on loopback (no
secure-only cookies nor https redirect) and without the collected static files' manifest."""

from portal.settings import *  # noqa: F403
from portal.settings import STORAGES

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
