"""Pages from the cache: anonymous ones shared by every process, keyed by the content
versions they are built from; signed-in ones kept by each process for their visitor, keyed by
the database's state.

A view opts in with `public_page(*versions)`: its answer to an anonymous GET depends only on
the address, the language, the day and those versions (ptce_portal.versions), e.g.

    @public_page(CONTENT_VERSION, slot="<app>.detail")
    @require_GET
    def detail(request, slug): ...

(`slot`: the page also shows the blocks other apps contribute there, so it depends on their
versions as well: `Contribution.content_version`.)

`PageCacheMiddleware`, first in MIDDLEWARE, answers such a request from the cache when the
visitor carries no cookie but the language and CSRF ones (no session: nobody signed in, no
message waiting), without running any other middleware nor the view. A miss runs them all and
stores the answer only when it is an ordinary anonymous page: 200, no cookie set (a CSRF token
or a message would set one), nobody signed in, no `private`/`no-store`, no `Vary` on anything
but cookies, language and encoding. A change of content bumps a version, so the next request
builds the page again: nothing is deleted, nothing is stale. Signed-in visitors never get an
anonymous page, and an anonymous page never holds anything of theirs.

A view marked `personal_page` shows a signed-in visitor only what the database holds (Mon
espace, an assessment's results). The same middleware keeps this process's copy of its
answer under the visitor's cookies (session, CSRF secret, messages) and the version that
every write to the database moves on (`versions.WRITES`: any statement that writes through
Django, in any process, whatever made it: a service, the admin, `QuerySet.update()`, raw
SQL). So such a copy is never stale, and any write anywhere starts new copies. What the other
middleware decide from is in the database too: the account (signed out elsewhere,
deactivated, a new password), the session (`db` or `cached_db` only: a message waiting, a
second factor confirmed), the roles that need a second factor. The maintenance switch, read
through the shared cache, is read with WRITES: no copy is served while it is on. So a hit
gives what they let through for that same state, with their headers, at the cost of the
session read and one round trip to the shared cache. Copies never leave the process (not in
the shared cache) and expire like anonymous pages (what depends on the hour). Inside a
transaction (a test's) nothing is kept: it may hold writes of its own not yet committed.

Cached pages carry an ETag (a revalidation gets 304) and are sent gzip-compressed to the
clients that accept it.
"""

import gzip
import hashlib
import logging
import time
from collections.abc import Callable
from http import HTTPStatus

from django.conf import settings
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIRequest
from django.core.signals import setting_changed
from django.db import connections
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import parse_etags

from . import contributions
from . import versions as content_versions
from .cached_documents import (
    GZIP_ETAG_SUFFIX,
    GZIP_LEVEL,
    LocalCopies,
    accepts_gzip,
    local_copies,
)
from .selectors import MAINTENANCE_CACHE_KEY, maintenance_enabled
from .sessions import session_user_id
from .unavailable import database_wait_bound, is_unavailable, unavailable_response

logger = logging.getLogger(__name__)

ATTRIBUTE = "public_page_versions"
SLOT_ATTRIBUTE = "public_page_slots"
PERSONAL_ATTRIBUTE = "personal_page"
# Versions cover every edit; the timeout only bounds what depends on the hour (deadlines).
TIMEOUT = 300
MAX_QUERY_LENGTH = 512  # longer query strings are not cached (no one types them)
# Settings every page shows (ptce_portal.context_processors): part of the key.
PAGE_SETTINGS = (
    "DEMO_BANNER",
    "SOURCE_CODE_URL",
    "SITE_URL",
    "STATIC_URL",
    "MAP_TILE_URL",
    "MAP_TILE_ATTRIBUTION",
)
# Headers not kept with a page: the visitor's, the encoding's, or set again when served.
DROPPED_HEADERS = {
    "set-cookie",
    "content-length",
    "content-encoding",
    "date",
    "etag",
    "cache-control",
    "expires",
}
ALLOWED_VARY = {"cookie", "accept-language", "accept-encoding"}


def public_page(*versions: str, slot: str | None = None) -> Callable:
    """Mark a view whose anonymous answer may be served from the page cache."""

    def decorator(view):
        setattr(view, ATTRIBUTE, tuple(versions))
        setattr(view, SLOT_ATTRIBUTE, (slot,) if slot else ())
        return view

    return decorator


def personal_page(view):
    """Mark a signed-in page that shows only what the database holds (the visitor's own
    panels, an assessment's results): `PageCacheMiddleware` keeps this process's copy of it
    for the visitor until the next write to the database."""
    setattr(view, PERSONAL_ATTRIBUTE, True)
    return view


def _allowed_cookies() -> set[str]:
    return {settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME}


# Per process: what each address resolves to (the view's versions), and the settings every
# page shows. A hit is paid on every anonymous request, so neither is worked out again; both
# are forgotten when a test changes the settings.
_views_by_path: dict[str, Callable | None] = {}
_names_by_view: dict[Callable, tuple[str, ...] | None] = {}
MAX_REMEMBERED_PATHS = 20_000
_settings_part: list[str] = []


@receiver(setting_changed)
def _forget_remembered(**kwargs) -> None:
    _views_by_path.clear()
    _names_by_view.clear()
    _settings_part.clear()


def _view_for(path: str) -> Callable | None:
    if path in _views_by_path:
        return _views_by_path[path]
    try:
        view = resolve(path).func
    except Resolver404:
        view = None
    if len(_views_by_path) < MAX_REMEMBERED_PATHS:
        _views_by_path[path] = view
    return view


def _names_for(path: str) -> tuple[str, ...] | None:
    view = _view_for(path)
    if view is None:
        return None
    if view in _names_by_view:
        return _names_by_view[view]
    names = getattr(view, ATTRIBUTE, None)
    if names is not None:
        if content_versions.ALL in names:
            names = content_versions.watched()
        for slot in getattr(view, SLOT_ATTRIBUTE, ()):
            names += contributions.slot_versions(slot)
        names = tuple(sorted(set(names)))
    _names_by_view[view] = names
    return names


def _settings_shown() -> str:
    if not _settings_part:
        _settings_part.append(repr([getattr(settings, name, None) for name in PAGE_SETTINGS]))
    return _settings_part[0]


def _page_versions(request) -> tuple[str, ...] | None:
    """The versions the requested page depends on, or None when it is not cacheable."""
    if request.method != "GET" or "HTTP_AUTHORIZATION" in request.META:
        return None
    if settings.MAINTENANCE_MODE:  # the 503 comes further in
        return None
    if request.COOKIES and not set(request.COOKIES) <= _allowed_cookies():
        return None
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_LENGTH:
        return None
    return _names_for(request.path_info)


def _versions_unless_maintenance(names: tuple[str, ...]) -> dict[str, int] | None:
    """The versions the page depends on, and the release (every migrate, each deployment,
    starts new pages: new templates), read with the maintenance switch in one round trip to
    the shared cache; None during maintenance (the 503 comes further in)."""
    current, found = content_versions.current_and(
        (content_versions.RELEASE, *names), (MAINTENANCE_CACHE_KEY,)
    )
    switch = found.get(MAINTENANCE_CACHE_KEY)
    if switch is None:  # not in the cache (expired): the database says, and it is cached
        switch = maintenance_enabled()
    return None if switch else current


def _request_parts(request) -> tuple[str, ...]:
    """What of the request a copy depends on, signed in or not. The host as sent: a copy
    exists only for a host that Django accepted when it built the page (a host it refuses
    never reaches the cache)."""
    meta = request.META
    return (
        request.scheme,
        meta.get("HTTP_HOST", ""),
        request.path_info,
        meta.get("QUERY_STRING", ""),
        translation.get_language_from_request(request),
        timezone.localdate().isoformat(),
    )


def _hashed(prefix: str, parts: tuple[str, ...]) -> str:
    return prefix + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _key(request, names: tuple[str, ...], current: dict[str, int]) -> str:
    parts = (
        *_request_parts(request),
        content_versions.token(current),
        ",".join(names),
        _settings_shown(),
    )
    return _hashed("page:", parts)


def _cacheable(request, response, *, signed_in: bool = False) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    if signed_in:
        # Only the CSRF cookie: sent again unchanged (Django renews its expiry whenever a form
        # carries the token), or a first one, kept with the page whose forms carry it. Any
        # other cookie is the visitor's new data (a session saved, a message left).
        sent = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
        if any(
            name != settings.CSRF_COOKIE_NAME or sent not in (None, morsel.value)
            for name, morsel in response.cookies.items()
        ):
            return False
    elif response.cookies:
        return False
    user = getattr(request, "user", None)
    if (user is not None and user.is_authenticated) != signed_in:
        return False
    if signed_in:  # `private, no-store`, as every personal page, said to the browser
        return True
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    return vary <= ALLOWED_VARY


def _entry(response) -> dict:
    body = response.content
    return {
        # Content type and language, the security headers of the middleware inside this one…
        "headers": [(k, v) for k, v in response.items() if k.lower() not in DROPPED_HEADERS],
        # A signed-in page's CSRF cookie (`_cacheable`), first or renewed: its forms' secret.
        "cookies": dict(response.cookies.items()),
        "body": body,
        "gzip": gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0),
        "etag": hashlib.sha256(body).hexdigest()[:24],
        "built": time.time(),
    }


def _size(entry: dict) -> int:
    return len(entry["body"]) + len(entry["gzip"])


def _not_modified(request, tag: str) -> bool:
    header = request.META.get("HTTP_IF_NONE_MATCH")
    if not header:
        return False
    return any(
        candidate.removeprefix("W/").strip('"').removesuffix(GZIP_ETAG_SUFFIX) == tag
        for candidate in parse_etags(header)
    )


def _served(request, entry: dict, *, personal: bool = False) -> tuple[int, list, bytes]:
    """The status, headers and body of a copy as it is sent to this visitor (the encoding
    they accept, 304 when their copy is current)."""
    gzip_ok = accepts_gzip(request)
    if not personal and _not_modified(request, entry["etag"]):
        return 304, _headers(entry, gzip_ok, personal, body=None), b""
    body = entry["gzip"] if gzip_ok else entry["body"]
    return 200, _headers(entry, gzip_ok, personal, body=body), body


def _headers(entry: dict, gzip_ok: bool, personal: bool, body: bytes | None) -> list:
    """The headers of a copy for one encoding, made once per copy and kind of answer (a hit
    is paid on every request)."""
    made = entry.setdefault("made_headers", {})
    kind = (gzip_ok, personal, body is None)
    if kind in made:
        return list(made[kind])  # a copy: the server may add its own
    headers = list(entry["headers"])
    if body is not None:
        if gzip_ok:
            headers.append(("Content-Encoding", "gzip"))
        headers.append(("Content-Length", str(len(body))))
    vary = [
        v.strip() for name, value in headers if name.lower() == "vary" for v in value.split(",")
    ]
    headers = [(name, value) for name, value in headers if name.lower() != "vary"]
    for name in ("Cookie", "Accept-Language", "Accept-Encoding"):
        if name.lower() not in {v.lower() for v in vary}:
            vary.append(name)
    headers.append(("Vary", ", ".join(v for v in vary if v)))
    if personal:
        # As every personal page (ptce_portal.middleware.PrivacyHeadersMiddleware): neither
        # a shared proxy nor the browser's back button keeps it.
        headers.append(("Cache-Control", "private, no-store"))
    else:
        headers.append(("ETag", f'"{entry["etag"]}{GZIP_ETAG_SUFFIX if gzip_ok else ""}"'))
        # Browsers may keep it but must ask first; shared caches must not (it varies by
        # visitor).
        headers.append(("Cache-Control", "private, no-cache"))
    made[kind] = headers
    return list(headers)


def _response(request, entry: dict, *, personal: bool = False) -> HttpResponse:
    status, headers, body = _served(request, entry, personal=personal)
    response = HttpResponseNotModified() if status == 304 else HttpResponse(body)
    for name, value in headers:
        response[name] = value
    if personal:
        for name, morsel in entry["cookies"].items():
            response.cookies[name] = morsel
    return response


def _bounded(read, request):
    """`read()` under the bound on a wait on PostgreSQL that ServiceUnavailableMiddleware
    puts on the rest of the request (this middleware comes first); the French 503 when the
    database or the cache kept in it does not answer (None then, and the response)."""
    try:
        with database_wait_bound(connections["default"]):
            return read(), None
    except Exception as exc:
        if not is_unavailable(exc):
            raise
        logger.warning("Service unavailable on %s (%s)", request.path, exc.__class__.__name__)
        return None, unavailable_response(request)


class PageCacheMiddleware:
    """First in MIDDLEWARE: the anonymous answers of the views marked `public_page` from the
    shared cache, and the signed-in answers of those marked `personal_page` from this
    process's copies. A hit skips every other middleware; a miss goes through them all, so
    what is kept carries their headers (security, CSP, privacy)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_session(request):
            return self._personal(request)
        names = _page_versions(request)
        if names is None:
            return self.get_response(request)
        current, unavailable = _bounded(lambda: _versions_unless_maintenance(names), request)
        if unavailable is not None:
            return unavailable
        if current is None:
            return self.get_response(request)
        key = _key(request, names, current)
        # The key names the versions: this process's copy of the entry is never stale.
        entry = local_copies.get(key)
        if entry is not None:
            return _response(request, entry)
        # The default cache (Redis in production), not the documents' table: pages are small
        # and short-lived (and PostgreSQL has better to do).
        store = cache
        try:
            entry = store.get(key)
        except Exception:
            logger.exception("Page cache unavailable (get)")
            entry = None
        if entry is not None:
            # No longer here than in the shared cache (what depends on the hour expires).
            left = TIMEOUT - (time.time() - entry.get("built", 0))
            if left > 0:
                local_copies.set(key, entry, _size(entry), left)
            return _response(request, entry)
        response = self.get_response(request)
        if not _cacheable(request, response):
            return response
        entry = _entry(response)
        try:
            store.set(key, entry, TIMEOUT)
        except Exception:
            logger.exception("Page cache unavailable (set)")
        local_copies.set(key, entry, _size(entry), TIMEOUT)
        return _response(request, entry)

    def _personal(self, request):
        if (
            request.method != "GET"
            or settings.MAINTENANCE_MODE
            or len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_LENGTH
            or connections["default"].in_atomic_block
            # Elsewhere (the cache engine, files) a session's change is no write to the database.
            or settings.SESSION_ENGINE not in DATABASE_SESSION_ENGINES
            # No WRITES without Redis (ptce_portal.versions.kept_in_the_database).
            or content_versions.kept_in_the_database()
        ):
            return self.get_response(request)
        view = _view_for(request.path_info)
        if view is None or not getattr(view, PERSONAL_ATTRIBUTE, False):
            return self.get_response(request)
        # With the maintenance switch, in the same round trip: it is read through the shared
        # cache and moves no version when it gets there. A page built after the switch's
        # commit, while the cache still said off (its publication not yet made or failed,
        # another process writing back what it read just before), is not served once the
        # cache says on; while it is on, nothing is kept (staff get their page built).
        found, unavailable = _bounded(
            lambda: (
                _signed_in_user_id(request),
                _versions_unless_maintenance((content_versions.WRITES,)),
            ),
            request,
        )
        if unavailable is not None:
            return unavailable
        user_id, written = found
        if user_id is None or written is None:  # None: an expired session, nobody; maintenance
            return self.get_response(request)
        key = _personal_key(request, user_id, written)
        entry = personal_copies.get(key)
        if entry is not None:
            return _response(request, entry, personal=True)
        response = self.get_response(request)
        # Kept only when the account the session names was let in (signed in, no
        # redirection to a second factor) and nothing was written for this visitor.
        # (No `request.user` when a middleware inside answered before the authentication
        # one: a host refused, the redirection to https.)
        user = getattr(request, "user", None)
        if str(getattr(user, "pk", "")) == user_id and _cacheable(
            request, response, signed_in=True
        ):
            entry = _entry(response)
            personal_copies.set(key, entry, _size(entry), TIMEOUT)
            return _response(request, entry, personal=True)
        return response


# --- Signed-in pages --------------------------------------------------------------------------

# The session engines whose every change is a write to the database (so moves WRITES).
DATABASE_SESSION_ENGINES = frozenset(
    {"django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"}
)

# Per process only: a signed-in page never leaves the worker that built it (never in the
# shared cache), and goes with the process.
personal_copies = LocalCopies(int(getattr(settings, "PERSONAL_PAGE_COPIES_MB", 8)) * 2**20)


def _has_session(request) -> bool:
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def _signed_in_user_id(request) -> str | None:
    """The account the session cookie is signed in to, read from the session store
    without loading the account (None: an expired session, nobody)."""
    return session_user_id(request.COOKIES[settings.SESSION_COOKIE_NAME])


def _personal_key(request, user_id: str, written: dict[str, int]) -> str:
    parts = (
        user_id,
        # Every cookie as sent: the session, the CSRF secret the page's forms carry, waiting
        # messages kept in a cookie, the language.
        request.META.get("HTTP_COOKIE", ""),
        *_request_parts(request),
        content_versions.token(written),
        _settings_shown(),
    )
    return _hashed("personal:", parts)


# --- Hits before Django's request cycle -------------------------------------------------------


def serve_hits(application):
    """Wrap the WSGI application: an anonymous page this process holds a copy of is answered
    before Django's handler (no request cycle, signals nor middleware), the hit then costs
    the versions' round trip to Redis and little else. Everything else goes to Django, whose
    `PageCacheMiddleware` does the same lookups: a miss, a copy only in the shared cache,
    anyone with a session, the maintenance switch on or unknown, and every request when the
    versions are kept in PostgreSQL's cache table (its waits are bounded inside the cycle)."""
    if content_versions.kept_in_the_database():
        return application

    def application_serving_hits(environ, start_response):
        hit = _hit_before_django(environ)
        if hit is None:
            return application(environ, start_response)
        status, headers, body = hit
        start_response(f"{status} {HTTPStatus(status).phrase}", headers)
        return [body]

    return application_serving_hits


def _hit_before_django(environ) -> tuple[int, list, bytes] | None:
    try:
        request = WSGIRequest(environ)
        names = _page_versions(request)
        if names is None:
            return None
        current, found = content_versions.current_and(
            (content_versions.RELEASE, *names), (MAINTENANCE_CACHE_KEY,)
        )
        if found.get(MAINTENANCE_CACHE_KEY) is not False:
            return None
        entry = local_copies.get(_key(request, names, current))
        return None if entry is None else _served(request, entry)
    except Exception:  # Django answers, and says what went wrong
        return None
