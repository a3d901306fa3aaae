"""Reads of peer help between poles: what peers offer on a pole's weakest objectives, a
coordinator's offers and exchange requests. Fixed numbers of queries."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber

from poles.models import Pole
from poles.selectors import poles_coordinated_by
from referential.models import PrincipalObjective
from referential.selectors import current_version

from .models import ExchangeRequest, HelpOffer, Resource

# Resources shown per weak objective on a results page (the others: a link to the search).
RESOURCES_PER_OBJECTIVE = 4


@dataclass
class PeerHelp:
    """What peers offer on one of a pole's weak principal objectives."""

    principal: PrincipalObjective
    score: float | None
    resources: list[Any] = field(default_factory=list)
    resource_count: int = 0
    offers: list[HelpOffer] = field(default_factory=list)  # each with `.exchange` (or None)

    @property
    def more_resources(self) -> int:
        return max(0, self.resource_count - len(self.resources))


def peer_help(*, pole: Pole, weakest: list[Any]) -> list[PeerHelp]:
    """For each of `weakest` (results of the referential: `.principal`, `.score`), the
    published resources filed under that objective and the other published poles that
    offered help there, each with the latest exchange request `pole` sent them on it.

    Objectives are matched by code, so that an assessment made on another version of the
    referential meets the resources and offers filed under the current one. Two queries,
    whatever the number of resources, offers and requests."""
    rows = [PeerHelp(principal=w.principal, score=w.score) for w in weakest]
    codes = [r.principal.code for r in rows]
    if not codes:
        return rows
    by_code = {r.principal.code: r for r in rows}

    # The filing of resources under objectives (the many-to-many's table), ranked per
    # objective; typed Any: the stubs do not follow annotations on an automatic through model.
    filings: Any = Resource.objectives.through
    links = (
        filings.objects.filter(
            principalobjective__code__in=codes,
            resource__status=Resource.Status.PUBLISHED,
        )
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("principalobjective__code"),
                order_by=[F("resource__published_at").desc(nulls_last=True), F("resource_id")],
            ),
            total=Window(Count("id"), partition_by=F("principalobjective__code")),
        )
        .filter(rank__lte=RESOURCES_PER_OBJECTIVE)
        .select_related("resource", "principalobjective")
        .order_by("principalobjective__code", "rank")
    )
    for link in links:
        row = by_code[link.principalobjective.code]
        row.resource_count = link.total
        if all(r.pk != link.resource_id for r in row.resources):
            row.resources.append(link.resource)

    # The latest request `pole` sent each offering pole on the offer's objective (by code).
    sent = ExchangeRequest.objects.filter(
        requester_pole=pole,
        helper_pole=OuterRef("pole"),
        objective__code=OuterRef("objective__code"),
    ).order_by("-created_at", "-pk")
    seen: set[tuple[int, str]] = set()
    for offer in (
        HelpOffer.objects.filter(objective__code__in=codes, pole__is_published=True)
        .exclude(pole=pole)
        .select_related("pole", "objective")
        .annotate(
            sent_pk=Subquery(sent.values("pk")[:1]),
            sent_status=Subquery(sent.values("status")[:1]),
            sent_at=Subquery(sent.values("created_at")[:1]),
        )
        .order_by("pole__name", "-objective__version__published_at", "pk")
    ):
        key = (offer.pole_id, offer.objective.code)
        if key in seen:
            continue  # the same pole's offer on the same code in another version
        seen.add(key)
        offer.exchange = (  # type: ignore[attr-defined]
            ExchangeRequest(
                pk=offer.sent_pk,
                status=offer.sent_status,
                created_at=offer.sent_at,
            )
            if offer.sent_pk is not None
            else None
        )
        by_code[offer.objective.code].offers.append(offer)
    return rows


def help_objectives() -> list[PrincipalObjective]:
    """The principal objectives a pole may offer help on: those of the current version of
    the referential, in its order, with their general objective."""
    version = current_version()
    if version is None:
        return []
    return list(
        PrincipalObjective.objects.filter(version=version)
        .select_related("general")
        .order_by("general__position", "position", "code")
    )


def help_offers_of(pole: Pole) -> dict[int, HelpOffer]:
    """{objective id: offer} of the pole."""
    return {o.objective_id: o for o in HelpOffer.objects.filter(pole=pole)}


def help_offer_get(pk: int) -> HelpOffer | None:
    """An offer with its pole and objective; None when there is none."""
    return HelpOffer.objects.select_related("pole", "objective").filter(pk=pk).first()


def exchange_get(pk: int) -> ExchangeRequest | None:
    """An exchange request with its poles, objective and people; None when there is none
    (the view then asks resources.permissions.can_see_exchange)."""
    return (
        ExchangeRequest.objects.select_related(
            "requester_pole", "helper_pole", "objective", "requested_by", "decided_by"
        )
        .filter(pk=pk)
        .first()
    )


def _open_first(queryset: QuerySet[ExchangeRequest]) -> QuerySet[ExchangeRequest]:
    return (
        queryset.select_related("requester_pole", "helper_pole", "objective")
        .annotate(
            waiting=Case(
                When(status=ExchangeRequest.Status.OPEN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("waiting", "-created_at", "-pk")
    )


# The space lists the latest requests of each side (older ones stay in the personal data
# export and the admin).
EXCHANGES_LISTED = 30


def peers_space(user) -> dict[str, Any]:
    """The coordinator's peers page: their poles with their offers, the requests their poles
    received and sent (waiting ones first). Four queries."""
    poles = list(
        poles_coordinated_by(user)
        .annotate(offer_count=Count("help_offers", distinct=True))
        .order_by("name")
    )
    ids = [p.pk for p in poles]
    received = list(
        _open_first(ExchangeRequest.objects.filter(helper_pole_id__in=ids))[:EXCHANGES_LISTED]
    )
    sent = list(
        _open_first(ExchangeRequest.objects.filter(requester_pole_id__in=ids))[:EXCHANGES_LISTED]
    )
    return {"poles": poles, "received": received, "sent": sent}


def exchanges_waiting_count(user) -> int:
    """Requests waiting for an answer of a pole `user` coordinates (Mon espace)."""
    return ExchangeRequest.objects.filter(
        helper_pole__in=poles_coordinated_by(user), status=ExchangeRequest.Status.OPEN
    ).count()
