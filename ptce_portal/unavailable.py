"""When the database or the shared cache does not answer: the French 503 page, quickly.

- `is_unavailable(exc)`: the exceptions that mean "a service the portal needs is down"
  (PostgreSQL refused, closed or did not answer in time; Redis likewise).
- `unavailable_response(request)`: the 503 (JSON on /api/ and /sante/, the French page
  elsewhere) with `Retry-After`, built without the database nor the cache.
- `ServiceUnavailableMiddleware`: answers that 503 for the exceptions of views, and bounds
  every wait of a request on PostgreSQL (client side: a server that accepts a connection and
  never answers would otherwise hold the worker until gunicorn kills it).

Django turns an exception into a response inside each middleware layer, so an outer
middleware never sees what the inner ones raised (the session, authentication and
second-factor middleware query first): the handler500 view (portal.views.server_error)
also answers this 503 for them.
"""

import logging
import signal
import threading
from contextlib import contextmanager

import psycopg
from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

RETRY_AFTER = "30"  # seconds
# A kept connection's health check (SELECT 1) answers in a millisecond when the server is
# well; past this, the connection is dropped and a new one tried (connect_timeout).
HEALTH_CHECK_DEADLINE = 2.0
PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


def per_process_caches(caches: dict) -> list[str]:
    """The cache aliases whose content each process keeps for itself."""
    return [alias for alias, config in caches.items() if config["BACKEND"] in PER_PROCESS_CACHES]


class DatabaseWaitExceeded(psycopg.OperationalError):
    """PostgreSQL did not answer within settings.DATABASE_WAIT_DEADLINE seconds."""


UNAVAILABLE_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
)


def _redis_errors() -> tuple[type[BaseException], ...]:
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:  # pragma: no cover - redis is a dependency
        return ()
    return (RedisConnectionError, RedisTimeoutError)


def _raised_from(exc: BaseException | None, errors: tuple[type[BaseException], ...]) -> bool:
    """Whether `exc`, or one of the (at most five) exceptions that caused it, is one of
    `errors`."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, errors):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def is_unavailable(exc: BaseException | None) -> bool:
    """Whether `exc` (or what caused it) says the database or the shared cache is down, as
    opposed to a bug: connection refused, closed, timed out, statement timeout."""
    return _raised_from(exc, UNAVAILABLE_ERRORS + _redis_errors())


def database_is_down(exc: BaseException | None) -> bool:
    """Whether `exc` (or what caused it) says PostgreSQL itself is down, not the Redis cache:
    a cache kept in the database then fails with it, and the request cannot be served."""
    return _raised_from(exc, UNAVAILABLE_ERRORS)


def wants_json(request) -> bool:
    return request.path.startswith(("/api/", "/sante/"))


def unavailable_response(request, *, reason: str = "unavailable") -> HttpResponse:
    """503 with Retry-After, without touching the database nor the cache (no request
    context: the context processors would ask for the user)."""
    if wants_json(request):
        response: HttpResponse = JsonResponse(
            {"status": "error", "error": "service_unavailable", "reason": reason}, status=503
        )
    else:
        response = HttpResponse(render_to_string("503.html", {"reason": reason}), status=503)
    response["Retry-After"] = RETRY_AFTER
    response["Cache-Control"] = "no-store"
    return response


class SkipUnavailable(logging.Filter):
    """For the error reports to ADMINS: not the 503s of a database or cache that is down. The
    report would touch the database again (the request's user, the traceback's querysets),
    one connection timeout each, and monitoring (/sante/) already tells."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 503:
            return False
        return not (record.exc_info and is_unavailable(record.exc_info[1]))


# --- A bound on every wait on PostgreSQL ----------------------------------------------------


def _raise_wait_exceeded(signum, frame):
    raise DatabaseWaitExceeded("PostgreSQL did not answer in time")


def _can_use_alarm() -> bool:
    # SIGALRM reaches the main thread only: gunicorn's sync workers serve requests there;
    # runserver's threads (development) go without the bound.
    return settings.DATABASE_WAIT_DEADLINE > 0 and threading.current_thread() is (
        threading.main_thread()
    )


@contextmanager
def database_wait_bound(connection, seconds: float | None = None):
    """Within the block, a wait on PostgreSQL longer than `seconds` (default:
    DATABASE_WAIT_DEADLINE) raises
    DatabaseWaitExceeded (an OperationalError), and the connection, left mid-query, is
    closed so that the next request opens a fresh one."""
    if not _can_use_alarm():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _raise_wait_exceeded)
    signal.setitimer(signal.ITIMER_REAL, seconds or settings.DATABASE_WAIT_DEADLINE)
    try:
        yield
    except BaseException as exc:
        if _caused_by_deadline(exc):
            _close_quietly(connection)
        raise
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _caused_by_deadline(exc: BaseException | None) -> bool:
    return _raised_from(exc, (DatabaseWaitExceeded,))


def _close_quietly(connection) -> None:
    try:
        connection.close()
    except Exception:  # closing a broken connection may complain; it is closed all the same
        connection.connection = None


def _bounded_execute(execute, sql, params, many, context):
    with database_wait_bound(context["connection"]):
        return execute(sql, params, many, context)


class ServiceUnavailableMiddleware:
    """First in MIDDLEWARE. Bounds each wait of the request on PostgreSQL (the health check
    of a kept connection, then every statement), and answers the French 503 when a view
    finds the database or the cache down."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        connection = connections["default"]
        if connection.connection is not None and not connection.health_check_done:
            try:
                with database_wait_bound(connection, HEALTH_CHECK_DEADLINE):
                    connection.close_if_health_check_failed()
            except Exception as exc:
                if not is_unavailable(exc):
                    raise
                logger.warning("Database unavailable (%s)", exc.__class__.__name__)
                return unavailable_response(request)
        if not _can_use_alarm():
            return self.get_response(request)
        with connection.execute_wrapper(_bounded_execute):
            return self.get_response(request)

    def process_exception(self, request, exception):
        if is_unavailable(exception):
            logger.warning(
                "Service unavailable on %s (%s: %s)",
                request.path,
                exception.__class__.__name__,
                str(exception).splitlines()[0] if str(exception) else "",
            )
            return unavailable_response(request)
        return None
