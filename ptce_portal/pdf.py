"""A4 PDFs rendered from HTML templates with WeasyPrint, for every app.

Each app keeps its templates and print stylesheets; this module only turns them into PDF
bytes and into a download.
"""

import functools
import gc
import hashlib
import logging
import os
import ssl
import time
from collections.abc import Callable
from contextlib import contextmanager, nullcontext

from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

from .cached_documents import document_cache
from .exports import content_disposition
from .site import site_url

logger = logging.getLogger(__name__)


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One TLS context per process: WeasyPrint's fetcher otherwise builds one for each document
    and stylesheet (loading the system's certificates: about 80 ms of CPU per PDF)."""
    return ssl.create_default_context()


def _url_fetcher():
    from weasyprint.urls import URLFetcher

    return URLFetcher(ssl_context=_ssl_context())


def _stylesheet(path: str):
    filename = finders.find(path)
    if filename is None:
        raise ImproperlyConfigured(f"Print stylesheet not found in the static files: {path}")
    return _parsed_stylesheet(filename, os.stat(filename).st_mtime_ns)


@functools.lru_cache(maxsize=32)
def _parsed_stylesheet(filename: str, mtime_ns: int):
    """A print stylesheet parsed once per process (and again when the file changes): WeasyPrint
    reuses a CSS object across documents."""
    from weasyprint import CSS

    return CSS(filename=filename, url_fetcher=_url_fetcher())


@contextmanager
def _cyclic_gc_paused():
    """WeasyPrint builds a tree of boxes that lives until the document is written: the cyclic
    garbage collector's passes during the layout walk it (and the whole process's heap) again
    and again with nothing to free, about a sixth of a first render's CPU. Paused for the
    render; the first collection after it frees the document's cycles. Nested or concurrent
    renders (threads of a development server) leave the collector as the first one found it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def render_pdf(
    template_name: str,
    context: dict,
    *,
    request=None,
    stylesheets: tuple[str, ...] | list[str] = (),
    language: str | None = None,
) -> bytes:
    """Render `template_name` with `context` (no context processors) to PDF bytes.

    `stylesheets` are static paths (e.g. "<app>/<app>-print.css") added to the document's
    own styles; `language` forces the language of the document (None: the active one).
    Relative URLs resolve against SITE_URL (ptce_portal.site), whatever host the request
    came by: a PDF rendered without a request (at publication) is the one a visitor gets.
    """
    html = render_pdf_html(template_name, context, language)
    return _html_to_pdf(html, _base_url(request), stylesheets)


def render_pdf_html(template_name: str, context: dict, language: str | None = None) -> str:
    """The HTML a PDF is made from (e.g. to fingerprint it)."""
    with translation.override(language) if language else nullcontext():
        return render_to_string(template_name, context)


def _base_url(request=None) -> str:
    """Where relative URLs resolve: the portal's address (ptce_portal.site), never the host a
    request came by, so the cache key of a document is the same with or without a request."""
    return site_url() + "/"


def _html_to_pdf(html: str, base_url: str, stylesheets) -> bytes:
    from weasyprint import HTML  # heavy import, only when a PDF is made

    sheets = [_stylesheet(path) for path in stylesheets]
    with _cyclic_gc_paused():
        return HTML(string=html, base_url=base_url, url_fetcher=_url_fetcher()).write_pdf(
            stylesheets=sheets,
            custom_metadata=True,
            # Tagged PDF (PDF/UA-1): screen readers follow the structure; the document's
            # language and title come from the template's <html lang> and <title>.
            pdf_variant=PDF_VARIANT,
            pdf_tags=True,
        )


# Part of every cache key: a change of how PDFs are made makes new documents.
PDF_VARIANT = "pdf/ua-1"


# --- Cached PDFs of documents that can no longer change ----------------------------------

PDF_CACHE_TIMEOUT = 60 * 60 * 24 * 30  # seconds; entries are keyed by content, so long is safe


def pdf_cache_key(
    template_name: str,
    key_parts: tuple,
    *,
    request=None,
    stylesheets: tuple[str, ...] | list[str] = (),
    language: str | None = None,
    html: str | None = None,
) -> str:
    """The cache key of a PDF: the template, its stylesheets, the language, the site the
    relative URLs resolve against, the caller's `key_parts` (what identifies the document and
    its state, e.g. a pk and a status date) and, when given, a digest of the rendered HTML."""
    parts = [
        PDF_VARIANT,
        template_name,
        tuple(stylesheets),
        language or translation.get_language(),
        _base_url(request),
        tuple(str(part) for part in key_parts),
    ]
    if html is not None:
        parts.append(hashlib.sha256(html.encode()).hexdigest())
    return "pdf:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def render_pdf_cached(
    template_name: str,
    context: dict | Callable[[], dict],
    *,
    key_parts: tuple,
    request=None,
    stylesheets: tuple[str, ...] | list[str] = (),
    language: str | None = None,
    fingerprint_html: bool = False,
    stamp: dict | None = None,
    timeout: int = PDF_CACHE_TIMEOUT,
) -> bytes:
    """`render_pdf`, served from the documents cache (settings.CACHES["documents"], shared by
    every process) after the first rendering.

    Only for documents whose content can no longer change for the given `key_parts` (a closed
    assessment with its closing date, a validated signature with its status and date), or
    with `fingerprint_html=True`: the template is rendered on every call (cheap) and a digest
    of the HTML joins the key, so any change to what the document shows makes a new PDF
    (WeasyPrint's layout, the costly part, is what is saved). `stamp` holds what the rendered
    document adds to the context and its fingerprint leaves out (the date it was produced on),
    so that a document rendered at publication is still the one served the next days.
    `context` may be a callable, called only when it is needed. Check permissions *before*
    calling this.
    """
    html = None
    if fingerprint_html:
        context = _values(context)
        html = render_pdf_html(template_name, context, language)
    key = pdf_cache_key(
        template_name,
        key_parts,
        request=request,
        stylesheets=stylesheets,
        language=language,
        html=html,
    )
    # The documents' alias: PDFs never push out rate limits or used second-factor codes.
    try:
        pdf = document_cache().get(key)
    except Exception:  # a cache server that is down must not stop the document
        logger.exception("PDF cache unavailable (get)")
        pdf = None
    if isinstance(pdf, bytes):
        return pdf
    if html is None or stamp:
        html = render_pdf_html(template_name, {**_values(context), **(stamp or {})}, language)
    started = time.monotonic()
    pdf = _html_to_pdf(html, _base_url(request), stylesheets)
    logger.info(
        "PDF rendered: %s, %d bytes in %.0f ms",
        template_name,
        len(pdf),
        (time.monotonic() - started) * 1000,
    )
    try:
        document_cache().set(key, pdf, timeout)
    except Exception:
        logger.exception("PDF cache unavailable (set)")
    return pdf


def _values(context: dict | Callable[[], dict]) -> dict:
    return context() if callable(context) else context


class _Warmup:
    """A document to render once the transaction commits (see `render_after_commit`)."""

    def __init__(self, name: str, render: Callable[[], object]):
        self.name = name
        self.render = render

    def __call__(self) -> None:
        started = time.process_time()
        try:
            self.render()
        except Exception:  # the first visitor renders it then: never fail what was committed
            logger.exception("PDF warm-up failed: %s", self.name)
            return
        logger.info(
            "PDF warm-up: %s in %.0f ms of CPU", self.name, (time.process_time() - started) * 1000
        )


def render_after_commit(name: str, render: Callable[[], object]) -> None:
    """Call `render` (which renders PDFs into the documents cache, e.g. `render_pdf_cached`)
    once the current transaction commits, so that the first visitor gets the documents from
    the cache: the deferred work of the mail outbox's delivery, `transaction.on_commit`, in
    the process that made the change. Once per `name` and transaction, however many rows
    the transaction changed; nothing when it rolls back; outside a transaction (the shell,
    a script writing row by row), nothing: the first request renders the document. A failure
    is logged, never raised."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return
    for _savepoints, callback, _robust in connection.run_on_commit:
        if isinstance(callback, _Warmup) and callback.name == name:
            return
    transaction.on_commit(_Warmup(name, render), robust=True)


def pdf_response(pdf_bytes: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    """The PDF as a download (or shown in the browser with `inline=True`)."""
    response = HttpResponse(pdf_bytes, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    return response
