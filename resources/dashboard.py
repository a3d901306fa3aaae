"""Panel of "Mon espace": the person's resources and their state, a link to propose one,
and for staff the number waiting for publication; for a pole's coordinators, peer help (the
exchange requests waiting for their answer)."""

from . import peers_dashboard, selectors
from .permissions import can_moderate, can_propose, coordinates_a_pole

PANEL_ITEMS = 8


def panel(request) -> dict | None:
    user = request.user
    if not user.is_authenticated:
        return None
    mine = list(selectors.resources_of_author(user)[: PANEL_ITEMS + 1])
    proposes = can_propose(user)
    moderates = can_moderate(user)
    if not mine and not proposes and not moderates:
        return None
    total = len(mine) if len(mine) <= PANEL_ITEMS else selectors.resources_of_author(user).count()
    return {
        "template": "resources/_dashboard_panel.html",
        "resources": mine[:PANEL_ITEMS],
        "more": max(total - PANEL_ITEMS, 0),
        "can_propose": proposes,
        "pending_count": selectors.pending_count() if moderates else None,
        "peers_waiting": peers_dashboard.waiting(user) if coordinates_a_pole(user) else None,
    }
