"""Writes of peer help between poles: the objectives a pole offers help on, exchange
requests and their answer. Each service checks its permission (resources.peers_permissions)
and runs in one transaction; e-mails leave on commit (ptce_portal.mail)."""

import re
from collections.abc import Iterable, Mapping
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from poles.models import Pole, PoleCoordinator
from ptce_portal.mail import absolute_url, send_mail_on_commit
from referential.models import PrincipalObjective

from .models import ExchangeRequest, HelpOffer
from .peers_permissions import (
    can_answer_exchange,
    can_moderate_exchanges,
    can_offer_help,
    can_request_exchange,
    can_withdraw_exchange,
)

# A coordinator sends at most this many exchange requests in 24 hours (whatever the poles):
# enough to ask every pole that offered help on the three weakest objectives, not a mailing.
EXCHANGE_REQUESTS_PER_DAY = 5
# A pole that declined is not asked again on the same objective by the same pole for so long.
DECLINED_PAUSE = timedelta(days=30)
# An address in the message would share it before the helper accepts.
_ADDRESS_IN_TEXT = re.compile(r"[^\s@<>()\[\]]+@[^\s@<>()\[\]]+\.[^\s@<>()\[\]]{2,}")


class ExchangeError(ValidationError):
    """A refused help offer or exchange request, with a French message for the person."""


class ExchangeExists(ExchangeError):
    """The requesting pole already waits for this pole's answer on this objective."""


def help_offers_save(
    *,
    pole: Pole,
    by,
    objectives: Iterable[PrincipalObjective],
    offers: Mapping[int, str],
) -> list[HelpOffer]:
    """The pole now offers help on exactly the objectives of `offers` ({objective id: note})
    among `objectives` (those of the form: offers on other objectives, e.g. of another
    version of the referential, are left as they are). Returns the pole's offers on them."""
    if not can_offer_help(by, pole):
        raise PermissionDenied(_("Seule la coordination du pôle peut proposer son aide."))
    choices = {o.pk: o for o in objectives}
    unknown = set(offers) - set(choices)
    if unknown:
        raise ExchangeError(_("Objectif inconnu : rechargez la page et recommencez."))
    with transaction.atomic():
        Pole.objects.select_for_update().filter(pk=pole.pk).first()  # one save at a time
        existing = {
            o.objective_id: o for o in HelpOffer.objects.filter(pole=pole, objective_id__in=choices)
        }
        kept = []
        for objective_id, objective in choices.items():
            offer = existing.get(objective_id)
            if objective_id not in offers:
                if offer is not None:
                    offer.delete()
                continue
            note = " ".join((offers[objective_id] or "").split())
            if offer is None:
                offer = HelpOffer(pole=pole, objective=objective, note=note)
            elif offer.note == note:
                kept.append(offer)
                continue
            offer.note = note
            offer.full_clean()
            offer.save()
            kept.append(offer)
    return kept


def _coordinator_addresses(pole: Pole | int, *, but=None) -> list[str]:
    """The account e-mails of the pole's approved, active coordinators (but `but`'s)."""
    coordinators = PoleCoordinator.objects.filter(
        pole=pole, status=PoleCoordinator.Status.APPROVED, user__is_active=True
    ).exclude(user__email="")
    if but is not None:
        coordinators = coordinators.exclude(user=but).exclude(user__email__iexact=but.email)
    return list(
        coordinators.order_by("user__email").values_list("user__email", flat=True).distinct()
    )


def _exchange_url(exchange: ExchangeRequest) -> str:
    return absolute_url(reverse("resources:exchange", kwargs={"pk": exchange.pk}))


def exchange_request_create(
    *, requester_pole: Pole, offer: HelpOffer, by, message: str
) -> ExchangeRequest:
    """`by`, a coordinator of `requester_pole`, asks the pole of `offer` for an exchange on
    its objective. The helping pole's coordinators are e-mailed a link to answer in their
    space; no address of either side is given before they accept."""
    if not can_request_exchange(by, requester_pole):
        raise PermissionDenied(_("Seule la coordination du pôle peut demander un échange."))
    helper = offer.pole
    if helper.pk == requester_pole.pk:
        raise ExchangeError(_("Votre pôle ne peut pas se demander un échange à lui-même."))
    if not helper.is_published:
        raise ExchangeError(_("Ce pôle n'est pas publié sur le portail."))
    message = (message or "").strip()
    if not message:
        raise ExchangeError(
            {"message": _("Écrivez en quelques mots ce que vous aimeriez échanger.")}
        )
    if _ADDRESS_IN_TEXT.search(message):
        raise ExchangeError(
            {
                "message": _(
                    "Retirez l'adresse e-mail du message : les adresses ne sont partagées "
                    "que si le pôle accepte l'échange, et alors automatiquement."
                )
            }
        )
    with transaction.atomic():
        # One request at a time per requesting person: the daily limit cannot be overrun by
        # two requests sent together.
        get_user_model().objects.select_for_update().filter(pk=by.pk).first()
        now = timezone.now()
        sent = ExchangeRequest.objects.filter(
            requested_by=by, created_at__gte=now - timedelta(days=1)
        ).count()
        if sent >= EXCHANGE_REQUESTS_PER_DAY:
            raise ExchangeError(
                ngettext(
                    "Vous avez déjà envoyé %(n)s demande d'échange ces dernières 24 heures : "
                    "c'est le maximum. Réessayez demain.",
                    "Vous avez déjà envoyé %(n)s demandes d'échange ces dernières 24 heures : "
                    "c'est le maximum. Réessayez demain.",
                    sent,
                )
                % {"n": sent}
            )
        pair = ExchangeRequest.objects.filter(
            requester_pole=requester_pole, helper_pole=helper, objective=offer.objective
        )
        if pair.filter(status=ExchangeRequest.Status.OPEN).exists():
            raise ExchangeExists(
                _("Une demande d'échange sur cet objectif attend déjà la réponse de ce pôle.")
            )
        # A request the staff closed (abusive) pauses the pair like a refusal.
        declined = (
            pair.filter(
                status__in=[ExchangeRequest.Status.DECLINED, ExchangeRequest.Status.CLOSED],
                decided_at__gte=now - DECLINED_PAUSE,
            )
            .order_by("-decided_at")
            .first()
        )
        if (
            declined is not None
            and declined.decided_at is not None
            and declined.status == ExchangeRequest.Status.CLOSED
        ):
            raise ExchangeError(
                _(
                    "L'équipe du portail a clos votre demande à ce pôle sur cet objectif le "
                    "%(date)s : vous pourrez le solliciter de nouveau à partir du %(again)s."
                )
                % {
                    "date": date_format(declined.decided_at, "j F Y"),
                    "again": date_format(declined.decided_at + DECLINED_PAUSE, "j F Y"),
                }
            )
        if declined is not None and declined.decided_at is not None:
            raise ExchangeError(
                _(
                    "Ce pôle a décliné votre demande sur cet objectif le %(date)s : vous pourrez "
                    "le solliciter de nouveau à partir du %(again)s."
                )
                % {
                    "date": date_format(declined.decided_at, "j F Y"),
                    "again": date_format(declined.decided_at + DECLINED_PAUSE, "j F Y"),
                }
            )
        recipients = _coordinator_addresses(helper)
        if not recipients:
            raise ExchangeError(
                _(
                    "Ce pôle n'a plus de coordination active sur le portail : "
                    "il ne peut pas répondre."
                )
            )
        exchange = ExchangeRequest(
            requester_pole=requester_pole,
            helper_pole=helper,
            objective=offer.objective,
            requested_by=by,
            message=message,
        )
        exchange.full_clean()
        try:
            with transaction.atomic():
                exchange.save()
        except IntegrityError as exc:  # the same request sent twice at the same moment
            raise ExchangeExists(
                _("Une demande d'échange sur cet objectif attend déjà la réponse de ce pôle.")
            ) from exc
        send_mail_on_commit(
            to=recipients,
            template_name="resources/email/exchange_request.txt",
            context={"exchange": exchange, "url": _exchange_url(exchange)},
        )
    return exchange


def _lock_open(exchange: ExchangeRequest) -> ExchangeRequest:
    locked = (
        ExchangeRequest.objects.select_for_update(of=("self",))
        .select_related("requester_pole", "helper_pole", "objective", "requested_by")
        .get(pk=exchange.pk)
    )
    if not locked.is_open:
        raise ExchangeError(
            _("Cette demande a déjà reçu une réponse (%(status)s).")
            % {"status": locked.get_status_display()}
        )
    return locked


def exchange_request_accept(*, exchange: ExchangeRequest, by) -> ExchangeRequest:
    """A coordinator of the asked pole accepts: each side is e-mailed the other's account
    address (the requesting coordinator's and the accepting coordinator's), and both see
    them on the request's page from now on."""
    if not can_answer_exchange(by, exchange):
        raise PermissionDenied(_("Seule la coordination du pôle sollicité peut répondre."))
    with transaction.atomic():
        exchange = _lock_open(exchange)
        requester = exchange.requested_by
        if requester is None or not requester.is_active or not requester.email:
            raise ExchangeError(
                _(
                    "La personne qui a fait cette demande n'a plus de compte actif sur le "
                    "portail : l'échange ne peut pas être accepté. Vous pouvez la décliner."
                )
            )
        if not by.email:
            raise ExchangeError(_("Votre compte n'a pas d'adresse e-mail à partager."))
        exchange.status = ExchangeRequest.Status.ACCEPTED
        exchange.decided_by = by
        exchange.decided_at = timezone.now()
        exchange.full_clean()
        exchange.save()
        context = {"exchange": exchange, "url": _exchange_url(exchange)}
        # The requester learns the accepting coordinator's address, in the portal's language
        # (their own is not known); the accepting coordinator the requester's, in theirs.
        send_mail_on_commit(
            to=[requester.email],
            template_name="resources/email/exchange_accepted.txt",
            context={**context, "contact": by, "contact_pole": exchange.helper_pole},
            reply_to=[by.email],
        )
        send_mail_on_commit(
            to=[by.email],
            template_name="resources/email/exchange_accepted_helper.txt",
            context={**context, "contact": requester, "contact_pole": exchange.requester_pole},
            reply_to=[requester.email],
            language=translation.get_language(),
        )
        _tell_colleagues(exchange, by=by)
    return exchange


def _tell_colleagues(exchange: ExchangeRequest, *, by) -> None:
    """The helping pole's other coordinators learn who answered, and how; never the
    requester's address (after an acceptance it goes to the accepting coordinator only).
    In French: their language is not known (ptce_portal.mail)."""
    colleagues = _coordinator_addresses(exchange.helper_pole_id, but=by)
    if colleagues:
        send_mail_on_commit(
            to=colleagues,
            template_name="resources/email/exchange_answered_colleagues.txt",
            context={"exchange": exchange, "by": by, "url": _exchange_url(exchange)},
        )


def exchange_request_decline(*, exchange: ExchangeRequest, by) -> ExchangeRequest:
    """A coordinator of the asked pole declines: the requester is told, with no address."""
    if not can_answer_exchange(by, exchange):
        raise PermissionDenied(_("Seule la coordination du pôle sollicité peut répondre."))
    with transaction.atomic():
        exchange = _lock_open(exchange)
        exchange.status = ExchangeRequest.Status.DECLINED
        exchange.decided_by = by
        exchange.decided_at = timezone.now()
        exchange.full_clean()
        exchange.save()
        requester = exchange.requested_by
        if requester is not None and requester.is_active and requester.email:
            send_mail_on_commit(
                to=[requester.email],
                template_name="resources/email/exchange_declined.txt",
                context={"exchange": exchange, "url": _exchange_url(exchange)},
            )
        _tell_colleagues(exchange, by=by)
    return exchange


def exchange_request_withdraw(*, exchange: ExchangeRequest, by) -> ExchangeRequest:
    """A coordinator of the requesting pole withdraws a request still waiting for its answer:
    the helping pole's coordinators are told (no address), and a new request on the same
    objective may be sent to that pole later."""
    if not can_withdraw_exchange(by, exchange):
        raise PermissionDenied(
            _("Seule la coordination du pôle demandeur peut retirer sa demande.")
        )
    with transaction.atomic():
        exchange = _lock_open(exchange)
        exchange.status = ExchangeRequest.Status.WITHDRAWN
        exchange.decided_by = by
        exchange.decided_at = timezone.now()
        exchange.full_clean()
        exchange.save()
        recipients = _coordinator_addresses(exchange.helper_pole_id)
        if recipients:
            send_mail_on_commit(
                to=recipients,
                template_name="resources/email/exchange_withdrawn.txt",
                context={"exchange": exchange, "url": _exchange_url(exchange)},
            )
    return exchange


def exchange_request_close(*, exchange: ExchangeRequest, by) -> ExchangeRequest:
    """The staff close an abusive request still waiting for its answer: nobody can answer it
    any more; the change (who, when) is in the audit trail like every change of a request."""
    if not can_moderate_exchanges(by):
        raise PermissionDenied(_("Seule l'équipe peut clore une demande d'échange."))
    with transaction.atomic():
        exchange = _lock_open(exchange)
        exchange.status = ExchangeRequest.Status.CLOSED
        exchange.decided_by = by
        exchange.decided_at = timezone.now()
        exchange.full_clean()
        exchange.save()
    return exchange
