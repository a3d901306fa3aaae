"""Signup does not reveal whether an address has an account by its answer time (finding S4):
a known address hashes the password as a new account does."""

import time

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from ptce_portal.models import User
from tests.factories import UserFactory

PASSWORD = "Coop-Territoire-2014"


class CountingHasher(PBKDF2PasswordHasher):
    """Django's real PBKDF2 hasher, counting the passwords it hashes."""

    algorithm = "pbkdf2_sha256"  # the same stored format: the same hasher for Django
    calls = 0

    def encode(self, password, salt, iterations=None):
        type(self).calls += 1
        return super().encode(password, salt, iterations)


def signup(client, email):
    started = time.perf_counter()
    response = client.post(
        "/compte/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    )
    elapsed = time.perf_counter() - started
    assert response.status_code == 302
    assert response["Location"] == "/compte/confirm-email/"
    client.logout()
    return elapsed


@pytest.mark.django_db
def test_a_known_address_hashes_the_password_like_a_new_one(client, settings):
    UserFactory(email="connue@exemple.fr")  # hashed with the tests' fast hasher
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]

    CountingHasher.calls = 0
    signup(client, "nouvelle@exemple.fr")
    new_calls = CountingHasher.calls
    assert new_calls >= 1 and User.objects.filter(email="nouvelle@exemple.fr").exists()

    CountingHasher.calls = 0
    signup(client, "connue@exemple.fr")
    assert CountingHasher.calls == new_calls
    assert User.objects.filter(email__iexact="connue@exemple.fr").count() == 1

    # And so comparable times with the real cost of PBKDF2 (best of three each).
    new = min(signup(client, f"nouvelle{n}@exemple.fr") for n in range(3))
    known = min(signup(client, "connue@exemple.fr") for _ in range(3))
    assert new / known < 3
