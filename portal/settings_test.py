"""Settings of the test suite (pyproject.toml: DJANGO_SETTINGS_MODULE): the portal's own,
with DEBUG on unless the environment says otherwise (DEBUG is off unless set, and the
tests run the development set-up: local caches, the project-local PostgreSQL)."""

import os

os.environ.setdefault("DEBUG", "1")

from .settings import *  # noqa: E402, F403
