"""A4 PDFs rendered from HTML templates with WeasyPrint, for every app.

Each app keeps its templates and print stylesheets; this module only turns them into PDF
bytes and into a download.
"""

from contextlib import nullcontext

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

from .exports import content_disposition


def _stylesheet(path: str):
    from weasyprint import CSS

    filename = finders.find(path)
    if filename is None:
        raise ImproperlyConfigured(f"Print stylesheet not found in the static files: {path}")
    return CSS(filename=filename)


def render_pdf(
    template_name: str,
    context: dict,
    *,
    request=None,
    stylesheets: tuple[str, ...] | list[str] = (),
    language: str | None = None,
) -> bytes:
    """Render `template_name` with `context` (no context processors) to PDF bytes.

    `stylesheets` are static paths (e.g. "charter/charter-print.css") added to the document's
    own styles; `language` forces the language of the document (None: the active one).
    Relative URLs resolve against the current site (or SITE_URL outside a request).
    """
    from weasyprint import HTML  # heavy import, only when a PDF is made

    with translation.override(language) if language else nullcontext():
        html = render_to_string(template_name, context)
    base_url = request.build_absolute_uri("/") if request is not None else settings.SITE_URL
    return HTML(string=html, base_url=base_url).write_pdf(
        stylesheets=[_stylesheet(path) for path in stylesheets],
        custom_metadata=True,
    )


def pdf_response(pdf_bytes: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    """The PDF as a download (or shown in the browser with `inline=True`)."""
    response = HttpResponse(pdf_bytes, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    return response
