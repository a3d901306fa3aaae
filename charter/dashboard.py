"""Panel of "Mon espace": the user's charter signatures, the poles they coordinate that have
not signed the current version yet, and a link to sign."""

from poles.selectors import poles_coordinated_by

from . import selectors
from .permissions import can_decide_signatures, can_manage_signature


def panel(request) -> dict | None:
    user = request.user
    if not user.is_authenticated:
        return None
    signatures = list(selectors.signatures_of_user(user))
    coordinated = list(poles_coordinated_by(user).order_by("name"))
    coordinated_ids = {pole.pk for pole in coordinated}
    for signature in signatures:
        # A coordinator of the pole may (see can_manage_signature): no query per signature.
        signature.can_download = signature.is_valid and (
            signature.pole_id in coordinated_ids or can_manage_signature(user, signature)
        )
    version = selectors.current_version_number()
    unsigned = []
    if version is not None:
        signed = {s.pole_id for s in signatures if s.is_active and s.version_id == version.pk}
        unsigned = [pole for pole in coordinated if pole.pk not in signed]
    return {
        "template": "charter/_dashboard_panel.html",
        "signatures": signatures,
        "unsigned_poles": unsigned,
        "version": version,
        "pending_count": (
            selectors.pending_signatures().count() if can_decide_signatures(user) else None
        ),
    }
