"""Writes of the poles domain. Other apps change poles only through these functions."""

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from .models import Pole, PoleCoordinator


def unique_pole_slug(name: str) -> str:
    base = slugify(name.replace("’", "-").replace("'", "-"))[:100] or "pole"
    slug, n = base, 2
    while Pole.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


@transaction.atomic
def pole_propose(*, user, name: str, **fields) -> Pole:
    """A signed-in user proposes a new pole: it stays unpublished until staff validate it,
    and the user's request to coordinate it waits for the same decision."""
    pole = Pole(name=name.strip(), slug=unique_pole_slug(name), is_published=False, **fields)
    pole.full_clean()
    pole.save()
    PoleCoordinator.objects.create(pole=pole, user=user, status=PoleCoordinator.Status.REQUESTED)
    return pole


@transaction.atomic
def coordinator_approve(*, coordination: PoleCoordinator, by) -> PoleCoordinator:
    coordination.status = PoleCoordinator.Status.APPROVED
    coordination.decided_by = by
    coordination.decided_at = timezone.now()
    coordination.refusal_reason = ""
    coordination.save()
    return coordination


@transaction.atomic
def pole_set_signatory(*, pole: Pole, signed: bool) -> Pole:
    """Called by the charter domain when a signature is validated (signed=True) or
    when the pole no longer has a valid signature (signed=False)."""
    pole = Pole.objects.select_for_update().get(pk=pole.pk)
    if signed:
        pole.status = Pole.Status.SIGNATORY
    elif pole.status == Pole.Status.SIGNATORY:
        pole.status = Pole.Status.ENGAGED
    pole.save(update_fields=["status", "updated_at"])
    return pole
