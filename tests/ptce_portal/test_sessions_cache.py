"""Sessions read through the cache (`cached_db`, production's engine with Redis): ending an
account's sessions also drops their cached copies, so the account is signed out at once;
a cached session never serves one person's account to another."""

import pytest
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.core.cache import caches
from django.test import Client, override_settings

from ptce_portal.sessions import end_sessions
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("cached_db_sessions"),
]


@pytest.fixture
def cached_db_sessions():
    with override_settings(SESSION_ENGINE="django.contrib.sessions.backends.cached_db"):
        yield


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_ending_sessions_drops_their_cached_copies():
    camille = UserFactory(email="camille@exemple.fr")
    dominique = UserFactory(email="dominique@exemple.fr")
    first, second, bystander = signed_in(camille), signed_in(camille), signed_in(dominique)
    for client in (first, second):
        assert "camille@exemple.fr" in client.get("/mon-espace/").content.decode()
        # Served from the cache: without dropping the copy the account would stay signed in.
        assert caches["default"].get(KEY_PREFIX + client.session.session_key) is not None

    assert end_sessions(camille) == 2

    for client in (first, second):
        response = client.get("/mon-espace/")
        assert response.status_code == 302 and "/compte/login/" in response["Location"]
    page = bystander.get("/mon-espace/").content.decode()
    assert "dominique@exemple.fr" in page and "camille@exemple.fr" not in page


def test_each_cached_session_keeps_its_own_account():
    camille = UserFactory(email="camille@exemple.fr")
    dominique = UserFactory(email="dominique@exemple.fr")
    clients = {
        "camille@exemple.fr": signed_in(camille),
        "dominique@exemple.fr": signed_in(dominique),
    }
    for _ in range(2):  # the second round entirely from the cache
        for email, client in clients.items():
            page = client.get("/mon-espace/").content.decode()
            others = set(clients) - {email}
            assert email in page and not any(other in page for other in others)


def test_signing_out_drops_the_cached_copy():
    client = signed_in(UserFactory())
    key = KEY_PREFIX + client.session.session_key
    assert caches["default"].get(key) is not None
    client.post("/compte/logout/")
    assert caches["default"].get(key) is None
    assert client.get("/mon-espace/").status_code == 302
