"""Staff pages of a national day: participants and check-in, certificates, messages to
registrants."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ptce_portal.exports import csv_response
from ptce_portal.mail import delivery_counts
from ptce_portal.pagination import paginate
from ptce_portal.pdf import pdf_response
from ptce_portal.permissions import staff_required
from ptce_portal.querystrings import querystring_without

from .. import selectors, services
from ..filters import RegistrationFilter
from ..forms import RegistrantsEmailForm
from ..models import Event, Registration

STAFF_PAGE_SIZE = 50


def _event_or_404(slug: str) -> Event:
    event = selectors.staff_event_get(slug)
    if event is None:
        raise Http404(_("Cette journée n'existe pas."))
    return event


def _registration_or_404(slug: str, pk: int) -> Registration:
    registration = selectors.staff_registration_get(slug=slug, pk=pk)
    if registration is None:
        raise Http404
    return registration


@staff_required
def staff_participants(request, slug):
    """The check-in list: 50 registrations a page, searchable; every link keeps the filters."""
    event = _event_or_404(slug)
    filterset = RegistrationFilter(request.GET, queryset=selectors.registrations_for_staff(event))
    page = paginate(request, filterset.qs, STAFF_PAGE_SIZE)
    return render(
        request,
        "events/staff/participants.html",
        {
            "event": event,
            "filter": filterset,
            "page": page,
            "registrations": page.object_list,
            "querystring": querystring_without(request, "page"),
            "counts": selectors.registration_counts(event),
        },
    )


@staff_required
def staff_participants_csv(request, slug):
    event = _event_or_404(slug)
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
    registration = _registration_or_404(slug, pk)
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
    from ..pdf import certificate_pdf

    registration = _registration_or_404(slug, pk)
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
    event = _event_or_404(slug)
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
