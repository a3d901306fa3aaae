"""Anonymous hits answered before Django's request cycle (ptce_portal.page_cache.serve_hits),
with the shared cache in Redis as in production: the same bytes and headers as Django's own
answer, and nothing but a copy of this process under current versions is ever answered that
way (a change, a session, the maintenance switch, a revalidation: see each test)."""

import gzip
import io
import sys

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from poles.models import Pole
from ptce_portal import services as portal_services
from ptce_portal.page_cache import serve_hits

pytestmark = pytest.mark.django_db


def environ(path: str, **headers) -> dict:
    path, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "HTTP_ACCEPT_LANGUAGE": "fr",
        **{"HTTP_" + name.upper(): value for name, value in headers.items()},
    }


class Answered:
    def __init__(self, application):
        self.application = application

    def get(self, path: str, **headers):
        """(status, headers, body, whether Django's request cycle ran)."""
        cycles = []

        def count(**kwargs):
            cycles.append(1)

        request_started.connect(count)
        # As Django's test client: the test's transaction keeps its connection.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        got = {}

        def start_response(status, response_headers, exc_info=None):
            got["status"], got["headers"] = status, dict(response_headers)

        try:
            result = self.application(environ(path, **headers), start_response)
            body = b"".join(result)
            if hasattr(result, "close"):
                result.close()
        finally:
            request_started.disconnect(count)
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return got["status"], got["headers"], body, bool(cycles)


@pytest.fixture
def wsgi(redis_cache, seeded_portal):
    return Answered(serve_hits(WSGIHandler()))


def test_a_copy_is_answered_before_django_with_the_same_bytes_and_headers(wsgi):
    status, headers, body, through_django = wsgi.get("/poles/ecooparc/")
    assert status == "200 OK" and through_django
    again = wsgi.get("/poles/ecooparc/")
    assert again[0] == "200 OK" and not again[3]  # no request cycle
    assert again[2] == body
    assert again[1] == headers
    for name in ("Content-Security-Policy", "X-Frame-Options", "Permissions-Policy", "ETag"):
        assert again[1][name] == headers[name], name
    compressed = wsgi.get("/poles/ecooparc/", accept_encoding="gzip")
    assert not compressed[3] and compressed[1]["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed[2]) == body
    revalidated = wsgi.get("/poles/ecooparc/", if_none_match=headers["ETag"])
    assert revalidated[0] == "304 Not Modified" and revalidated[2] == b"" and not revalidated[3]


def test_a_change_a_session_or_maintenance_goes_to_django(
    wsgi, staff, django_capture_on_commit_callbacks
):
    wsgi.get("/poles/ecooparc/")
    assert not wsgi.get("/poles/ecooparc/")[3]
    pole = Pole.objects.get(slug="ecooparc")
    pole.name = "Écooparc, nom changé"
    pole.save()  # bumps the poles' version
    status, _headers, body, through_django = wsgi.get("/poles/ecooparc/")
    assert through_django and "Écooparc, nom changé" in body.decode()
    assert not wsgi.get("/poles/ecooparc/")[3]

    assert wsgi.get("/poles/ecooparc/", cookie="sessionid=abc")[3]
    assert wsgi.get("/poles/ecooparc/", cookie="messages=abc")[3]

    with django_capture_on_commit_callbacks(execute=True):  # the switch, published
        portal_services.set_maintenance(by=staff, enabled=True)
    status, _headers, body, through_django = wsgi.get("/poles/ecooparc/")
    assert through_django and status.startswith("503")
    with django_capture_on_commit_callbacks(execute=True):
        portal_services.set_maintenance(by=staff, enabled=False)
    assert wsgi.get("/poles/ecooparc/")[0] == "200 OK"


def test_with_the_versions_in_postgresql_django_answers_everything(seeded_portal, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "t"},
    }
    application = WSGIHandler()
    assert serve_hits(application) is application
