"""Personal data held by peer help: the exchange requests a person sent (their message) and
the ones they answered for their pole. Help offers belong to poles, not to people (who made
them is in the audit trail). Part of the resources app's personal data
(resources/contributions.py); see ptce_portal.personal_data for the contract."""

from django.db.models import Q

from .peers_models import ExchangeRequest


def _row(exchange: ExchangeRequest) -> dict:
    return {
        "pole_demandeur": exchange.requester_pole.name,
        "pole_sollicite": exchange.helper_pole.name,
        "objectif": f"{exchange.objective.code}. {exchange.objective.title}",
        "statut": exchange.status,
        "envoyee_le": exchange.created_at,
        "repondue_le": exchange.decided_at,
    }


def export(user) -> dict:
    related = ExchangeRequest.objects.select_related(
        "requester_pole", "helper_pole", "objective"
    ).order_by("created_at", "pk")
    return {
        "demandes_d_echange_envoyees": [
            {**_row(e), "message": e.message} for e in related.filter(requested_by=user)
        ],
        "demandes_d_echange_repondues": [_row(e) for e in related.filter(decided_by=user)],
    }


def personal_values(user) -> set[str]:
    return set()


def owned_objects(user) -> dict:
    return {
        ExchangeRequest: list(
            ExchangeRequest.objects.filter(Q(requested_by=user) | Q(decided_by=user))
            .values_list("pk", flat=True)
            .order_by("pk")
        )
    }


def erase(user) -> None:
    """The person's requests still waiting are withdrawn (deleted: nobody could accept them
    any more); the answered ones lose the message and the link to the person, as do the
    requests they answered. The poles' history (who asked whom, when) stays."""
    ExchangeRequest.objects.filter(requested_by=user, status=ExchangeRequest.Status.OPEN).delete()
    ExchangeRequest.objects.filter(requested_by=user).update(message="", requested_by=None)
    ExchangeRequest.objects.filter(decided_by=user).update(decided_by=None)
