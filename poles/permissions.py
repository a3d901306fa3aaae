"""Who may do what with poles. The roles (staff, signed-in member) come from the foundation
(ptce_portal.permissions); the other apps build their rules on `is_pole_coordinator`.

Views, services, selectors and templates ask these predicates instead of reading
coordinator rows or `is_staff` themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ptce_portal.permissions import is_portal_staff

from .models import PoleCoordinator, RegionalCoordination

if TYPE_CHECKING:
    from .models import Pole


def is_pole_coordinator(user: Any, pole: Pole | int | None) -> bool:
    """An approved coordinator of the pole (a Pole or its id)."""
    if user is None or not user.is_authenticated or pole is None:
        return False
    return PoleCoordinator.objects.filter(
        pole=pole, user=user, status=PoleCoordinator.Status.APPROVED
    ).exists()


def has_coordination_request(user: Any, pole: Pole | int | None) -> bool:
    """`user` proposed the pole or asked to coordinate it, and staff have not answered yet."""
    if user is None or not user.is_authenticated or pole is None:
        return False
    return PoleCoordinator.objects.filter(
        pole=pole, user=user, status=PoleCoordinator.Status.REQUESTED
    ).exists()


def can_edit_pole(user: Any, pole: Pole) -> bool:
    """Change the pole's public page and members: staff, or one of its coordinators."""
    return is_portal_staff(user) or is_pole_coordinator(user, pole)


def can_view_pole(user: Any, pole: Pole) -> bool:
    """Published poles are public; the others are seen by staff and their coordinators."""
    return pole.is_published or can_edit_pole(user, pole)


def pole_edits_skip_review(user: Any) -> bool:
    """Staff changes go straight to the public page, even on poles whose edits need review."""
    return is_portal_staff(user)


def can_moderate_poles(user: Any) -> bool:
    """Decide on coordinator requests, proposed poles and pole edits under review, for every
    pole (in the admin)."""
    return is_portal_staff(user)


# Regional coordination: moderates the poles of its regions (coordinator requests, pole edits
# under review) from its own page, without being staff.

_REGIONS_ATTR = "_ptce_moderated_region_ids"


def moderated_region_ids(user: Any) -> frozenset[int]:
    """Ids of the regions (current or former) `user` coordinates; remembered on the user."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, _REGIONS_ATTR, None)
    if cached is None:
        cached = frozenset(
            RegionalCoordination.objects.filter(user=user).values_list("region_id", flat=True)
        )
        setattr(user, _REGIONS_ATTR, cached)
    return cached


def needs_second_factor(user: Any) -> bool:
    """A regional coordination approves coordinators and pole edits: like staff, it signs in
    with a second factor (ptce_portal.middleware.StaffSecondFactorMiddleware)."""
    return bool(moderated_region_ids(user))


def can_moderate_pole(user: Any, pole: Pole) -> bool:
    """Staff, or the regional coordination of the pole's current or former region."""
    if is_portal_staff(user):
        return True
    regions = moderated_region_ids(user)
    return bool(regions) and (pole.region_id in regions or pole.former_region_id in regions)
