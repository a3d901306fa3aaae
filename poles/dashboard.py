"""Panel of "Mon espace": my poles, my pending requests, links."""

from django.db.models import Count, Q

from .models import PoleCoordinator, PoleRevision
from .permissions import can_moderate_poles, moderated_region_ids
from .selectors import (
    coordinations_of,
    pending_coordination_requests,
    regional_pending_counts,
    regions_by_ids,
)


def panel(request) -> dict | None:
    user = request.user
    if not user.is_authenticated:
        return None
    coordinations = list(
        coordinations_of(user).annotate(
            pending_revisions=Count(
                "pole__revisions", filter=Q(pole__revisions__status=PoleRevision.Status.PENDING)
            )
        )
    )
    data = {
        "template": "poles/_dashboard_panel.html",
        "approved": [c for c in coordinations if c.status == PoleCoordinator.Status.APPROVED],
        "requested": [c for c in coordinations if c.status == PoleCoordinator.Status.REQUESTED],
        "refused": [c for c in coordinations if c.status == PoleCoordinator.Status.REFUSED],
    }
    if can_moderate_poles(user):
        data["staff_pending_requests"] = pending_coordination_requests().count()
        data["staff_pending_revisions"] = PoleRevision.objects.filter(
            status=PoleRevision.Status.PENDING
        ).count()
    regions = moderated_region_ids(user)
    if regions:
        data["regional"] = {
            "regions": regions_by_ids(regions),
            **regional_pending_counts(regions),
        }
    return data
