"""PDFs of the events app (WeasyPrint, A4): the proceedings of a day, attendance certificates.

Both are rendered from HTML templates and the same data as the web pages.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import selectors

PDF_CSS = "events/pdf/print.css"


def _render(template: str, context: dict, request=None) -> bytes:
    from weasyprint import HTML

    with translation.override("fr"):
        html = render_to_string(template, context)
    base_url = request.build_absolute_uri("/") if request is not None else settings.SITE_URL
    return HTML(string=html, base_url=base_url).write_pdf()


def proceedings_context(event) -> dict:
    signatures = selectors.charter_signatures_on(event)
    return {
        "event": event,
        "parts": selectors.event_sessions_by_part(event),
        "speakers": selectors.event_speakers(event),
        "poles": selectors.event_poles(event),
        "signature_poles": [selectors.signature_pole(s) for s in signatures or []],
        "generated_at": timezone.localtime(),
        "site_url": settings.SITE_URL,
    }


def proceedings_pdf(event, request=None) -> bytes:
    return _render("events/pdf/proceedings.html", proceedings_context(event), request)


def certificate_pdf(registration, request=None) -> bytes:
    context = {
        "registration": registration,
        "event": registration.event,
        "generated_at": timezone.localtime(),
        "site_url": settings.SITE_URL,
    }
    return _render("events/pdf/certificate.html", context, request)
