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
import time
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


def accepts_gzip(request) -> bool:
    return bool(_ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))


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
    """(gzip-compressed body, content type) from the cache, or built (by one process at a
    time: the others wait for its result rather than build the same document again)."""
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
