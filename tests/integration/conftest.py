"""Fixtures of the integration tests: the world (tests/integration/world.py), built once
per module, and one logged-in client per role."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings

from tests.integration.world import build_world


@pytest.fixture(scope="module")
def world_media(tmp_path_factory):
    """The uploads directory of the module's world (its resources' files), kept for all its
    tests: they read the files the world stored."""
    return tmp_path_factory.mktemp("world-media")


@pytest.fixture(autouse=True)
def _test_media_and_fast_hasher(settings, world_media):
    """tests/conftest.py's fixture, with the module's media directory instead of the test's."""
    settings.MEDIA_ROOT = world_media
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, world_media):
    """Seeded once per module (per xdist worker) inside a transaction rolled back at the end;
    each test runs in a savepoint of it (pytest-django's `db`)."""
    fast_hasher = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        MEDIA_ROOT=world_media,
    )
    with django_db_blocker.unblock(), fast_hasher:
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_ptce", stdout=io.StringIO())
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def clients(world, db):
    result = {"anonymous": Client()}
    for role, user in world.users.items():
        result[role] = Client()
        result[role].force_login(user)
    return result
