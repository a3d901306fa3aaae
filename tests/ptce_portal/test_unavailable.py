"""PostgreSQL or Redis down: the French 503 with Retry-After on every page, never a 500
(ptce_portal.unavailable). In-process here, with a real connection attempt to a port where
nothing listens; tests/deploy/test_faults.py does it with gunicorn, stopped and frozen."""

from io import StringIO

import pytest
from django.core.mail import EmailMessage
from django.core.management import CommandError, call_command
from django.test import Client

from ptce_portal.mail import record_message
from ptce_portal.models import OutgoingEmail
from tests.factories import UserFactory
from tests.network import closed_port, database_down


def assert_french_503(response):
    assert response.status_code == 503, response.content[:500]
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert '<html lang="fr">' in html and "Service momentanément indisponible" in html
    assert "Traceback" not in html


@pytest.fixture
def signed_in(transactional_db):
    user = UserFactory(email="camille@exemple.fr")
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_database_down_gives_the_french_503_to_anonymous_and_signed_in(
    signed_in, django_db_blocker
):
    anonymous = Client(raise_request_exception=False)
    with database_down(django_db_blocker):
        for client, path in [
            (anonymous, "/"),
            (anonymous, "/poles/"),
            (signed_in, "/"),  # the session and user middleware query first
            (signed_in, "/mon-espace/"),
            (signed_in, "/compte/login/"),
        ]:
            assert_french_503(client.get(path))
        for client in (anonymous, signed_in):
            for path in ("/sante/", "/api/poles.json"):
                response = client.get(path)
                assert response.status_code == 503, (path, response.content[:300])
                assert response["Content-Type"] == "application/json"
                assert response["Retry-After"] == "30"
    # Back without a restart.
    assert signed_in.get("/mon-espace/").status_code == 200
    assert anonymous.get("/poles/").status_code == 200


def test_a_bug_still_gets_the_500_page(rf):
    from portal.views import server_error

    try:
        raise ValueError("a bug, not an outage")
    except ValueError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500


@pytest.mark.django_db
def test_redis_down_turns_a_login_into_a_clear_503_never_a_500(settings):
    UserFactory(email="camille@exemple.fr", password="un-mot-de-passe-solide")
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }
    client = Client(raise_request_exception=False)
    assert client.get("/compte/login/").status_code in (200, 503)
    response = client.post(
        "/compte/login/", {"login": "camille@exemple.fr", "password": "un-mot-de-passe-solide"}
    )
    assert_french_503(response)


@pytest.mark.django_db
def test_the_mail_runner_refuses_a_backend_that_delivers_nothing_with_debug_off(settings):
    outgoing = record_message(EmailMessage(subject="Bonjour", body="b", to=["x@exemple.org"]))
    settings.DEBUG = False
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    with pytest.raises(CommandError, match="console.EmailBackend: no e-mail can be delivered"):
        call_command("send_queued_mail", stdout=StringIO())
    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingEmail.Status.PENDING and outgoing.attempts == 0
    assert outgoing.body == "b"
    # With DEBUG on, the console backend is development's: the runner sends.
    settings.DEBUG = True
    call_command("send_queued_mail", stdout=StringIO())
    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingEmail.Status.SENT


def test_error_reports_to_admins_leave_out_the_503s_of_an_outage():
    import logging

    from django.db import OperationalError

    from ptce_portal.unavailable import SkipUnavailable

    def record(status_code=None, exc=None):
        made = logging.LogRecord("django.request", logging.ERROR, "", 0, "x", (), None)
        if status_code:
            made.status_code = status_code
        if exc:
            made.exc_info = (type(exc), exc, None)
        return made

    keep = SkipUnavailable().filter
    assert not keep(record(503))
    assert not keep(record(exc=OperationalError("connection refused")))
    assert keep(record(500, ValueError("a bug")))
    assert keep(record(500))
