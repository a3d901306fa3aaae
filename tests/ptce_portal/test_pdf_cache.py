"""render_pdf_cached: one rendering per document state, served from the documents cache after."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory, override_settings

from ptce_portal.cached_documents import document_cache
from ptce_portal.pdf import pdf_cache_key, render_pdf_cached

from .test_pdf import document  # noqa: F401 (fixture)

SENTINEL = b"%PDF-1.7 served from the cache, not rendered"


def test_second_call_is_a_cache_hit_without_building_the_context(document, caplog):  # noqa: F811
    calls = []

    def context():
        calls.append(1)
        return {"title": "Rapport clôturé"}

    caplog.set_level("INFO", logger="ptce_portal.pdf")
    first = render_pdf_cached(document, context, key_parts=("doc", 1), language="fr")
    assert first.startswith(b"%PDF-") and calls == [1]
    assert caplog.text.count("PDF rendered") == 1  # make scale-check counts these lines
    key = pdf_cache_key(document, ("doc", 1), language="fr")
    # In the documents' own alias: PDFs never push out rate limits or used TOTP codes.
    assert document_cache().get(key) == first
    assert cache.get(key) is None
    document_cache().set(key, SENTINEL)
    assert render_pdf_cached(document, context, key_parts=("doc", 1), language="fr") == SENTINEL
    assert calls == [1]


def test_the_key_holds_parts_language_site_and_stylesheets(document, settings):  # noqa: F811
    base = pdf_cache_key(document, ("doc", 1), language="fr")
    assert base == pdf_cache_key(document, ("doc", 1), language="fr")
    # Relative URLs resolve against SITE_URL, whatever host a request came by: a document
    # rendered without a request (at publication) is the one a visitor's request finds.
    request = RequestFactory().get("/", HTTP_HOST="autre-nom.example")
    assert pdf_cache_key(document, ("doc", 1), language="fr", request=request) == base
    others = {
        pdf_cache_key(document, ("doc", 2), language="fr"),
        pdf_cache_key(document, ("doc", 1, "2026-11-26"), language="fr"),
        pdf_cache_key(document, ("doc", 1), language="en"),
        pdf_cache_key(document, ("doc", 1), language="fr", stylesheets=["a.css"]),
        pdf_cache_key(document, ("doc", 1), language="fr", html="<p>x</p>"),
    }
    settings.SITE_URL = "https://portail-ptce.example"
    others.add(pdf_cache_key(document, ("doc", 1), language="fr"))
    assert base not in others and len(others) == 6


def test_fingerprint_html_makes_a_new_pdf_when_what_it_shows_changes(document):  # noqa: F811
    def render(title):
        return render_pdf_cached(
            document, {"title": title}, key_parts=("doc", 1), fingerprint_html=True
        )

    first = render("Actes")
    assert render("Actes") == first
    edited = render("Actes corrigés")
    assert edited != first and edited.startswith(b"%PDF-")


def test_a_cache_that_fails_does_not_stop_the_document(document, tmp_path):  # noqa: F811
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    broken = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(not_a_dir / "cache"),  # cannot be created: every use raises OSError
        }
    }
    with override_settings(CACHES=broken):
        with pytest.raises(OSError):
            cache.get("anything")
        pdf = render_pdf_cached(document, {"title": "x"}, key_parts=("doc", 1))
    assert pdf.startswith(b"%PDF-")
