"""/sante/ reports whether PostgreSQL answers, as JSON, without ever showing a traceback."""

import socket

import pytest
from django.db import connections


@pytest.mark.django_db
def test_health_is_ok_when_the_database_answers(client):
    response = client.get("/sante/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def closed_port() -> int:
    """A local TCP port nothing listens on (bound then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_health_is_503_json_when_the_database_is_down(client, django_db_blocker, caplog):
    # Not in the test transaction: a real connection attempt to a port nobody serves.
    connection = connections["default"]
    with django_db_blocker.unblock():
        connection.close()
        original = connection.settings_dict["PORT"]
        connection.settings_dict["PORT"] = closed_port()
        try:
            response = client.get("/sante/")
        finally:
            connection.close()
            connection.settings_dict["PORT"] = original
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "error", "database": "unreachable"}
    body = response.content.decode()
    assert "Traceback" not in body and "OperationalError" not in body
    assert "Health check: database unreachable" in caplog.text


@pytest.mark.django_db
def test_health_stays_reachable_in_maintenance_mode(client, settings):
    settings.MAINTENANCE_MODE = True
    assert client.get("/sante/").status_code == 200
