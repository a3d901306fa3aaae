from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from charter.apps import CONTENT_VERSION as CHARTER_CONTENT_VERSION
from poles.apps import CONTENT_VERSION as POLES_CONTENT_VERSION
from ptce_portal.exports import content_disposition
from ptce_portal.page_cache import public_page
from ptce_portal.pagination import paginate
from ptce_portal.pdf import pdf_response
from ptce_portal.ratelimits import rate_limited

from .. import selectors, services
from ..apps import CONTENT_VERSION
from ..forms import RegistrationForm
from ..ics import event_ics
from ..models import Event, Registration

PUBLIC_PAGE_SIZE = 100


def _event_or_404(slug: str) -> Event:
    event = selectors.event_get(slug)
    if event is None:
        raise Http404(_("Cette journée n'existe pas."))
    return event


def _event_summary_or_404(slug: str) -> Event:
    event = selectors.event_summary_get(slug)
    if event is None:
        raise Http404(_("Cette journée n'existe pas."))
    return event


@public_page(CONTENT_VERSION)
def event_list(request):
    return render(request, "events/event_list.html", selectors.event_list())


@public_page(CONTENT_VERSION, CHARTER_CONTENT_VERSION, POLES_CONTENT_VERSION)
def event_detail(request, slug):
    event = _event_or_404(slug)
    signatures = selectors.charter_signatures_on(event)
    context = {
        "event": event,
        "parts": selectors.event_sessions_by_part(event),
        "speakers": selectors.event_speakers(event),
        "quotes": [q for q in selectors.event_quotes(event) if q.is_pull_quote],
        "poles": selectors.event_poles(event),
        "signatures": signatures,
        "signature_poles": (
            [selectors.signature_pole(s) for s in signatures] if signatures else []
        ),
        "public_count": selectors.public_participants(event).count()
        if event.accepts_registrations
        else 0,
    }
    return render(request, "events/event_detail.html", context)


@public_page(CONTENT_VERSION)
def person_detail(request, slug, person_slug):
    event = _event_or_404(slug)
    page = selectors.person_in_event(event, person_slug)
    if page is None:
        raise Http404(_("Cette personne n'est pas intervenue lors de cette journée."))
    return render(
        request,
        "events/person_detail.html",
        {
            "event": event,
            "page": page,
            "person": page.person,
            "other_events": selectors.person_other_events(page.person, event),
        },
    )


def event_ics_file(request, slug):
    """A day to come in one's calendar; a day gone has none (404)."""
    event = _event_summary_or_404(slug)
    if event.is_past:
        raise Http404(_("Cette journée est passée : elle n'a plus de fichier d'agenda."))
    response = HttpResponse(event_ics(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition(f"{event.slug}.ics")
    return response


def proceedings_pdf(request, slug):
    from ..pdf import proceedings_pdf as build

    event = _event_or_404(slug)
    if not event.sessions.all():
        raise Http404(_("Les actes de cette journée ne sont pas disponibles."))
    return pdf_response(build(event, request=request), f"actes-{event.slug}.pdf", inline=True)


@require_http_methods(["GET", "POST"])
def register(request, slug):
    event = _event_summary_or_404(slug)
    if not event.registration_is_open():
        return render(
            request, "events/registration_closed.html", {"event": event, "now": timezone.now()}
        )
    initial = {}
    if request.user.is_authenticated:
        initial = {
            "first_name": request.user.first_name,
            "last_name": request.user.last_name,
            "email": request.user.email,
        }
    form = RegistrationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Every try writes to the address typed: limited per client and per address.
        refused = rate_limited(request, "event_registration", key=data["email"].lower())
        if refused:
            return refused
        try:
            registration = services.registration_request(
                event=event,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                organisation=data["organisation"],
                pole=data["pole"],
                category=data["category"],
                accessibility_needs=data["accessibility_needs"],
                public_consent=data["public_consent"],
                user=request.user,
            )
        except services.RegistrationClosed:
            return render(
                request, "events/registration_closed.html", {"event": event, "now": timezone.now()}
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if registration is None:
                # The same answer whether the address was known or not: what happened is
                # written to the address only.
                return redirect("events:registration_sent", slug=event.slug)
            _registered_message(request, registration)
            return redirect(registration.get_manage_url())
    return render(request, "events/register.html", {"event": event, "form": form})


def _registered_message(request, registration: Registration) -> None:
    if registration.status == Registration.Status.CONFIRMED:
        messages.success(
            request,
            _("Votre inscription est confirmée. Un e-mail de confirmation vous a été envoyé."),
        )
    else:
        messages.warning(
            request,
            _(
                "La journée est complète : vous êtes sur la liste d'attente. Nous vous "
                "écrirons si une place se libère."
            ),
        )


def registration_sent(request, slug):
    event = _event_summary_or_404(slug)
    return render(request, "events/registration_sent.html", {"event": event})


def _registration_or_invalid(request, slug, token):
    registration = selectors.registration_by_token(slug, token)
    if registration is None:
        return None, render(request, "events/registration_invalid.html", {"slug": slug}, status=404)
    return registration, None


@require_http_methods(["GET", "POST"])
def registration_manage(request, slug, token):
    registration, invalid = _registration_or_invalid(request, slug, token)
    if invalid:
        return invalid
    if request.method == "POST":
        if request.POST.get("action") == "confirm":
            _confirm(request, registration)
        elif registration.event.is_past:
            messages.error(
                request, _("Cette journée est passée : l'inscription ne peut plus être annulée.")
            )
        elif registration.status == Registration.Status.CANCELLED:
            messages.info(request, _("Cette inscription était déjà annulée."))
        elif request.POST.get("confirmed") != "1":
            # One click never cancels: the page asks first (no JavaScript needed).
            return _render_manage(request, registration, confirm_cancel=True)
        elif registration.is_pending:
            services.registration_cancel(registration=registration)
            messages.success(request, _("La demande d'inscription est annulée."))
        else:
            services.registration_cancel(
                registration=registration, language=translation.get_language()
            )
            messages.success(
                request,
                _("Votre inscription est annulée. Un e-mail vous le confirme."),
            )
        return redirect(registration.get_manage_url())
    return _render_manage(request, registration)


def _render_manage(request, registration: Registration, *, confirm_cancel: bool = False):
    return render(
        request,
        "events/registration_manage.html",
        {
            "registration": registration,
            "event": registration.event,
            "expired": registration.is_expired(),
            "position": selectors.waiting_position(registration),
            "confirm_cancel": confirm_cancel,
        },
    )


def _confirm(request, registration: Registration) -> None:
    if not registration.is_pending:
        return  # confirmed already (a second click): the page shows the status
    try:
        services.registration_confirm(
            registration=registration, language=translation.get_language()
        )
    except services.RegistrationExpired:
        messages.error(
            request,
            _(
                "Le délai de confirmation est passé : cette demande ne compte plus. "
                "Inscrivez-vous à nouveau si la journée a encore des places."
            ),
        )
    except services.RegistrationClosed:
        messages.error(request, _("Les inscriptions à cette journée sont closes."))
    else:
        _registered_message(request, registration)


def public_participants(request, slug):
    event = _event_summary_or_404(slug)
    if not event.accepts_registrations:
        raise Http404
    page = paginate(request, selectors.public_participants(event), PUBLIC_PAGE_SIZE)
    return render(
        request,
        "events/public_participants.html",
        {"event": event, "page": page, "participants": page.object_list},
    )


# --- staff ------------------------------------------------------------------------------
