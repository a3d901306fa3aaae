"""A WSGI application that answers 200 to everything: gunicorn's own logs, under the kit's
configuration, without the portal behind it."""


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]
