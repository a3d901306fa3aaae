"""PDFs of the events app (WeasyPrint, A4): the proceedings of a day, attendance certificates.

Both are rendered from HTML templates and the same data as the web pages.
"""

from django.utils import timezone

from ptce_portal.pdf import pdf_cache_key, render_pdf, render_pdf_cached, render_pdf_html
from ptce_portal.site import site_url

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
        "site_url": site_url(),
    }


PROCEEDINGS_TEMPLATE = "events/pdf/proceedings.html"


def proceedings_pdf(event, request=None) -> bytes:
    """The proceedings; those of a past day come from the cache once rendered.

    What they show spans the day, its sessions, people, quotes, poles and signatures, so the
    cache key holds a digest of the rendered HTML: any edit in the admin makes a new PDF
    (and so does the "produced on" date, at most once a day).
    """
    if not event.is_past:
        return render_pdf(
            PROCEEDINGS_TEMPLATE, proceedings_context(event), request=request, language="fr"
        )
    return render_pdf_cached(
        PROCEEDINGS_TEMPLATE,
        proceedings_context(event),
        key_parts=("events.proceedings", event.pk),
        request=request,
        language="fr",
        fingerprint_html=True,
    )


def proceedings_cache_key(event, request=None) -> str:
    """The cache key under which the proceedings of this (past) day are kept right now."""
    html = render_pdf_html(PROCEEDINGS_TEMPLATE, proceedings_context(event), "fr")
    return pdf_cache_key(
        PROCEEDINGS_TEMPLATE,
        ("events.proceedings", event.pk),
        request=request,
        language="fr",
        html=html,
    )


def certificate_pdf(registration, request=None) -> bytes:
    context = {
        "registration": registration,
        "event": registration.event,
        "generated_at": timezone.localtime(),
        "site_url": site_url(),
    }
    return render_pdf("events/pdf/certificate.html", context, request=request, language="fr")
