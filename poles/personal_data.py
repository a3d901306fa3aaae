"""Personal data held by poles: the person's coordinator roles and requests (and regional
coordination role), and the pole edits they proposed. See ptce_portal.personal_data for
the contract."""

from .models import PoleCoordinator, PoleRevision, RegionalCoordination


def export(user) -> dict:
    return {
        "coordinations_regionales": _regional(user),
        "coordinations": [
            {
                "pole": c.pole.name,
                "pole_slug": c.pole.slug,
                "statut": c.status,
                "statut_libelle": str(c.get_status_display()),
                "message": c.message,
                "demande_le": c.requested_at,
                "decide_le": c.decided_at,
                "motif_du_refus": c.refusal_reason,
            }
            for c in PoleCoordinator.objects.filter(user=user)
            .select_related("pole")
            .order_by("requested_at", "pk")
        ],
        "modifications_proposees": [
            {
                "pole": r.pole.name,
                "proposee_le": r.created_at,
                "statut": r.status,
                "decidee_le": r.decided_at,
                "motif": r.reason,
                "donnees": r.data,
            }
            for r in PoleRevision.objects.filter(proposed_by=user)
            .select_related("pole")
            .order_by("created_at", "pk")
        ],
    }


def _regional(user) -> list[dict]:
    return [
        {"region": r.region.name, "structure": r.organisation, "nommee_le": r.created_at}
        for r in RegionalCoordination.objects.filter(user=user)
        .select_related("region")
        .order_by("pk")
    ]


def personal_values(user) -> set[str]:
    return set()


def owned_objects(user) -> dict:
    return {
        PoleCoordinator: list(
            PoleCoordinator.objects.filter(user=user).values_list("pk", flat=True)
        ),
        RegionalCoordination: list(
            RegionalCoordination.objects.filter(user=user).values_list("pk", flat=True)
        ),
    }


def erase(user) -> None:
    """Coordinator links and requests go (with the request message); the poles stay, and
    the edits the person proposed stay in the pole's history without their name."""
    PoleCoordinator.objects.filter(user=user).delete()
    RegionalCoordination.objects.filter(user=user).delete()
    PoleRevision.objects.filter(proposed_by=user).update(proposed_by=None)
