"""Personal data held by the resource centre: the resources a person wrote (their author
link) and the moderation decisions of staff; peer help's exchange requests
(resources/peers_personal_data.py). See ptce_portal.personal_data for the contract.

Erasure: a published resource stays (it was published under its licence for the other
poles) without its author; an unpublished one (draft, waiting, refused) is the person's own
work in progress and goes, with its files (deleted from the storage once committed)."""

from django.db import transaction

from ptce_portal import versions

from . import peers_personal_data, services
from .apps import CONTENT_VERSION
from .models import Attachment, Resource, ResourceStatus


def export(user) -> dict:
    return {
        **peers_personal_data.export(user),
        "ressources": [
            {
                "titre": r.title,
                "type": r.kind,
                "statut": r.status,
                "resume": r.summary,
                "licence": r.licence,
                "motif_du_refus": r.refusal_reason,
                "fichiers": [a.original_name for a in r.attachments.all()],
                "creee_le": r.created_at,
                "soumise_le": r.submitted_at,
                "publiee_le": r.published_at,
                "adresse": r.get_absolute_url(),
            }
            for r in Resource.objects.filter(author=user)
            .prefetch_related("attachments")
            .order_by("created_at", "pk")
        ],
    }


def personal_values(user) -> set[str]:
    # the resources name their author by the account only
    return peers_personal_data.personal_values(user)


def owned_objects(user) -> dict:
    return {
        Resource: list(Resource.objects.filter(author=user).values_list("pk", flat=True)),
        **peers_personal_data.owned_objects(user),
    }


def erase(user) -> None:
    peers_personal_data.erase(user)
    unpublished = Resource.objects.filter(author=user).exclude(status=ResourceStatus.PUBLISHED)
    names = list(Attachment.objects.filter(resource__in=unpublished).values_list("file", flat=True))
    unpublished.delete()
    Resource.objects.filter(author=user).update(author=None)
    Resource.objects.filter(decided_by=user).update(decided_by=None)
    versions.bump(CONTENT_VERSION)  # update() sends no signal
    if names:
        transaction.on_commit(lambda: services.delete_files(names), robust=True)
