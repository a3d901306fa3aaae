from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ptce_portal.exports import content_disposition, csv_response
from ptce_portal.mail import delivery_counts
from ptce_portal.pdf import pdf_response
from ptce_portal.permissions import staff_required
from ptce_portal.querystrings import querystring_without
from ptce_portal.ratelimits import rate_limited

from . import selectors, services
from .filters import RegistrationFilter
from .forms import RegistrantsEmailForm, RegistrationForm
from .ics import event_ics
from .models import Event, Registration


def _event_or_404(slug: str) -> Event:
    event = selectors.event_get(slug)
    if event is None:
        raise Http404(_("Cette journée n'existe pas."))
    return event


def event_list(request):
    return render(request, "events/event_list.html", selectors.event_list())


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
    event = get_object_or_404(selectors.published_events(), slug=slug)
    response = HttpResponse(event_ics(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition(f"{event.slug}.ics")
    return response


def proceedings_pdf(request, slug):
    from .pdf import proceedings_pdf as build

    event = _event_or_404(slug)
    if not event.sessions.all():
        raise Http404(_("Les actes de cette journée ne sont pas disponibles."))
    return pdf_response(build(event, request=request), f"actes-{event.slug}.pdf", inline=True)


@require_http_methods(["GET", "POST"])
def register(request, slug):
    event = get_object_or_404(selectors.published_events(), slug=slug)
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
    event = get_object_or_404(selectors.published_events(), slug=slug)
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
    return render(
        request,
        "events/registration_manage.html",
        {
            "registration": registration,
            "event": registration.event,
            "expired": registration.is_expired(),
            "position": selectors.waiting_position(registration),
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
    event = get_object_or_404(selectors.published_events(), slug=slug)
    if not event.accepts_registrations:
        raise Http404
    return render(
        request,
        "events/public_participants.html",
        {"event": event, "participants": selectors.public_participants(event)},
    )


# --- staff ------------------------------------------------------------------------------


STAFF_PAGE_SIZE = 50


@staff_required
def staff_participants(request, slug):
    """The check-in list: 50 registrations a page, searchable; every link keeps the filters."""
    event = get_object_or_404(Event, slug=slug)
    filterset = RegistrationFilter(request.GET, queryset=selectors.registrations_for_staff(event))
    paginator = Paginator(filterset.qs, STAFF_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))  # malformed or out of range: a real page
    querystring = querystring_without(request, "page")
    return render(
        request,
        "events/staff/participants.html",
        {
            "event": event,
            "filter": filterset,
            "page": page,
            "registrations": page.object_list,
            "page_range": list(
                paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
            ),
            "ellipsis": Paginator.ELLIPSIS,
            "querystring": querystring,
            "counts": selectors.registration_counts(event),
        },
    )


@staff_required
def staff_participants_csv(request, slug):
    event = get_object_or_404(Event, slug=slug)
    filterset = RegistrationFilter(request.GET, queryset=selectors.registrations_for_staff(event))
    header = [
        _("Prénom"),
        _("Nom"),
        _("E-mail"),
        _("Organisation"),
        _("Pôle"),
        _("Catégorie"),
        _("Statut"),
        _("Inscrit·e le"),
        _("Présence"),
        _("Besoins d'accessibilité"),
        _("Liste publique"),
    ]
    rows = (
        [
            r.first_name,
            r.last_name,
            r.email,
            r.organisation,
            r.pole.name if r.pole else "",
            r.get_category_display(),
            r.get_status_display(),
            timezone.localtime(r.created_at).strftime("%d/%m/%Y %H:%M"),
            timezone.localtime(r.checked_in_at).strftime("%d/%m/%Y %H:%M")
            if r.checked_in_at
            else "",
            r.accessibility_needs,
            _("oui") if r.public_consent else _("non"),
        ]
        for r in filterset.qs
    )
    return csv_response(f"participants-{event.slug}.csv", header, rows)


@staff_required
@require_POST
def staff_check_in(request, slug, pk):
    registration = get_object_or_404(Registration, pk=pk, event__slug=slug)
    undo = request.POST.get("undo") == "1"
    try:
        services.registration_check_in(registration=registration, undo=undo)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if undo:
            messages.info(
                request, _("Présence retirée : %(name)s.") % {"name": registration.full_name}
            )
        else:
            messages.success(
                request, _("Présence pointée : %(name)s.") % {"name": registration.full_name}
            )
    back = request.POST.get("next", "")
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect("events:staff_participants", slug=slug)


@staff_required
def staff_certificate(request, slug, pk):
    from .pdf import certificate_pdf

    registration = get_object_or_404(
        Registration.objects.select_related("event"), pk=pk, event__slug=slug
    )
    if not registration.checked_in_at:
        raise Http404(_("Pas d'attestation : la présence de cette personne n'a pas été pointée."))
    return pdf_response(
        certificate_pdf(registration, request=request),
        f"attestation-{registration.event.slug}-{registration.pk}.pdf",
        inline=True,
    )


def _report_delivery(request, counts) -> None:
    """Exactly what happened to the messages: never « envoyé » for a failed one."""
    if not counts.total:
        messages.warning(request, _("Aucune personne dans ce groupe : aucun message envoyé."))
    elif counts.sent == counts.total:
        messages.success(
            request, _("Message envoyé à %(count)s personne(s).") % {"count": counts.sent}
        )
    else:
        messages.warning(
            request,
            _(
                "Message mis en file d'envoi pour %(total)s personne(s) : %(sent)s envoyé(s), "
                "%(failed)s en échec (nouvel essai automatique), %(pending)s en attente d'envoi."
            )
            % {
                "total": counts.total,
                "sent": counts.sent,
                "failed": counts.failed,
                "pending": counts.pending,
            },
        )


@staff_required
@require_http_methods(["GET", "POST"])
def staff_email(request, slug):
    event = get_object_or_404(Event, slug=slug)
    form = RegistrantsEmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        queued = services.registrants_email(
            event=event,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            statuses=form.cleaned_data["statuses"],
            sent_by=request.user.email,
        )
        # Committed by now: the delivery of each message has been tried.
        _report_delivery(request, delivery_counts(queued))
        return redirect("events:staff_participants", slug=slug)
    return render(
        request,
        "events/staff/email.html",
        {"event": event, "form": form, "counts": selectors.registration_counts(event)},
    )
