"""Local ports and outages for tests: a port to serve on, a port where nothing listens (a
server that is down), the database out of reach."""

import socket
from contextlib import contextmanager

from django.db import connections


def free_port() -> int:
    """A local TCP port nothing listens on now (bound, then released): to start a server on."""
    with socket.create_server(("127.0.0.1", 0)) as sock:
        return sock.getsockname()[1]


def closed_port() -> int:
    """A local port where nothing listens: a connection is refused, like a server that is
    down."""
    return free_port()


@contextmanager
def database_down(django_db_blocker):
    """The default connection points at a port where nothing listens (a real attempt each
    time: refused), outside the test's transaction."""
    connection = connections["default"]
    with django_db_blocker.unblock():
        connection.close()
        original = connection.settings_dict["PORT"]
        connection.settings_dict["PORT"] = closed_port()
        try:
            yield
        finally:
            connection.close()
            connection.settings_dict["PORT"] = original
