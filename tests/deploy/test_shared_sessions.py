"""Sessions read through the shared cache (`cached_db`, the engine production uses with
Redis), with real processes: ending an account's sessions (ptce_portal.sessions.end_sessions:
`staff_member reset-2fa` and `remove`, account deletion) signs it out on every gunicorn worker
at once, not once the cached copy expires; other accounts stay signed in."""

import pytest
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.core.cache import caches
from django.test import override_settings

from ptce_portal.sessions import end_sessions
from tests.deploy.test_faults import cache_tables, fetch, free_port, gunicorn, session_cookie
from tests.factories import UserFactory

__all__ = ["cache_tables"]  # the fixture, imported for this module's tests

PORTS = range(8250, 8260)  # this module's loopback ports
# The processes' shared cache (the test database's table, as tests/deploy/session_settings.py
# gives them), read and written here as they do.
SHARED = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "ptce_cache"},
    "documents": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "ptce_document_cache",
    },
}
CACHED_DB = "django.contrib.sessions.backends.cached_db"

pytestmark = pytest.mark.django_db(transaction=True)


def test_ending_the_sessions_of_an_account_signs_it_out_on_every_worker(tmp_path, cache_tables):
    user = UserFactory(email="camille@exemple.fr")
    other = UserFactory(email="dominique@exemple.fr")
    with override_settings(CACHES=SHARED, SESSION_ENGINE=CACHED_DB):
        jar, other_jar = session_cookie(user), session_cookie(other)
    env = {"DJANGO_SETTINGS_MODULE": "tests.deploy.session_settings"}
    with gunicorn(tmp_path, "portal", env=env, workers=2, port=free_port(PORTS)) as (base, _):
        for _ in range(6):  # a new connection each: both workers serve it from the cache
            response, _ = fetch(base, "/mon-espace/", jar)
            assert response.status_code == 200 and "camille@exemple.fr" in response.text
        with override_settings(CACHES=SHARED, SESSION_ENGINE=CACHED_DB):
            key = KEY_PREFIX + next(iter(jar.values()))
            assert caches["default"].get(key) is not None  # the copy the workers read
            assert end_sessions(user) == 1
            assert caches["default"].get(key) is None
        for _ in range(6):
            response, _ = fetch(base, "/mon-espace/", jar)
            assert response.status_code == 302, response.text[:300]
            assert "/compte/login/" in response.headers["Location"]
        response, _ = fetch(base, "/mon-espace/", other_jar)
        assert response.status_code == 200 and "dominique@exemple.fr" in response.text
