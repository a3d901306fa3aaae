"""tests/deploy/test_faults.py's settings with sessions read through the shared cache
(`cached_db`, as production has them with Redis); the shared cache here is the test
database's table, which every process of the test reads as Redis would be."""

from tests.deploy.fault_settings import *  # noqa: F403

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
