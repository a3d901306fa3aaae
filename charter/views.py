from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from poles import selectors as pole_selectors
from poles import services as pole_services
from ptce_portal.exports import csv_response
from ptce_portal.page_cache import public_page
from ptce_portal.pagination import paginate
from ptce_portal.pdf import pdf_response
from ptce_portal.permissions import staff_required
from ptce_portal.personal_data import verified_emails
from ptce_portal.site import absolute_url

from . import permissions, selectors, services
from .apps import CONTENT_VERSION, POLES_CONTENT_VERSION
from .filters import SignatoryFilter
from .forms import RefusalForm, SignatureForm, WithdrawalForm
from .models import Signature


def _signature_or_404(code: str) -> Signature:
    signature = selectors.signature_by_code(code)
    if signature is None:
        raise Http404
    return signature


# --- Reading ----------------------------------------------------------------------------


@public_page(CONTENT_VERSION)
def charter_current(request):
    version = selectors.current_version()
    if version is None:
        raise Http404
    return _render_version(request, version, is_current=True)


@public_page(CONTENT_VERSION)
def charter_version(request, number: int):
    version = selectors.published_version(number)
    if version is None:
        raise Http404
    if version.is_current:
        return redirect("charter:current")
    return _render_version(request, version, is_current=False)


def _render_version(request, version, *, is_current: bool):
    return render(
        request,
        "charter/charter.html",
        {
            "version": version,
            "is_current": is_current,
            "versions": selectors.published_versions(),
            "signatory_count": selectors.signatory_count(),
        },
    )


# --- Signing ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def sign(request):
    version = selectors.current_version()
    if version is None:
        raise Http404
    emails = set(verified_emails(request.user, with_login=False))
    if not emails:
        return render(request, "charter/sign_unverified.html", status=403)

    poles = list(pole_selectors.poles_signable_by(request.user).order_by("name"))
    existing = {
        s.pole_id: s
        for s in Signature.objects.filter(
            pole__in=poles, version=version, status__in=Signature.ACTIVE_STATUSES
        ).select_related("pole")
    }
    own_pending = list(
        Signature.objects.filter(
            signer=request.user, version=version, status__in=Signature.ACTIVE_STATUSES
        )
        .exclude(pole__in=poles)
        .select_related("pole")
    )
    available = [pole for pole in poles if pole.pk not in existing]
    # What is known is not asked again: the account's names and address, and the page of the
    # pole chosen (the only pole left to sign for, or the one of the link followed).
    initial = {
        "representative_last_name": request.user.last_name,
        "representative_first_name": request.user.first_name,
        "representative_email": request.user.email,
    }
    chosen = {str(p.pk): p for p in available}.get(request.GET.get("pole", ""))
    if chosen is None and len(available) == 1:
        chosen = available[0]
    if chosen is not None:
        initial.update(
            pole=str(chosen.pk),
            pole_address=chosen.address,
            pole_postcode=chosen.postcode,
            pole_town=chosen.town,
            pole_website=chosen.website,
            place=chosen.town,
        )
    form = SignatureForm(
        request.POST or None,
        poles=poles,
        emails=emails,
        version=version,
        signed_pole_ids=set(existing),
        initial=initial,
    )
    context = {
        "version": version,
        "form": form,
        "existing": list(existing.values()) + own_pending,
        "available": available,
        "coordinates_any_pole": bool(poles),
    }
    if request.method == "GET" or request.POST.get("action") == "edit":
        if request.method == "POST":
            form.errors.clear()  # back from the preview: show the filled form, no errors
        return render(request, "charter/sign.html", context)

    if not form.is_valid():
        return render(request, "charter/sign.html", context, status=422)
    pole = form.cleaned_data["pole_object"]
    if pole is not None and pole.pk in existing:
        return _show_existing(request, existing[pole.pk])

    if request.POST.get("action") != "confirm":
        if pole is None and not form.cleaned_data["accept_approximate"]:
            # The new pole's address is looked up before the preview: a failed lookup is the
            # person's to see and decide on, never a silent fall back to the chef-lieu.
            fields = form.new_pole_fields()
            try:
                pole_services.address_check(
                    address=fields["address"],
                    postcode=fields["postcode"],
                    town=fields["town"],
                    departments=fields["departments"],
                )
            except pole_services.AddressNotFound as exc:
                return _address_not_found(request, form, context, exc)
        data = form.signature_data()
        preview = Signature(
            version=version,
            pole_name=form.chosen_pole_name(),
            signed_on=timezone.localdate(),
            **(data.completed(pole) if pole is not None else data.completed_new()).__dict__,
        )
        return render(
            request,
            "charter/sign_preview.html",
            {
                **context,
                "preview": preview,
                "version": selectors.version_with_text(version),
                # A new pole named like a published or pending one: said before signing.
                "same_name_poles": (
                    pole_selectors.poles_with_same_name(form.cleaned_data["new_pole_name"])
                    if pole is None
                    else []
                ),
            },
        )

    try:
        signature = services.signature_submit(
            user=request.user,
            data=form.signature_data(),
            pole=pole,
            new_pole_name=form.cleaned_data["new_pole_name"],
            new_pole_fields=form.new_pole_fields(),
            version=version,
        )
    except services.SignatureExists as exc:
        return _show_existing(request, exc.signature)
    except pole_services.AddressNotFound as exc:
        return _address_not_found(request, form, context, exc)
    except PermissionDenied as exc:
        form.add_error("pole", str(exc))
        return render(request, "charter/sign.html", context, status=403)
    except ValidationError as exc:
        for field, errors in _errors(exc):
            form.add_error(field if field in form.fields else None, errors)
        return render(request, "charter/sign.html", context, status=422)
    messages.success(
        request,
        _(
            "Merci ! La signature de la charte pour « %(pole)s » est enregistrée. L'équipe du "
            "Labo de l'ESS va la valider ; vous recevrez un e-mail."
        )
        % {"pole": signature.pole_name},
    )
    return redirect(signature.get_absolute_url())


def _address_not_found(request, form, context, exc):
    """The new pole's address was not found, or the address API did not answer: the form
    again, saying so beside the address, with the choice of the chef-lieu meanwhile."""
    form.add_error(
        {"address": "pole_address", "town": "pole_town"}.get(exc.field), exc.message_text
    )
    form.offer_approximate(chef_lieu=exc.chef_lieu)
    return render(request, "charter/sign.html", context, status=422)


def _errors(exc: ValidationError):
    if hasattr(exc, "error_dict"):
        return exc.message_dict.items()
    return [(None, exc.messages)]


def _show_existing(request, signature: Signature):
    messages.info(
        request,
        _(
            "Le pôle « %(pole)s » a déjà une signature de cette version de la charte "
            "(%(status)s) : la voici. Aucune nouvelle signature n'a été créée."
        )
        % {"pole": signature.pole.name, "status": signature.get_status_display()},
    )
    if permissions.can_view_signature(request.user, signature):
        return redirect(signature.get_absolute_url())
    return redirect(signature.get_verification_url())


@login_required
def signature_detail(request, code: str):
    signature = _signature_or_404(code)
    if not permissions.can_view_signature(request.user, signature):
        raise Http404
    return render(
        request,
        "charter/signature_detail.html",
        {
            "signature": signature,
            "version": selectors.version_with_text(signature.version),
            "can_manage": permissions.can_manage_signature(request.user, signature),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def signature_withdraw(request, code: str):
    """Withdraw a signature: at once while it waits for validation (or for staff); a
    validated one asks a reason and waits for staff (charter.services.signature_withdraw)."""
    signature = _signature_or_404(code)
    if not permissions.can_manage_signature(request.user, signature):
        raise Http404
    if not signature.is_active:
        messages.error(request, _("Cette signature n'est plus active : rien à retirer."))
        return redirect(signature.get_absolute_url())
    asks_staff = signature.is_valid and not permissions.can_decide_signatures(request.user)
    form = WithdrawalForm(request.POST or None) if asks_staff else None
    if request.method == "POST" and (form is None or form.is_valid()):
        reason = form.cleaned_data["reason"] if form is not None else ""
        try:
            signature = services.signature_withdraw(
                signature=signature, by=request.user, reason=reason
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            if signature.withdrawal_pending:
                messages.success(
                    request,
                    _(
                        "Votre demande de retrait est envoyée à l'équipe du Labo de l'ESS. Le "
                        "pôle « %(pole)s » reste signataire tant qu'elle ne l'a pas acceptée."
                    )
                    % {"pole": signature.pole.name},
                )
            else:
                messages.success(
                    request,
                    _(
                        "La signature du pôle « %(pole)s » est retirée. Elle reste dans "
                        "l'historique."
                    )
                    % {"pole": signature.pole.name},
                )
        return redirect(signature.get_absolute_url())
    return render(
        request,
        "charter/signature_withdraw.html",
        {"signature": signature, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@staff_required
@require_POST
def withdrawal_decide(request, code: str):
    """Staff accept or refuse a coordinator's request to withdraw a validated signature."""
    signature = _signature_or_404(code)
    accept = request.POST.get("action") == "accept"
    try:
        services.signature_withdrawal_decide(signature=signature, by=request.user, accept=accept)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            (
                _("Retrait de la signature de « %(pole)s » accepté ; le pôle est prévenu.")
                if accept
                else _("Retrait de la signature de « %(pole)s » refusé ; le pôle est prévenu.")
            )
            % {"pole": signature.pole.name},
        )
    return redirect(reverse("charter:validation"))


@login_required
def signature_pdf(request, code: str):
    signature = _signature_or_404(code)
    if not signature.is_valid or not permissions.can_manage_signature(request.user, signature):
        raise Http404
    from .pdf import signature_pdf as make_pdf
    from .pdf import signature_pdf_filename

    response = pdf_response(make_pdf(signature, request=request), signature_pdf_filename(signature))
    response["Cache-Control"] = "private, no-store"
    return response


# --- Public verification and list -------------------------------------------------------


def verify(request, code: str):
    signature = selectors.signature_by_code(code)
    if signature is None:
        return render(request, "charter/verify_unknown.html", {"code": code[:40]}, status=404)
    return render(request, "charter/verify.html", {"signature": signature})


def verify_form(request):
    code = request.GET.get("code", "")
    if code:
        normalized = selectors.normalize_code(code)
        if normalized:
            return redirect("charter:verify", code=normalized)
        return render(request, "charter/verify_unknown.html", {"code": code[:40]}, status=404)
    return render(request, "charter/verify_form.html")


def _signatories(request):
    sort = request.GET.get("tri") or "numero"
    filterset = SignatoryFilter(
        request.GET or None, queryset=selectors.public_signatures(sort=sort)
    )
    if filterset.is_bound and not filterset.is_valid():
        # An unknown region or sort in the query string: show everything, say so.
        return filterset, selectors.public_signatures(sort=sort), True
    return filterset, filterset.qs, False


SIGNATORIES_PAGE_SIZE = 50


@public_page(CONTENT_VERSION, POLES_CONTENT_VERSION)
def signatories(request):
    filterset, signatures, invalid = _signatories(request)
    page = paginate(request, signatures, SIGNATORIES_PAGE_SIZE)
    return render(
        request,
        "charter/signatories.html",
        {
            "filter": filterset,
            "page": page,
            "signatures": selectors.with_printed_2014(page.object_list),
            "invalid_filter": invalid,
            "sort": request.GET.get("tri") or "numero",
            "query": request.GET.urlencode(),
            "region_query": request.GET.get("region", ""),
            "version": selectors.current_version_number(),
        },
    )


def signatories_csv(request):
    _filterset, signatures, _invalid = _signatories(request)
    header = [
        "numero",
        "region_2014",
        "region",
        "departements",
        "pole",
        "structure_porteuse",
        "version_charte",
        "date_signature",
        "lieu",
        "code_verification",
        "url_fiche_pole",
        # Annex 3 of the 2014 report exactly as printed, beside today's values above.
        "region_publiee_2014",
        "departements_publies_2014",
        "nom_publie_2014",
    ]
    rows = (
        [
            s.register_number or "",
            s.pole.former_region.name if s.pole.former_region else "",
            s.pole.region.name if s.pole.region else "",
            ", ".join(d.name for d in s.pole.departments.all()),
            s.pole.name,
            s.pole.carrier_structure,
            s.version.number,
            s.signed_on.isoformat(),
            s.place,
            s.verification_code,
            absolute_url(s.pole.get_absolute_url()),
            s.printed_2014["region"] if s.printed_2014 else "",
            s.printed_2014["departments"] if s.printed_2014 else "",
            s.printed_2014["name"] if s.printed_2014 else "",
        ]
        for s in selectors.with_printed_2014(signatures)
    )
    return csv_response("ptce-signataires-charte.csv", header, rows)


# --- Staff validation -------------------------------------------------------------------


VALIDATION_PAGE_SIZE = 20


@staff_required
def validation_queue(request):
    page = paginate(request, selectors.pending_signatures(), VALIDATION_PAGE_SIZE)
    return render(
        request,
        "charter/validation.html",
        {
            "page": page,
            "pending": selectors.with_possible_duplicates(page.object_list),
            "recent": selectors.recent_decisions(),
            "withdrawals": selectors.pending_withdrawals(),
            "refusal_form": RefusalForm(),
        },
    )


@staff_required
@require_POST
def validation_decide(request, code: str):
    signature = _signature_or_404(code)
    action = request.POST.get("action")
    try:
        if action == "validate" and request.POST.get("confirmed") != "1":
            # Validating publishes the pole: said, and asked once more.
            return render(
                request,
                "charter/validation_confirm.html",
                {"signature": selectors.with_possible_duplicates([signature])[0]},
            )
        if action == "validate":
            services.signature_validate(signature=signature, by=request.user)
            messages.success(
                request,
                _(
                    "Signature de « %(pole)s » validée ; le signataire est prévenu par e-mail. "
                    "Une erreur ? « Annuler la validation » dans les dernières décisions."
                )
                % {"pole": signature.pole.name},
            )
            # The declared address moved the pole and its lookup failed: staff are told.
            failure = pole_selectors.location_failure_display(signature.pole)
            if failure:
                messages.warning(
                    request,
                    _(
                        "La recherche de l'adresse déclarée a échoué (%(reason)s) : « %(pole)s » "
                        "est placé pour l'instant au chef-lieu de son département ; corrigez sa "
                        "position dans la fiche du pôle."
                    )
                    % {"reason": failure, "pole": signature.pole.name},
                )
        elif action == "undo":
            services.signature_unvalidate(signature=signature, by=request.user)
            messages.success(
                request,
                _(
                    "La validation de « %(pole)s » est annulée : la signature attend de nouveau, "
                    "le pôle est remis comme avant ; le signataire est prévenu par e-mail."
                )
                % {"pole": signature.pole.name},
            )
        elif action == "refuse":
            form = RefusalForm(request.POST)
            if not form.is_valid():
                raise ValidationError(
                    _("Indiquez le motif du refus : il sera envoyé au signataire.")
                )
            services.signature_refuse(
                signature=signature, by=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(
                request,
                _("Signature de « %(pole)s » refusée ; le signataire est prévenu par e-mail.")
                % {"pole": signature.pole.name},
            )
        else:
            raise ValidationError(_("Action inconnue."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("charter:validation") + f"#sig-{signature.pk}")
