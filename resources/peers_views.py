"""Pages of peer help between poles (coordinators only): the objectives a pole offers help
on, the exchange requests it sent and received, a request's page where the asked pole
accepts or declines."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from poles.selectors import pole_get

from . import peers_permissions as permissions
from . import peers_selectors as selectors
from . import peers_services as services
from .peers_forms import ExchangeRequestForm, HelpOffersForm


@login_required
def peers_home(request):
    return render(request, "resources/peers/home.html", selectors.peers_space(request.user))


def _offering_pole_or_404(request, slug):
    pole = pole_get(slug)
    if pole is None or not permissions.can_offer_help(request.user, pole):
        raise Http404
    return pole


@login_required
def help_offers(request, slug):
    pole = _offering_pole_or_404(request, slug)
    objectives = selectors.help_objectives()
    form = HelpOffersForm(
        request.POST or None, objectives=objectives, offers=selectors.help_offers_of(pole)
    )
    if request.method == "POST" and form.is_valid():
        try:
            offers = services.help_offers_save(
                pole=pole, by=request.user, objectives=objectives, offers=form.offers()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "Offres d'entraide de %(pole)s enregistrées : %(n)s objectif.",
                    "Offres d'entraide de %(pole)s enregistrées : %(n)s objectifs.",
                    len(offers),
                )
                % {"pole": pole.name, "n": len(offers)},
            )
            return redirect("resources:peers")
    return render(request, "resources/peers/help_offers.html", {"pole": pole, "form": form})


@login_required
def exchange_new(request, slug, offer):
    pole = pole_get(slug)
    if pole is None or not permissions.can_request_exchange(request.user, pole):
        raise Http404
    help_offer = selectors.help_offer_get(offer)
    if help_offer is None or help_offer.pole_id == pole.pk or not help_offer.pole.is_published:
        raise Http404
    form = ExchangeRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            exchange = services.exchange_request_create(
                requester_pole=pole,
                offer=help_offer,
                by=request.user,
                message=form.cleaned_data["message"],
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error("message" if _is_about_message(exc) else None, _messages_of(exc))
        else:
            messages.success(
                request,
                _(
                    "Demande envoyée à %(pole)s. Vous recevrez un e-mail dès qu'il aura répondu ; "
                    "s'il accepte, vous aurez chacun l'adresse de l'autre."
                )
                % {"pole": help_offer.pole.name},
            )
            return redirect("resources:exchange", pk=exchange.pk)
    return render(
        request,
        "resources/peers/exchange_new.html",
        {"pole": pole, "offer": help_offer, "form": form},
    )


def _is_about_message(exc) -> bool:
    return isinstance(exc, ValidationError) and hasattr(exc, "error_dict")


def _messages_of(exc) -> list[str]:
    if isinstance(exc, ValidationError):
        return exc.messages
    return [str(exc) or _("Vous ne pouvez pas faire cette demande.")]


def _visible_exchange_or_404(request, pk):
    exchange = selectors.exchange_get(pk)
    if exchange is None or not permissions.can_see_exchange(request.user, exchange):
        raise Http404
    return exchange


@login_required
def exchange_detail(request, pk):
    exchange = _visible_exchange_or_404(request, pk)
    return render(
        request,
        "resources/peers/exchange.html",
        {
            "exchange": exchange,
            "can_answer": permissions.can_answer_exchange(request.user, exchange),
            "is_requester": permissions.can_request_exchange(
                request.user, exchange.requester_pole_id
            ),
            "can_withdraw": exchange.is_open
            and permissions.can_withdraw_exchange(request.user, exchange),
            "sees_requester_address": permissions.can_see_requester_address(request.user, exchange),
        },
    )


@login_required
def exchange_withdraw(request, pk):
    """« Retirer la demande »: a confirmation page (GET), the withdrawal itself (POST)."""
    exchange = _visible_exchange_or_404(request, pk)
    if not permissions.can_withdraw_exchange(request.user, exchange):
        raise Http404
    if not exchange.is_open:
        messages.info(request, _("Cette demande n'attend plus de réponse : rien à retirer."))
        return redirect("resources:exchange", pk=exchange.pk)
    if request.method == "POST":
        try:
            services.exchange_request_withdraw(exchange=exchange, by=request.user)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
        else:
            messages.success(
                request,
                _("Demande retirée : %(pole)s en est informé.")
                % {"pole": exchange.helper_pole.name},
            )
        return redirect("resources:exchange", pk=exchange.pk)
    return render(request, "resources/peers/exchange_withdraw.html", {"exchange": exchange})


@login_required
@require_POST
def exchange_decide(request, pk):
    exchange = _visible_exchange_or_404(request, pk)
    decision = request.POST.get("decision")
    service = {
        "accept": services.exchange_request_accept,
        "decline": services.exchange_request_decline,
    }.get(decision or "")
    if service is None:
        messages.error(request, _("Choisissez « Accepter » ou « Décliner »."))
        return redirect("resources:exchange", pk=exchange.pk)
    try:
        service(exchange=exchange, by=request.user)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        if decision == "accept":
            messages.success(
                request,
                _(
                    "Échange accepté : %(pole)s et vous avez reçu chacun l'adresse de l'autre "
                    "par e-mail. Elle figure aussi ci-dessous."
                )
                % {"pole": exchange.requester_pole.name},
            )
        else:
            messages.success(
                request,
                _("Demande déclinée : %(pole)s en est informé.")
                % {"pole": exchange.requester_pole.name},
            )
    return redirect("resources:exchange", pk=exchange.pk)
