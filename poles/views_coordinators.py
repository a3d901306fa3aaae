"""Pages of signed-in users: ask to coordinate, propose a pole, edit a coordinated pole."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ptce_portal.permissions import can_edit_pole

from . import selectors, services
from .forms import ClaimForm, MemberFormSet, PoleProfileForm, ProposeForm, members_from_formset
from .models import Pole, PoleRevision


@login_required
def claim(request, slug):
    pole = get_object_or_404(Pole, slug=slug, is_published=True)
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
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        departments = data.pop("departments")
        themes = data.pop("themes")
        message = data.pop("message")
        try:
            pole = services.pole_propose(
                user=request.user, departments=departments, themes=themes, message=message, **data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
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
    pole = get_object_or_404(Pole, slug=slug)
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
                    pole=Pole.objects.get(pk=pole.pk),
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
                messages.success(request, _("La fiche du pôle est à jour."))
            return redirect("poles:detail", slug=pole.slug)
    return render(
        request,
        "poles/edit.html",
        {"pole": pole, "form": form, "formset": formset, "pending": pending},
    )
