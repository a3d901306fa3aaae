"""PDFs of the events app (WeasyPrint, A4): the proceedings of a day, attendance certificates.

Both are rendered from HTML templates and the same data as the web pages.
"""

from django.conf import settings
from django.utils import timezone

from ptce_portal.pdf import render_pdf

from . import selectors


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
    return render_pdf(
        "events/pdf/proceedings.html", proceedings_context(event), request=request, language="fr"
    )


def certificate_pdf(registration, request=None) -> bytes:
    context = {
        "registration": registration,
        "event": registration.event,
        "generated_at": timezone.localtime(),
        "site_url": settings.SITE_URL,
    }
    return render_pdf("events/pdf/certificate.html", context, request=request, language="fr")
