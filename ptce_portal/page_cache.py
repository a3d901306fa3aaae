"""Anonymous pages from the shared cache, keyed by the content versions they are built from.

A view opts in with `public_page(*versions)`: its answer to an anonymous GET depends only on
the address, the language, the day and those versions (ptce_portal.versions), e.g.

    @public_page(CONTENT_VERSION, slot="<app>.detail")
    @require_GET
    def detail(request, slug): ...

(`slot`: the page also shows the blocks other apps contribute there, so it depends on their
versions as well: `Contribution.content_version`.)

`AnonymousPageCacheMiddleware`, placed before the session middleware, answers such a request
from the cache when the visitor carries no cookie but the language and CSRF ones (no
session: nobody signed in, no message waiting), without running the session, CSRF,
authentication, message or locale middleware nor the view. A miss runs them all and stores
the answer only when it is an ordinary anonymous page: 200, no cookie set (a CSRF token or a
message would set one), nobody signed in, no `private`/`no-store`, no `Vary` on anything but
cookies, language and encoding. A change of content bumps a version, so the next request
builds the page again: nothing is deleted, nothing is stale. Signed-in visitors always get
their own page, never a cached one, and nothing of theirs is ever stored.

Cached pages carry an ETag (a revalidation gets 304) and are sent gzip-compressed to the
clients that accept it.
"""

import gzip
import hashlib
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import parse_etags

from . import contributions
from . import versions as content_versions
from .cached_documents import (
    GZIP_ETAG_SUFFIX,
    GZIP_LEVEL,
    accepts_gzip,
    document_cache,
    local_copies,
)
from .selectors import MAINTENANCE_CACHE_KEY, maintenance_enabled

logger = logging.getLogger(__name__)

ATTRIBUTE = "public_page_versions"
SLOT_ATTRIBUTE = "public_page_slots"
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


def _allowed_cookies() -> set[str]:
    return {settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME}


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
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return None
    names = getattr(view, ATTRIBUTE, None)
    if names is None:
        return None
    if content_versions.ALL in names:
        names = content_versions.watched()
    for slot in getattr(view, SLOT_ATTRIBUTE, ()):
        names += contributions.slot_versions(slot)
    return tuple(sorted(set(names)))


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


def _key(request, names: tuple[str, ...], current: dict[str, int]) -> str:
    language = translation.get_language_from_request(request)
    parts = (
        request.get_host(),  # validates the host, as CommonMiddleware would
        request.get_full_path(),
        language,
        timezone.localdate().isoformat(),
        content_versions.token(current),
        ",".join(names),
        repr([getattr(settings, name, None) for name in PAGE_SETTINGS]),
    )
    return "page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _cacheable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
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
        "body": body,
        "gzip": gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0),
        "etag": hashlib.sha256(body).hexdigest()[:24],
        "built": time.time(),
    }


def _size(entry: dict) -> int:
    return len(entry["body"]) + len(entry["gzip"])


def _not_modified(request, tag: str) -> bool:
    header = request.headers.get("If-None-Match")
    if not header:
        return False
    return any(
        candidate.removeprefix("W/").strip('"').removesuffix(GZIP_ETAG_SUFFIX) == tag
        for candidate in parse_etags(header)
    )


def _response(request, entry: dict) -> HttpResponse:
    gzip_ok = accepts_gzip(request)
    response: HttpResponse
    if _not_modified(request, entry["etag"]):
        response = HttpResponseNotModified()
    elif gzip_ok:
        response = HttpResponse(entry["gzip"])
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(entry["body"])
    for name, value in entry["headers"]:
        response[name] = value
    vary = [v.strip() for v in response.get("Vary", "").split(",") if v.strip()]
    for name in ("Cookie", "Accept-Language", "Accept-Encoding"):
        if name.lower() not in {v.lower() for v in vary}:
            vary.append(name)
    response["Vary"] = ", ".join(vary)
    response["ETag"] = f'"{entry["etag"]}{GZIP_ETAG_SUFFIX if gzip_ok else ""}"'
    # Browsers may keep it but must ask first; shared caches must not (it varies by visitor).
    response["Cache-Control"] = "private, no-cache"
    return response


class AnonymousPageCacheMiddleware:
    """Serve and store the anonymous answers of the views marked `public_page`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        names = _page_versions(request)
        if names is None:
            return self.get_response(request)
        current = _versions_unless_maintenance(names)
        if current is None:
            return self.get_response(request)
        key = _key(request, names, current)
        # The key names the versions: this process's copy of the entry is never stale.
        entry = local_copies.get(key)
        if entry is not None:
            return _response(request, entry)
        store = document_cache()
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
