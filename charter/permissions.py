"""Who may do what with the charter and its signatures (on top of the foundation's roles and
poles' coordinators)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from poles.permissions import has_coordination_request, is_pole_coordinator
from ptce_portal.permissions import is_portal_staff

if TYPE_CHECKING:
    from poles.models import Pole

    from .models import Signature


def can_manage_signature(user: Any, signature: Signature) -> bool:
    """See the full signature (personal data), its PDF, withdraw it: staff and the pole's
    approved coordinators."""
    return is_portal_staff(user) or is_pole_coordinator(user, signature.pole_id)


def can_view_signature(user: Any, signature: Signature) -> bool:
    """The signer also sees their own signature while it waits for validation."""
    if user is None or not user.is_authenticated:
        return False
    return signature.signer_id == user.pk or can_manage_signature(user, signature)


def can_sign_for_pole(user: Any, pole: Pole) -> bool:
    """Sign the charter in the name of an existing pole: its coordinators, and the person who
    proposed it or asked to coordinate it (staff decide on both with the signature)."""
    return is_pole_coordinator(user, pole) or has_coordination_request(user, pole)


def can_decide_signatures(user: Any) -> bool:
    """Validate or refuse submitted charter signatures."""
    return is_portal_staff(user)
