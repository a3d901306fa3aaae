"""Writes of the resource centre. Each service checks its permission (resources.permissions),
runs in one transaction and refuses bad input with a French ValidationError before anything
is written: an attachment that is too big, forged or misnamed stores no file and no row, and
a file already stored is removed from the storage when its transaction does not commit."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from poles.models import Pole, Theme
from ptce_portal.mail import send_mail_on_commit, staff_recipients
from referential.models import PrincipalObjective

from . import files, licences
from .models import MAX_ATTACHMENTS, Attachment, Resource, ResourceKind, ResourceStatus
from .permissions import can_edit, can_moderate, can_propose, can_submit

logger = logging.getLogger(__name__)

# Slugs that are addresses of the resource centre itself (ressources/<slug>/).
RESERVED_SLUGS = {"pairs", "proposer", "moderation", "fichiers"}


@dataclass
class ResourceData:
    """What an author writes (validated by the form, checked again here)."""

    title: str
    kind: str
    summary: str
    body: str = ""
    licence: str = ""
    themes: Sequence[Theme] = field(default_factory=list)
    objectives: Sequence[PrincipalObjective] = field(default_factory=list)
    poles: Sequence[Pole] = field(default_factory=list)


def _unique_slug(title: str) -> str:
    """The resource's address, chosen once at creation (links stay valid after edits)."""
    base = slugify(title)[:200].strip("-") or "ressource"
    taken = (
        set(Resource.objects.filter(slug__startswith=base).values_list("slug", flat=True))
        | RESERVED_SLUGS
    )
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug


def _check(data: ResourceData) -> None:
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = _("Donnez un titre à la ressource.")
    if not data.summary.strip():
        errors["summary"] = _("Résumez la ressource en quelques lignes.")
    if data.kind not in ResourceKind.values:
        errors["kind"] = _("Choisissez le type de la ressource.")
    if data.licence and licences.get(data.licence) is None:
        errors["licence"] = _("Choisissez une licence de la liste.")
    if errors:
        raise ValidationError(errors)


def _check_uploads(uploads: Iterable[Any], *, already: int = 0) -> list[files.CheckedFile]:
    """Read every upload before anything is written; one bad file refuses them all."""
    uploads = [u for u in uploads if u]
    if already + len(uploads) > MAX_ATTACHMENTS:
        raise ValidationError(
            {"attachments": _("%(max)s fichiers au plus par ressource.") % {"max": MAX_ATTACHMENTS}}
        )
    checked, errors = [], []
    for upload in uploads:
        try:
            checked.append(files.check_upload(upload))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError({"attachments": errors})
    return checked


def _storage():
    return Attachment._meta.get_field("file").storage


def _store(resource: Resource, checked: list[files.CheckedFile], stored: list[str]) -> None:
    """Save the files through the storage, then their rows; each stored name goes into
    `stored` at once, for the caller to delete if its transaction fails."""
    position = max(resource.attachments.values_list("position", flat=True), default=-1) + 1
    for offset, item in enumerate(checked):
        attachment = Attachment(
            resource=resource,
            original_name=item.original_name,
            format=item.format,
            content_type=item.content_type,
            size=item.size,
            position=position + offset,
        )
        attachment.file.save(item.content.name or "fichier", item.content, save=False)
        stored.append(str(attachment.file.name))
        attachment.full_clean(exclude=["resource"])
        attachment.save()


def delete_files(names: Iterable[str]) -> None:
    storage = _storage()
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # the storage is down: an orphan file, not an error for the person
            logger.exception("Could not delete the attachment file %s", name)


def _delete_on_commit(names: Iterable[str]) -> None:
    """Remove deleted attachments' files once the change is committed (never before: a
    rolled-back change still points at them)."""
    names = [n for n in names if n]
    if names:
        transaction.on_commit(lambda: delete_files(names), robust=True)


class _FilesOfTransaction:
    """`with _FilesOfTransaction() as stored:` a transaction whose stored files (names
    appended to `stored`) are deleted from the storage when it fails: no orphan file. (A
    service called inside a larger transaction that fails later leaves its files: the
    portal's views call services outside any transaction.)"""

    def __enter__(self) -> list[str]:
        self.stored: list[str] = []
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        return self.stored

    def __exit__(self, exc_type, exc, tb):
        try:
            return self.atomic.__exit__(exc_type, exc, tb)
        finally:
            if exc_type is not None:
                delete_files(self.stored)


def _set_links(resource: Resource, data: ResourceData) -> None:
    resource.themes.set(data.themes)
    resource.objectives.set(data.objectives)
    resource.poles.set(data.poles)


def _apply(resource: Resource, data: ResourceData) -> None:
    resource.title = " ".join(data.title.split())
    resource.kind = data.kind
    resource.summary = data.summary.strip()
    resource.body = data.body.strip()
    resource.licence = data.licence or licences.default()


def _locked_for_edit(resource: Resource, by) -> Resource:
    """The resource's row, locked and read again: the permission is checked on what it is
    now (published meanwhile, the author can no longer change it)."""
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if not can_edit(by, resource):
        raise PermissionDenied(_("Vous ne pouvez pas modifier cette ressource."))
    return resource


def resource_create(*, by, data: ResourceData, uploads: Iterable[Any] = ()) -> Resource:
    """A coordinator (or staff) writes a resource: a draft, with its attachments."""
    if not can_propose(by):
        raise PermissionDenied(
            _("Seuls les coordinateurs d'un pôle et l'équipe peuvent proposer une ressource.")
        )
    _check(data)
    checked = _check_uploads(uploads)
    with _FilesOfTransaction() as stored:
        resource = Resource(author=by, status=ResourceStatus.DRAFT)
        _apply(resource, data)
        resource.slug = _unique_slug(resource.title)
        resource.full_clean()
        resource.save()
        _set_links(resource, data)
        _store(resource, checked, stored)
    return resource


def resource_update(
    *, resource: Resource, by, data: ResourceData, uploads: Iterable[Any] = ()
) -> Resource:
    """The author (before publication) or staff change the resource and add files."""
    _check(data)
    with _FilesOfTransaction() as stored:
        resource = _locked_for_edit(resource, by)
        checked = _check_uploads(uploads, already=resource.attachments.count())
        _apply(resource, data)
        resource.full_clean()
        resource.save()
        _set_links(resource, data)
        _store(resource, checked, stored)
    return resource


def attachment_add(*, resource: Resource, by, uploads: Iterable[Any]) -> list[Attachment]:
    with _FilesOfTransaction() as stored:
        resource = _locked_for_edit(resource, by)
        checked = _check_uploads(uploads, already=resource.attachments.count())
        if not checked:
            raise ValidationError({"attachments": _("Choisissez un fichier.")})
        _store(resource, checked, stored)
        resource.save(update_fields=["updated_at"])
    return list(resource.attachments.filter(file__in=stored))


@transaction.atomic
def attachment_delete(*, attachment: Attachment, by) -> None:
    _locked_for_edit(attachment.resource, by)
    name = attachment.file.name
    attachment.delete()
    _delete_on_commit([str(name)])


@transaction.atomic
def resource_submit(*, resource: Resource, by) -> Resource:
    """The author sends the resource to staff for publication."""
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if not can_submit(by, resource):
        raise PermissionDenied(_("Cette ressource ne peut pas être soumise."))
    resource.status = ResourceStatus.SUBMITTED
    resource.submitted_at = timezone.now()
    resource.refusal_reason = ""
    resource.save()
    send_mail_on_commit(
        to=staff_recipients(),
        template_name="resources/email/staff_submitted.txt",
        context={"resource": resource},
    )
    return resource


def _tell_author(resource: Resource, template: str) -> None:
    author = resource.author
    if author is None or not author.email:
        return
    send_mail_on_commit(
        to=[author.email],
        template_name=f"resources/email/{template}.txt",
        context={"resource": resource},
        language=getattr(author, "language", None) or None,
    )


@transaction.atomic
def resource_publish(*, resource: Resource, by) -> Resource:
    """Staff publish a submitted resource: on /ressources/ at once (the page cache follows
    the content version); the author is told."""
    if not can_moderate(by):
        raise PermissionDenied(_("Seule l'équipe publie les ressources."))
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if resource.status not in (ResourceStatus.SUBMITTED, ResourceStatus.DRAFT):
        raise ValidationError(
            _("Cette ressource est « %(status)s » : elle ne peut pas être publiée.")
            % {"status": resource.get_status_display()}
        )
    resource.status = ResourceStatus.PUBLISHED
    resource.published_at = timezone.now()
    resource.decided_by = by
    resource.refusal_reason = ""
    resource.save()
    _tell_author(resource, "published")
    return resource


@transaction.atomic
def resource_refuse(*, resource: Resource, by, reason: str) -> Resource:
    """Staff refuse a submitted resource with a reason sent to the author, who may change it
    and submit it again."""
    if not can_moderate(by):
        raise PermissionDenied(_("Seule l'équipe publie les ressources."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Indiquez le motif du refus : il sera envoyé à l'auteur.")}
        )
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if resource.status != ResourceStatus.SUBMITTED:
        raise ValidationError(
            _("Cette ressource est « %(status)s » : elle ne peut pas être refusée.")
            % {"status": resource.get_status_display()}
        )
    resource.status = ResourceStatus.REFUSED
    resource.refusal_reason = reason
    resource.decided_by = by
    resource.full_clean()
    resource.save()
    _tell_author(resource, "refused")
    return resource


@transaction.atomic
def resource_unpublish(*, resource: Resource, by) -> Resource:
    """Staff take a published resource off the centre (it goes back to its author as a
    draft)."""
    if not can_moderate(by):
        raise PermissionDenied(_("Seule l'équipe publie les ressources."))
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if resource.status != ResourceStatus.PUBLISHED:
        raise ValidationError(_("Cette ressource n'est pas publiée."))
    resource.status = ResourceStatus.DRAFT
    resource.published_at = None
    resource.decided_by = by
    resource.save()
    return resource
