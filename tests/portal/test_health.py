"""/sante/ reports whether PostgreSQL and the shared cache answer, and how long the oldest
unsent e-mail has waited, as JSON, without ever showing a traceback."""

import pytest

from tests.network import closed_port, database_down


@pytest.mark.django_db
def test_health_is_ok_when_the_database_answers(client):
    response = client.get("/sante/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "oldest_unsent_email_seconds": None,
    }
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_gives_the_age_of_the_oldest_unsent_email(client):
    from datetime import timedelta

    from django.core.mail import EmailMessage
    from django.utils import timezone

    from ptce_portal.mail import record_message
    from ptce_portal.models import OutgoingEmail

    old = record_message(EmailMessage(subject="a", body="b", to=["x@exemple.org"]))
    OutgoingEmail.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(minutes=42)
    )
    record_message(EmailMessage(subject="c", body="d", to=["y@exemple.org"]))
    sent = record_message(EmailMessage(subject="e", body="f", to=["z@exemple.org"]))
    OutgoingEmail.objects.filter(pk=sent.pk).update(
        status=OutgoingEmail.Status.SENT,
        sent_at=timezone.now(),
        created_at=timezone.now() - timedelta(days=3),
    )
    age = client.get("/sante/").json()["oldest_unsent_email_seconds"]
    assert 42 * 60 <= age < 43 * 60


@pytest.mark.django_db
def test_health_is_503_when_the_cache_does_not_answer(client, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }
    response = client.get("/sante/")
    assert response.status_code == 503
    assert response.json()["cache"] == "unreachable"
    assert response.json()["database"] == "ok"


def test_health_is_503_json_when_the_database_is_down(client, django_db_blocker, caplog):
    # Not in the test transaction: a real connection attempt to a port nobody serves.
    with database_down(django_db_blocker):
        response = client.get("/sante/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "error", "database": "unreachable", "cache": "ok"}
    body = response.content.decode()
    assert "Traceback" not in body and "OperationalError" not in body
    assert "Health check: database unreachable" in caplog.text


@pytest.mark.django_db
def test_health_stays_reachable_in_maintenance_mode(client, settings):
    settings.MAINTENANCE_MODE = True
    assert client.get("/sante/").status_code == 200
