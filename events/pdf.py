"""PDFs of the events app (WeasyPrint, A4): the proceedings of a day, attendance certificates.

Both are rendered from HTML templates and the same data as the web pages.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from ptce_portal.pdf import (
    pdf_cache_key,
    render_after_commit,
    render_pdf,
    render_pdf_cached,
    render_pdf_html,
)
from ptce_portal.site import site_url

from . import selectors


def proceedings_context(event) -> dict:
    """What the proceedings show; the date they are produced on is `proceedings_stamp`'s."""
    signatures = selectors.charter_signatures_on(event)
    return {
        "event": event,
        "parts": selectors.event_sessions_by_part(event),
        "speakers": selectors.event_speakers(event),
        "poles": selectors.event_poles(event),
        "signature_poles": [selectors.signature_pole(s) for s in signatures or []],
        "site_url": site_url(),
    }


def proceedings_stamp() -> dict:
    return {"generated_at": timezone.localtime()}


PROCEEDINGS_TEMPLATE = "events/pdf/proceedings.html"


def proceedings_pdf(event, request=None) -> bytes:
    """The proceedings; those of a past day come from the cache once rendered.

    What they show spans the day, its sessions, people, quotes, poles and signatures, so the
    cache key holds a digest of the rendered HTML: any edit in the admin makes a new PDF. The
    "produced on" date is left out of that digest: a PDF rendered when the day's content
    changed (`proceedings_render_after_commit`) is served until it changes again.
    """
    if not event.is_past:
        return render_pdf(
            PROCEEDINGS_TEMPLATE,
            {**proceedings_context(event), **proceedings_stamp()},
            request=request,
            language="fr",
        )
    return render_pdf_cached(
        PROCEEDINGS_TEMPLATE,
        proceedings_context(event),
        key_parts=("events.proceedings", event.pk),
        request=request,
        language="fr",
        fingerprint_html=True,
        stamp=proceedings_stamp(),
    )


def proceedings_render_all() -> int:
    """Render the proceedings of every published past day with a programme into the documents
    cache (those already there cost a template rendering); how many days they are."""
    slugs = selectors.past_days_with_proceedings()
    for slug in slugs:
        event = selectors.event_get(slug)
        if event is not None:
            proceedings_pdf(event)
    return len(slugs)


def proceedings_render_after_commit(**kwargs) -> None:
    """A receiver: what the proceedings show changed, render them when it is committed, so
    that the first visitor gets them from the cache (ptce_portal.pdf.render_after_commit)."""
    render_after_commit("events.proceedings", proceedings_render_all)


def watch_proceedings() -> None:
    """Render the proceedings again after a change of what they show, made in the admin or by
    a service: a day, its organisers, sessions, speakers, interventions, quotes, people and
    organisations (not the registrations: the proceedings print no participant)."""
    from .models import (
        Event,
        EventOrganisation,
        Intervention,
        Organisation,
        Person,
        Quote,
        Session,
        SessionSpeaker,
    )

    models = (Event, EventOrganisation, Organisation, Person, Session, SessionSpeaker)
    for model in (*models, Intervention, Quote):
        uid = f"events.proceedings:{model._meta.label}"
        post_save.connect(proceedings_render_after_commit, sender=model, dispatch_uid=uid)
        post_delete.connect(proceedings_render_after_commit, sender=model, dispatch_uid=uid)
    m2m_changed.connect(
        proceedings_render_after_commit,
        sender=Session.poles.through,
        dispatch_uid="events.proceedings:Session.poles",
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
