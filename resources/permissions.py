"""Who may do what in the resource centre. Coordinators of a pole (approved) and staff
propose resources; an author edits their own until it is published; staff moderate (publish
or refuse) and may edit any resource. Published resources are public."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from poles.models import PoleCoordinator
from ptce_portal.permissions import is_portal_staff

if TYPE_CHECKING:
    from .models import Resource

_COORDINATOR_ATTR = "_ptce_coordinates_a_pole"


def coordinates_a_pole(user: Any) -> bool:
    """An approved coordinator of at least one pole; remembered on the user."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    cached = getattr(user, _COORDINATOR_ATTR, None)
    if cached is None:
        cached = PoleCoordinator.objects.filter(
            user=user, status=PoleCoordinator.Status.APPROVED
        ).exists()
        setattr(user, _COORDINATOR_ATTR, cached)
    return cached


def can_propose(user: Any) -> bool:
    """Write a new resource: staff, or a coordinator of a pole."""
    return is_portal_staff(user) or coordinates_a_pole(user)


def can_moderate(user: Any) -> bool:
    """Publish or refuse submitted resources, withdraw published ones."""
    return is_portal_staff(user)


def is_author(user: Any, resource: Resource) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and resource.author_id is not None
        and resource.author_id == user.pk
    )


def can_edit(user: Any, resource: Resource) -> bool:
    """Change the resource and its attachments: staff, or its author while it is not
    published (a published resource goes back to moderation through staff)."""
    if is_portal_staff(user):
        return True
    return (
        is_author(user, resource)
        and coordinates_a_pole(user)
        and resource.status != resource.Status.PUBLISHED
    )


def can_submit(user: Any, resource: Resource) -> bool:
    """Send a draft (or a refused resource, once changed) to moderation."""
    return (
        resource.status in (resource.Status.DRAFT, resource.Status.REFUSED)
        and is_author(user, resource)
        and can_propose(user)
    )


def can_view(user: Any, resource: Resource) -> bool:
    """Published resources are public; the others are seen by their author and staff."""
    return resource.is_published or is_portal_staff(user) or is_author(user, resource)
