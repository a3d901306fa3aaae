"""Pages of signed-in users: ask to coordinate, propose a pole, edit a coordinated pole."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import (
    ClaimForm,
    DecisionForm,
    MemberFormSet,
    PolePictureForm,
    PoleProfileForm,
    ProposeForm,
    members_from_formset,
)
from ..models import PoleRevision
from ..permissions import can_edit_pole, can_moderate_pole, moderated_region_ids


@login_required
def claim(request, slug):
    pole = selectors.pole_get(slug, published_only=True)
    if pole is None:
        raise Http404
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.coordinator_request(
                user=request.user, pole=pole, message=form.cleaned_data["message"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(pole)
        messages.success(
            request,
            _("Votre demande est envoyée. Vous recevrez un e-mail quand l'équipe l'aura examinée."),
        )
        return redirect("dashboard")
    return render(request, "poles/claim.html", {"pole": pole, "form": form})


@login_required
def propose(request):
    form = ProposeForm(request.POST or None)
    same_name_poles: list = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        departments = data.pop("departments")
        themes = data.pop("themes")
        message = data.pop("message")
        accept_approximate = data.pop("accept_approximate")
        same_name_confirmed = data.pop("same_name_confirmed")
        # A pole of that name is published or waits for staff: said before anything is saved.
        same_name_poles = selectors.poles_with_same_name(data["name"])
        if same_name_poles and not same_name_confirmed:
            form.offer_same_name()
            return render(
                request,
                "poles/propose.html",
                {"form": form, "same_name_poles": same_name_poles, "name": data["name"]},
            )
        try:
            pole = services.pole_propose(
                user=request.user,
                departments=departments,
                themes=themes,
                message=message,
                accept_approximate=accept_approximate,
                **data,
            )
        except services.AddressNotFound as exc:
            form.add_error(exc.field, exc.error_dict[exc.field])
            form.offer_approximate(chef_lieu=exc.chef_lieu)
            if same_name_confirmed:
                form.offer_same_name()
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if pole.location_notice:
                messages.warning(request, pole.location_notice)
            messages.success(
                request,
                _(
                    "Merci ! Le pôle « %(name)s » sera publié dans l'annuaire après validation par "
                    "l'équipe ; vous serez prévenu·e par e-mail."
                )
                % {"name": pole.name},
            )
            return redirect("dashboard")
    return render(request, "poles/propose.html", {"form": form})


@login_required
def edit(request, slug):
    pole = selectors.pole_get(slug)
    if pole is None:
        raise Http404
    if not can_edit_pole(request.user, pole):
        raise PermissionDenied
    pending = selectors.pending_revisions(pole).exists()
    form = PoleProfileForm(
        request.POST or None,
        instance=pole,
        initial={"departments": pole.departments.all(), "themes": pole.themes.all()},
    )
    formset = MemberFormSet(request.POST or None, instance=pole, prefix="membres")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            with transaction.atomic():
                result = services.pole_update_profile(
                    pole=selectors.pole_get(slug),
                    by=request.user,
                    cleaned_data=form.cleaned_data,
                    members=members_from_formset(formset),
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if isinstance(result, PoleRevision):
                messages.info(
                    request,
                    _(
                        "Vos modifications sont enregistrées et attendent la relecture de "
                        "l'équipe avant publication."
                    ),
                )
            else:
                if result.location_notice:
                    messages.warning(request, result.location_notice)
                messages.success(request, _("La fiche du pôle est à jour."))
            return redirect("poles:detail", slug=pole.slug)
    return render(
        request,
        "poles/edit.html",
        {"pole": pole, "form": form, "formset": formset, "pending": pending},
    )


@login_required
def pictures(request, slug):
    """The pole's logo and photo: add, replace, change the text alternative, remove."""
    pole = selectors.pole_get(slug)
    if pole is None:
        raise Http404
    if not can_edit_pole(request.user, pole):
        raise PermissionDenied
    kind = request.POST.get("kind") if request.method == "POST" else None
    forms_by_kind = {
        k: PolePictureForm(
            request.POST if kind == k else None,
            request.FILES if kind == k else None,
            kind=k,
            pole=pole,
        )
        for k in services.PICTURE_KINDS
    }
    status = 200
    if kind in forms_by_kind:
        form = forms_by_kind[kind]
        try:
            if request.POST.get("action") == "remove":
                services.pole_remove_picture(pole=pole, by=request.user, kind=kind)
                messages.success(request, _("L'image a été retirée de la fiche."))
                return redirect("poles:pictures", slug=pole.slug)
            if form.is_valid():
                result = services.pole_set_picture(
                    pole=pole,
                    by=request.user,
                    kind=kind,
                    image=form.cleaned_data["image"] or None,
                    alt=form.cleaned_data["alt"],
                )
                if isinstance(result, PoleRevision):
                    messages.info(
                        request,
                        _(
                            "L'image est enregistrée et attend la relecture de l'équipe avant "
                            "publication."
                        ),
                    )
                else:
                    messages.success(request, _("L'image de la fiche est enregistrée."))
                return redirect("poles:pictures", slug=pole.slug)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
            for field, messages_ in errors.items():
                name = {kind: "image", f"{kind}_alt": "alt"}.get(field or "")
                form.add_error(name, messages_)
        status = 422
    return render(
        request,
        "poles/pictures.html",
        {
            "pole": pole,
            "forms": forms_by_kind,
            "pending": selectors.pending_picture_kinds(pole),
        },
        status=status,
    )


# --- Regional coordination: moderation of the poles of its regions ----------------------------


def _decision_form(kind: str, pk: int, data=None) -> DecisionForm:
    # One form per card: ids unique on the page.
    return DecisionForm(data, auto_id=f"id_{kind}_{pk}_%s")


def _moderation_page(request, region_ids, *, bound=None, status=200):
    """The queue with a decision form on each card (`bound`: (kind, pk, form) re-shown with
    its errors)."""
    queue = selectors.regional_moderation_queue(region_ids)
    for kind, items in (("demande", queue["requests"]), ("modification", queue["revisions"])):
        for item in items:
            if bound and bound[:2] == (kind, item.pk):
                item.decision_form = bound[2]
            else:
                item.decision_form = _decision_form(kind, item.pk)
    return render(
        request,
        "poles/moderation.html",
        {**queue, "regions": selectors.regions_by_ids(region_ids)},
        status=status,
    )


@login_required
def moderation(request):
    """The queue of the regional coordination: requests and edits of the poles of its regions."""
    region_ids = moderated_region_ids(request.user)
    if not region_ids:
        raise Http404
    return _moderation_page(request, region_ids)


@login_required
@require_POST
def moderation_decide(request, kind: str, pk: int):
    """Approve or refuse a coordinator request (kind "demande"), apply or reject a pole edit
    (kind "modification"). Objects outside the moderator's regions are a 404."""
    region_ids = moderated_region_ids(request.user)
    if not region_ids:
        raise Http404
    if kind == "demande":
        subject = selectors.coordination_request_get(pk)
    elif kind == "modification":
        subject = selectors.pole_revision_get(pk)
    else:
        raise Http404
    if subject is None or not can_moderate_pole(request.user, subject.pole):
        raise Http404
    form = _decision_form(kind, pk, request.POST)
    if not form.is_valid():
        messages.error(request, _("La décision n'est pas enregistrée : voir le formulaire."))
        return _moderation_page(request, region_ids, bound=(kind, pk, form), status=400)
    accept, reason = form.accepted, form.cleaned_data["reason"]
    try:
        if kind == "demande":
            services.coordination_request_decide(
                coordination=subject, by=request.user, approve=accept, reason=reason
            )
            done = _("Demande acceptée.") if accept else _("Demande refusée.")
        else:
            services.revision_decide(revision=subject, by=request.user, apply=accept, reason=reason)
            done = _("Modification publiée.") if accept else _("Modification refusée.")
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(
            request,
            _("%(done)s « %(pole)s » : la personne est prévenue par e-mail.")
            % {"done": done, "pole": subject.pole.name},
        )
    return redirect("poles:moderation")
