"""Documents built from public content (open data files, the map's points), built once per
content version, kept compressed in the shared cache, revalidated with ETag and
Last-Modified, and sent gzip-compressed to the clients that accept it.

    return versioned_document(
        request,
        key="<app>.geojson?" + query,  # what the document is, filters included
        versions=("<app>",),  # what it is built from (ptce_portal.versions)
        build=lambda: (body_bytes, "application/geo+json; charset=utf-8"),
    )

The version of the content is known before anything is built: a revalidation whose ETag or
date still holds is answered 304 without a query, and a warm request costs one cache read.
"""

import gzip
import hashlib
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import parse_etags
from django.utils.http import http_date, parse_http_date_safe

from . import versions as content_versions

logger = logging.getLogger(__name__)

TIMEOUT = 60 * 60 * 24  # seconds; entries are keyed by version, so they are never stale
BUILD_LOCK_TIMEOUT = 120
BUILD_WAIT = 20  # seconds a request waits for another process that builds the same document
GZIP_LEVEL = 6  # level 9 saves about 2 % more for twice the time
GZIP_ETAG_SUFFIX = "-gzip"
_ACCEPTS_GZIP = re.compile(r"\bgzip\b(?!\s*;\s*q=0(?:\.0*)?\s*(?:,|$))")


def document_cache():
    """The cache of large documents (open data, PDFs): its own alias (portal/settings.py puts
    it in PostgreSQL in production), so that they never push out small keys such as rate
    limits; the default cache when a configuration has no such alias."""
    return caches["documents" if "documents" in settings.CACHES else "default"]


class LocalCopies:
    """This process's copies of entries whose key names the content versions they were built
    from (a page or a document under its versions' token): such an entry never changes, so a
    copy kept here is never stale, and a hit costs no round trip to the shared cache (with
    PostgreSQL's cache table, one query less per page). Bounded in bytes (least recently used
    out first) and in time (the entry's own timeout: what depends on the hour still expires).
    """

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, tuple[float, int, object]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()  # runserver's threads

    def get(self, key: str):
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            expires, size, value = found
            if expires < time.monotonic():
                del self._entries[key]
                self._size -= size
                return None
            self._entries.move_to_end(key)
            return value

    def set(self, key: str, value, size: int, timeout: float) -> None:
        if size > self.max_bytes // 4:  # one huge file must not empty the others' room
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= old[1]
            self._entries[key] = (time.monotonic() + timeout, size, value)
            self._size += size
            while self._size > self.max_bytes and self._entries:
                _key, (_expires, dropped, _value) = self._entries.popitem(last=False)
                self._size -= dropped

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._size = 0


# Per process (each gunicorn worker); DOCUMENT_LOCAL_COPIES_MB=0 turns them off.
local_copies = LocalCopies(int(getattr(settings, "DOCUMENT_LOCAL_COPIES_MB", 32)) * 2**20)


def accepts_gzip(request) -> bool:
    # META, not `request.headers`: that one is built from every header on first use.
    return bool(_ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def _entity_tag(key: str, token: str) -> str:
    return hashlib.sha256(f"{key}\n{token}".encode()).hexdigest()[:24]


def _not_modified(request, tag: str, modified: float) -> bool:
    """RFC 9110 §13.2.2: If-None-Match first (weak comparison, either encoding's tag);
    If-Modified-Since only without it."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match:
        if if_none_match.strip() == "*":
            return True
        for candidate in parse_etags(if_none_match):
            candidate = candidate.removeprefix("W/").strip('"').removesuffix(GZIP_ETAG_SUFFIX)
            if candidate == tag:
                return True
        return False
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and int(modified) <= since


def _cached_or_built(store, storage_key: str, build) -> tuple[bytes, str]:
    """(gzip-compressed body, content type) from this process's copies, the shared cache, or
    built (by one process at a time: the others wait for its result rather than build the
    same document again)."""
    entry = local_copies.get(storage_key)
    if entry is not None:
        return entry
    entry = _get(store, storage_key)
    if entry is None:
        lock = storage_key + ":building"
        if not _add(store, lock):
            deadline = time.monotonic() + BUILD_WAIT
            while entry is None and time.monotonic() < deadline:
                time.sleep(0.05)
                entry = _get(store, storage_key)
        if entry is None:
            try:
                body, content_type = build()
                entry = (gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0), content_type)
                try:
                    store.set(storage_key, entry, TIMEOUT)
                except Exception:
                    logger.exception("Document cache unavailable (set)")
            finally:
                try:
                    store.delete(lock)
                except Exception:
                    logger.exception("Document cache unavailable (unlock)")
    local_copies.set(storage_key, entry, len(entry[0]), TIMEOUT)
    return entry


def _get(store, key):
    try:
        return store.get(key)
    except Exception:
        logger.exception("Document cache unavailable (get)")
        return None


def _add(store, key) -> bool:
    try:
        return store.add(key, 1, BUILD_LOCK_TIMEOUT)
    except Exception:
        return True  # no cache: build here


def versioned_document(
    request,
    *,
    key: str,
    versions: Iterable[str],
    build: Callable[[], tuple[bytes, str]],
    headers: dict | None = None,
) -> HttpResponse:
    """The document `key` as of the current `versions`, built by `build()` -> (body bytes,
    content type) when no process has built it yet for those versions."""
    current = content_versions.current(*versions)
    token = content_versions.token(current)
    modified = content_versions.last_modified(current).timestamp()
    tag = _entity_tag(key, token)
    common = {
        "Last-Modified": http_date(modified),
        # Caches may keep it but must ask first: the next request after an edit gets the edit.
        "Cache-Control": "public, no-cache",
        "Vary": "Accept-Encoding",
        **(headers or {}),
    }
    gzip_ok = accepts_gzip(request)
    etag = f'"{tag}{GZIP_ETAG_SUFFIX if gzip_ok else ""}"'
    if _not_modified(request, tag, modified):
        response = HttpResponseNotModified()
    else:
        storage_key = f"document:{tag}"
        compressed, content_type = _cached_or_built(document_cache(), storage_key, build)
        if gzip_ok:
            response = HttpResponse(compressed, content_type=content_type)
            response["Content-Encoding"] = "gzip"
        else:
            response = HttpResponse(gzip.decompress(compressed), content_type=content_type)
    response["ETag"] = etag
    for name, value in common.items():
        response[name] = value
    return response
