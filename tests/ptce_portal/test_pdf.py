import os
import shutil
import subprocess
import time

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.utils import translation

from ptce_portal.pdf import pdf_response, render_pdf

DOCUMENT = """{% load i18n %}<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>{{ title }}</title></head><body><h1>{{ title }}</h1>
<p>{% get_current_language as lang %}langue {{ lang }}</p></body></html>"""


@pytest.fixture
def document(settings, tmp_path):
    (tmp_path / "document.html").write_text(DOCUMENT, encoding="utf-8")
    settings.TEMPLATES = [
        {"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [tmp_path]}
    ]
    return "document.html"


def _text(pdf: bytes) -> str:
    result = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode("utf-8")


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_render_pdf_renders_the_template_in_the_requested_language(document):
    request = RequestFactory().get("/")
    pdf = render_pdf(
        document,
        {"title": "Journée « PTCE »"},
        request=request,
        stylesheets=["charter/charter-print.css"],
        language="fr",
    )
    assert pdf.startswith(b"%PDF-")
    text = _text(pdf)
    assert "Journée « PTCE »" in text and "langue fr" in text
    with translation.override("en"):
        assert "langue en" in _text(render_pdf(document, {"title": "x"}))


def test_a_missing_stylesheet_is_a_clear_error(document):
    with pytest.raises(ImproperlyConfigured, match="nothing/here.css"):
        render_pdf(document, {"title": "x"}, stylesheets=["nothing/here.css"])


def test_pdf_response_names_the_file_safely():
    response = pdf_response(b"%PDF-1.7", "actes-2014.pdf", inline=True)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="actes-2014.pdf"'
    assert response.content == b"%PDF-1.7"
    response = pdf_response(b"%PDF-1.7", 'charte "pôle".pdf')
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''charte%20%22p%C3%B4le%22.pdf"
    )


def test_pdfs_share_one_tls_context_per_process(document, monkeypatch):
    """WeasyPrint's fetcher would build a TLS context (the system's certificates loaded, about
    80 ms of CPU) for every document and stylesheet; the portal builds one per process."""
    import ssl

    render_pdf(document, {"title": "x"}, stylesheets=["charter/charter-print.css"])
    built = []
    original = ssl.SSLContext.load_default_certs  # what every new default context does

    def counted(self, *args, **kwargs):
        built.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(ssl.SSLContext, "load_default_certs", counted)
    for _ in range(2):
        assert render_pdf(document, {"title": "y"}, stylesheets=["charter/charter-print.css"])
    assert built == []


def test_the_cyclic_collector_is_paused_for_the_layout_and_back_after(document, monkeypatch):
    import gc

    from weasyprint import HTML

    seen = []
    real = HTML.write_pdf

    def write_pdf(self, *args, **kwargs):
        seen.append(gc.isenabled())
        return real(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "write_pdf", write_pdf)
    assert gc.isenabled()
    render_pdf(document, {"title": "x"})
    assert seen == [False] and gc.isenabled()
    gc.disable()  # whoever paused it before keeps it paused
    try:
        render_pdf(document, {"title": "x"})
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_print_stylesheet_is_parsed_once_and_again_when_it_changes(tmp_path, settings):
    from ptce_portal.pdf import _stylesheet

    (tmp_path / "doc").mkdir()
    sheet = tmp_path / "doc" / "doc-print.css"
    sheet.write_text("h1 { color: #06392e; }")
    settings.STATICFILES_DIRS = [tmp_path]
    first = _stylesheet("doc/doc-print.css")
    assert _stylesheet("doc/doc-print.css") is first
    sheet.write_text("h1 { color: #b8430f; }")
    os.utime(sheet, ns=(time.time_ns(), time.time_ns() + 10**9))
    assert _stylesheet("doc/doc-print.css") is not first
