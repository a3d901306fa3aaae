"""Who may do what in peer help between poles: a pole's coordinators offer its help and ask
other poles for an exchange; an exchange request is the two poles' coordinators' business,
and only the asked pole answers it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from poles.permissions import is_pole_coordinator
from ptce_portal.permissions import is_portal_staff
from referential.permissions import can_manage_assessment

if TYPE_CHECKING:
    from poles.models import Pole
    from referential.models import Assessment

    from .models import ExchangeRequest


def can_offer_help(user: Any, pole: Pole | int) -> bool:
    """Say on which principal objectives the pole can help other poles: its coordinators."""
    return is_pole_coordinator(user, pole)


def can_request_exchange(user: Any, pole: Pole | int) -> bool:
    """Ask a pole that offered help for an exchange, on behalf of `pole`: its coordinators."""
    return is_pole_coordinator(user, pole)


def can_see_exchange(user: Any, exchange: ExchangeRequest) -> bool:
    """An exchange request is read by the coordinators of the two poles, nobody else."""
    return is_pole_coordinator(user, exchange.requester_pole_id) or is_pole_coordinator(
        user, exchange.helper_pole_id
    )


def can_answer_exchange(user: Any, exchange: ExchangeRequest) -> bool:
    """Accept or decline: the coordinators of the pole that is asked."""
    return is_pole_coordinator(user, exchange.helper_pole_id)


def can_withdraw_exchange(user: Any, exchange: ExchangeRequest) -> bool:
    """Withdraw a request still waiting for its answer: the requesting pole's coordinators."""
    return is_pole_coordinator(user, exchange.requester_pole_id)


def can_see_requester_address(user: Any, exchange: ExchangeRequest) -> bool:
    """Once accepted, the requester's address goes to the coordinator who accepted (and is
    known on the requesting side), not to the helping pole's other coordinators."""
    if not exchange.is_accepted:
        return False
    accepted_by = exchange.decided_by_id
    return (accepted_by is not None and getattr(user, "pk", None) == accepted_by) or (
        is_pole_coordinator(user, exchange.requester_pole_id)
    )


def can_moderate_exchanges(user: Any) -> bool:
    """Read the help offers and exchange requests (messages included) in the admin, and close
    an abusive request: the staff holding the permission to change exchange requests."""
    return is_portal_staff(user) and user.has_perm("resources.change_exchangerequest")


def can_see_peer_help(user: Any, assessment: Assessment) -> bool:
    """The peers' block of a results page (resources and poles that offered help on the
    weakest objectives): the assessed pole's coordinators, not its respondents, once the
    assessment is closed."""
    return not assessment.is_open and can_manage_assessment(user, assessment)
