"""Writes of the poles domain. Other apps change poles only through these functions."""

import logging
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from audit import services as audit_services
from ptce_portal import versions
from ptce_portal.mail import absolute_url, send_mail_on_commit, staff_recipients

from .apps import CONTENT_VERSION
from .models import (
    PROFILE_FIELDS,
    PROFILE_M2M_FIELDS,
    FactSource,
    Pole,
    PoleCoordinator,
    PoleMember,
    PoleRevision,
    is_in_france,
)
from .permissions import (
    can_edit_pole,
    can_moderate_pole,
    is_pole_coordinator,
    pole_edits_skip_review,
)
from .selectors import poles_with_same_name

logger = logging.getLogger(__name__)


def unique_pole_slug(name: str) -> str:
    base = slugify(name.replace("’", "-").replace("'", "-"))[:100] or "pole"
    slug, n = base, 2
    while Pole.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _mail(*, template: str, context: dict, to: list[str]) -> None:
    """Send poles/email/<template>.txt (French: the people written to did not make the
    request) once the transaction is committed."""
    send_mail_on_commit(to=to, template_name=f"poles/email/{template}.txt", context=context)


def _notify_staff(*, template: str, context: dict) -> None:
    _mail(template=template, context=context, to=staff_recipients())


def _request_received(coordination: PoleCoordinator, *, new_pole: bool) -> None:
    """A request to coordinate (a claim, or a new pole) arrived: staff are told
    (staff_new_request), and the requester is told what comes next."""
    pole = coordination.pole
    _notify_staff(
        template="staff_new_request",
        context={
            "coordination": coordination,
            "pole": pole,
            "new_pole": new_pole,
            # A new pole named like a published or pending one: staff are told (a possible
            # duplicate).
            "same_name_poles": (
                poles_with_same_name(pole.name, exclude_pk=pole.pk) if new_pole else []
            ),
        },
    )
    send_mail_on_commit(
        to=[coordination.user.email],
        template_name="poles/email/request_received.txt",
        context={
            "coordination": coordination,
            "pole": coordination.pole,
            "new_pole": new_pole,
            "dashboard_url": absolute_url(reverse("dashboard")),
        },
        # The requester made this request: written in the language they use on the site.
        language=translation.get_language(),
    )


def check_coordinates(latitude, longitude) -> None:
    if latitude is None and longitude is None:
        return
    if latitude is None or longitude is None:
        raise ValidationError(_("Indiquez la latitude et la longitude, ou aucune des deux."))
    if not is_in_france(latitude, longitude):
        raise ValidationError(
            _(
                "Les coordonnées (%(lat)s ; %(lon)s) sont hors de France : vérifiez-les "
                "(latitude puis longitude, en degrés décimaux)."
            )
            % {"lat": latitude, "lon": longitude}
        )


class AddressNotFound(ValidationError):
    """The address or town given was not found by the national address API, or the API did
    not answer (`failure`: geocoding.NOT_FOUND or UNAVAILABLE): the person checks it, or
    accepts that the pole is placed at its department's chef-lieu for the time being."""

    def __init__(self, message: str, *, field: str, chef_lieu: str, failure: str = ""):
        super().__init__({field: [message]})
        self.field = field
        self.chef_lieu = chef_lieu
        self.failure = failure
        self.message_text = message


def _locate(pole: Pole, departments: list, *, accept_approximate: bool) -> str:
    """Region from the first department; coordinates from the address API, or the chef-lieu
    when it found nothing. Raises AddressNotFound when the address or town was not found
    (unless `accept_approximate`); returns the notice to show when the pole was placed at the
    chef-lieu after a failed lookup (not found and accepted, or the API did not answer),
    else ""."""
    from .geocoding import failure_message, locate

    if departments:
        pole.region = departments[0].region
        pole.former_region = departments[0].former_region
    located = locate(
        address=pole.address, postcode=pole.postcode, town=pole.town, departments=departments
    )
    notice = ""
    pole.location_failure = ""
    if located:
        chef_lieu = departments[0].chef_lieu if departments else ""
        if located.failure and not accept_approximate:
            raise AddressNotFound(
                failure_message(located, chef_lieu=chef_lieu, placed=False),
                field="address" if pole.address else "town",
                chef_lieu=chef_lieu,
                failure=located.failure,
            )
        if located.failure:
            notice = failure_message(located, chef_lieu=chef_lieu)
        pole.latitude = located.latitude
        pole.longitude = located.longitude
        pole.coordinates_approximate = located.approximate
        # Kept for staff: a pole placed at the chef-lieu after a failed lookup is checked.
        pole.location_failure = located.failure
    check_coordinates(pole.latitude, pole.longitude)
    return notice


def address_check(*, address: str, postcode: str, town: str, departments) -> None:
    """Look the address (or town) up without writing anything: raises AddressNotFound when
    the national address API found nothing or did not answer, so that the person is asked
    before a pole is placed at its department's chef-lieu (the signing form's preview)."""
    pole = Pole(address=address, postcode=postcode, town=town)
    _locate(pole, list(departments), accept_approximate=False)


@transaction.atomic
def pole_propose(
    *,
    user,
    name: str,
    departments=None,
    themes=None,
    message: str = "",
    accept_approximate: bool = False,
    **fields,
) -> Pole:
    """A signed-in user proposes a new pole: it stays unpublished until staff validate it,
    and the user's request to coordinate it waits for the same decision. The address (or
    town) is looked up first: one that is not found, or an address API that does not answer,
    raises AddressNotFound before anything is written, unless the person accepted the
    chef-lieu (`accept_approximate`); the pole is then placed there, `pole.location_notice`
    says so for the view to show, and `pole.location_failure` keeps it for staff."""
    pole = Pole(
        name=name.strip(),
        slug=unique_pole_slug(name),
        is_published=False,
        status=Pole.Status.IDENTIFIED,
        **fields,
    )
    pole.full_clean()
    departments = list(departments or [])
    notice = _locate(pole, departments, accept_approximate=accept_approximate)
    pole.save()
    if departments:
        pole.departments.set(departments)
    if themes:
        pole.themes.set(themes)
    pole.location_notice = notice
    coordination = PoleCoordinator.objects.create(
        pole=pole, user=user, status=PoleCoordinator.Status.REQUESTED, message=message
    )
    _request_received(coordination, new_pole=True)
    return pole


@transaction.atomic
def coordinator_request(*, user, pole: Pole, message: str = "") -> PoleCoordinator:
    """A signed-in user asks to coordinate an existing pole (one request per pole and user;
    a refused request can be made again)."""
    coordination = PoleCoordinator.objects.select_for_update().filter(pole=pole, user=user).first()
    if coordination and coordination.status != PoleCoordinator.Status.REFUSED:
        raise ValidationError(
            _("Vous coordonnez déjà ce pôle.")
            if coordination.status == PoleCoordinator.Status.APPROVED
            else _("Votre demande pour ce pôle est déjà en attente.")
        )
    if coordination is None:
        coordination = PoleCoordinator(pole=pole, user=user)
    coordination.status = PoleCoordinator.Status.REQUESTED
    coordination.message = message.strip()
    coordination.refusal_reason = ""
    coordination.decided_at = None
    coordination.decided_by = None
    coordination.full_clean(validate_unique=False)
    coordination.save()
    _request_received(coordination, new_pole=False)
    return coordination


@transaction.atomic
def coordinator_approve(
    *, coordination: PoleCoordinator, by, publish_pole: bool = False
) -> PoleCoordinator:
    coordination.status = PoleCoordinator.Status.APPROVED
    coordination.decided_by = by
    coordination.decided_at = timezone.now()
    coordination.refusal_reason = ""
    coordination.save()
    if publish_pole and not coordination.pole.is_published:
        coordination.pole.is_published = True
        coordination.pole.save(update_fields=["is_published", "updated_at"])
    _mail(
        template="coordination_approved",
        context={
            "coordination": coordination,
            "pole": coordination.pole,
            "pole_url": absolute_url(coordination.pole.get_absolute_url()),
            "dashboard_url": absolute_url("/mon-espace/"),
        },
        to=[coordination.user.email],
    )
    return coordination


@transaction.atomic
def coordinator_refuse(*, coordination: PoleCoordinator, by, reason: str) -> PoleCoordinator:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Indiquez le motif du refus : il est envoyé à la personne."))
    coordination.status = PoleCoordinator.Status.REFUSED
    coordination.decided_by = by
    coordination.decided_at = timezone.now()
    coordination.refusal_reason = reason
    coordination.save()
    _mail(
        template="coordination_refused",
        context={"coordination": coordination, "pole": coordination.pole, "reason": reason},
        to=[coordination.user.email],
    )
    return coordination


def _check_moderator(*, by, pole: Pole, subject) -> None:
    if not can_moderate_pole(by, pole):
        raise PermissionDenied(_("Vous ne modérez pas les pôles de cette région."))
    if subject is not None and subject.pk == by.pk:
        raise PermissionDenied(_("Une autre personne doit répondre à votre propre demande."))


@transaction.atomic
def coordination_request_decide(
    *, coordination: PoleCoordinator, by, approve: bool, reason: str = ""
) -> PoleCoordinator:
    """Staff or the regional coordination of the pole's region answers a pending request
    (never their own). The request is locked: two moderators cannot both answer it."""
    coordination = (
        PoleCoordinator.objects.select_for_update(of=("self",))
        .select_related("pole", "user")
        .get(pk=coordination.pk)
    )
    _check_moderator(by=by, pole=coordination.pole, subject=coordination.user)
    if coordination.status != PoleCoordinator.Status.REQUESTED:
        raise ValidationError(_("Cette demande a déjà reçu une réponse."))
    if approve:
        return coordinator_approve(coordination=coordination, by=by)
    return coordinator_refuse(coordination=coordination, by=by, reason=reason)


@transaction.atomic
def revision_decide(*, revision: PoleRevision, by, apply: bool, reason: str = ""):
    """Staff or the regional coordination of the pole's region applies or rejects a pending
    edit (never one they proposed)."""
    revision = _pending_revision_for_update(revision)
    _check_moderator(by=by, pole=revision.pole, subject=revision.proposed_by)
    if apply:
        return revision_apply(revision=revision, by=by)
    return revision_reject(revision=revision, by=by, reason=reason)


@transaction.atomic
def pole_set_signatory(*, pole: Pole, signed: bool, signed_on: date | None = None) -> Pole:
    """Called by the charter domain when a signature is validated (signed=True, with the
    date of the pole's signature of the latest version it signed) or when the pole no longer
    has a valid signature (signed=False). The date is what poles shows of the charter."""
    pole = Pole.objects.select_for_update().get(pk=pole.pk)
    if signed:
        pole.status = Pole.Status.SIGNATORY
    elif pole.status == Pole.Status.SIGNATORY:
        pole.status = Pole.Status.ENGAGED
    pole.charter_signed_on = signed_on if signed else None
    pole.save(update_fields=["status", "charter_signed_on", "updated_at"])
    return pole


# What a signatory declared of the pole when signing the charter (stage of the pole and its
# coordinates), applied when staff validate the signature.
DECLARED_FIELDS = ("address", "postcode", "town", "website", "contact_email", "contact_phone")


@transaction.atomic
def pole_apply_declared_details(*, pole: Pole, maturity: str = "", **details: str) -> Pole:
    """Called by the charter domain when staff validate a signature: the coordinates typed
    in the signature (DECLARED_FIELDS; empty values change nothing) and the declared maturity
    go to the pole's page. The address changed: the pole is placed again."""
    unknown = set(details) - set(DECLARED_FIELDS)
    if unknown:
        raise ValueError(f"Not a declared detail of a pole: {sorted(unknown)}")
    pole = Pole.objects.select_for_update().get(pk=pole.pk)
    address_before = (pole.address, pole.postcode, pole.town)
    changed = set()
    for field, value in details.items():
        value = (value or "").strip()
        if value:
            if getattr(pole, field) != value:
                changed.add(field)
            setattr(pole, field, value)
    if maturity:
        if pole.maturity != maturity:
            changed.add("maturity")
        pole.maturity = maturity
    pole.full_clean(exclude=["slug"])
    pole.save()
    moved = (pole.address, pole.postcode, pole.town) != address_before
    if moved:
        # Staff validate: an address not found leaves the pole at its chef-lieu, and
        # pole.location_notice says so.
        departments = list(pole.departments.select_related("region", "former_region"))
        pole.location_notice = _locate(pole, departments, accept_approximate=True)
        pole.save()
    # Declared by the pole in its signature: these facts are now the pole's word.
    facts = _facts_of(changed)
    if moved:
        facts.add(FactSource.Fact.POSITION)
    _record_entered_facts(pole, facts, by_pole=True)
    return pole


def pole_declared_details(pole: Pole) -> dict:
    """The pole's current values of what a signature may fill (to put them back)."""
    return {field: getattr(pole, field) for field in (*DECLARED_FIELDS, "maturity")}


@transaction.atomic
def pole_restore_declared_details(*, pole: Pole, values: dict) -> Pole:
    """Put back the values `pole_declared_details` gave (a validation undone by staff)."""
    pole = Pole.objects.select_for_update().get(pk=pole.pk)
    address_before = (pole.address, pole.postcode, pole.town)
    for field in (*DECLARED_FIELDS, "maturity"):
        if field in values:
            setattr(pole, field, values[field])
    pole.full_clean(exclude=["slug"])
    pole.save()
    if (pole.address, pole.postcode, pole.town) != address_before:
        departments = list(pole.departments.select_related("region", "former_region"))
        _locate(pole, departments, accept_approximate=True)
        pole.save()
    return pole


@transaction.atomic
def coordination_reopen(*, coordination: PoleCoordinator) -> PoleCoordinator:
    """An approval made by mistake (with a signature's validation, undone): the request waits
    for staff again."""
    coordination.status = PoleCoordinator.Status.REQUESTED
    coordination.decided_by = None
    coordination.decided_at = None
    coordination.save()
    return coordination


@transaction.atomic
def poles_set_published(*, poles, published: bool) -> int:
    pks = [p.pk for p in poles]
    # Rows locked in a fixed order; the ones that change are written to the audit log
    # (update() sends no signal).
    changing = list(
        Pole.objects.select_for_update()
        .filter(pk__in=pks)
        .exclude(is_published=published)
        .order_by("pk")
    )
    count = Pole.objects.filter(pk__in=pks).update(
        is_published=published, updated_at=timezone.now()
    )
    for pole in changing:
        audit_services.log_update(
            instance=pole, changes={"is_published": (pole.is_published, published)}
        )
    versions.bump(CONTENT_VERSION)  # update() sends no signal either
    return count


# --- Profile edits by coordinators -------------------------------------------------------------


def _serialise_changes(cleaned: dict, members: list[dict]) -> dict:
    data = {}
    for field in PROFILE_FIELDS:
        if field in cleaned:
            data[field] = cleaned[field]
    for field in PROFILE_M2M_FIELDS:
        if field in cleaned:
            data[field] = sorted(obj.pk for obj in cleaned[field])
    data["members"] = members
    return data


# The facts a field of the pole carries (poles.models.FactSource): changing the field replaces
# the fact's source with who entered it and when. The profile's fields, and those only staff
# edit in the admin (the region and the point on the map).
FIELD_FACTS: dict[str, FactSource.Fact] = {
    "name": FactSource.Fact.NAME,
    "carrier_structure": FactSource.Fact.CARRIER,
    "territory_label": FactSource.Fact.TERRITORY,
    "region": FactSource.Fact.TERRITORY,
    "former_region": FactSource.Fact.TERRITORY,
    "departments": FactSource.Fact.DEPARTMENTS,
    "address": FactSource.Fact.TOWN,
    "postcode": FactSource.Fact.TOWN,
    "town": FactSource.Fact.TOWN,
    "latitude": FactSource.Fact.POSITION,
    "longitude": FactSource.Fact.POSITION,
    "coordinates_approximate": FactSource.Fact.POSITION,
    "maturity": FactSource.Fact.MATURITY,
    "themes": FactSource.Fact.THEMES,
    "short_description": FactSource.Fact.DESCRIPTION,
    "description": FactSource.Fact.DESCRIPTION,
}


def _facts_of(fields: Iterable[str]) -> set[FactSource.Fact]:
    return {FIELD_FACTS[field] for field in fields if field in FIELD_FACTS}


def _record_entered_facts(pole: Pole, facts: set[FactSource.Fact], *, by_pole: bool) -> None:
    """The changed facts now come from the pole (« renseigné par le pôle », dated) or staff
    (« renseigné par l'équipe »)."""
    if not facts:
        return
    kind = FactSource.Kind.POLE if by_pole else FactSource.Kind.STAFF
    today = timezone.localdate()
    for fact in facts:
        FactSource.objects.update_or_create(
            pole=pole,
            fact=fact,
            defaults={
                "kind": kind,
                "source": None,
                "part": "",
                "inference": "",
                "entered_on": today,
            },
        )


def _apply_changes(
    pole: Pole, data: dict, *, by_pole: bool, accept_approximate: bool = True
) -> Pole:
    """Apply a profile change; a new address not found raises AddressNotFound when the person
    who typed it is there to correct it (`accept_approximate=False`)."""
    address_before = (pole.address, pole.postcode, pole.town)
    departments_before = set(pole.departments.values_list("pk", flat=True))
    changed = set()
    for field in PROFILE_FIELDS:
        if field in data:
            if getattr(pole, field) != data[field]:
                changed.add(field)
            setattr(pole, field, data[field])
    pole.full_clean(exclude=["slug"])
    pole.save()
    for field in PROFILE_M2M_FIELDS:
        if field in data:
            before = set(getattr(pole, field).values_list("pk", flat=True))
            if before != set(data[field]):
                changed.add(field)
            getattr(pole, field).set(data[field])
    if "members" in data:
        _replace_members(pole, data["members"])
    moved = (pole.address, pole.postcode, pole.town) != address_before or set(
        pole.departments.values_list("pk", flat=True)
    ) != departments_before
    if moved:
        departments = list(pole.departments.select_related("region", "former_region"))
        pole.location_notice = _locate(pole, departments, accept_approximate=accept_approximate)
        pole.save()
    facts = _facts_of(changed)
    if moved:
        facts.add(FactSource.Fact.POSITION)
        if "departments" in changed:
            # The region follows the first department.
            facts.add(FactSource.Fact.TERRITORY)
    _record_entered_facts(pole, facts, by_pole=by_pole)
    return pole


def _replace_members(pole: Pole, members: list[dict]) -> None:
    keep = []
    for item in members:
        member, _created = PoleMember.objects.update_or_create(
            pole=pole,
            name=item["name"].strip(),
            defaults={
                "category": item["category"],
                "town": item.get("town", ""),
                "website": item.get("website", ""),
            },
        )
        member.full_clean()
        keep.append(member.pk)
    pole.members.exclude(pk__in=keep).delete()


@transaction.atomic
def pole_update_profile(*, pole: Pole, by, cleaned_data: dict, members: list[dict]):
    """A coordinator (or staff) changes the public profile and the members. When the pole's
    edits need review (and the author is not staff), nothing changes on the public page: a
    PoleRevision waits for staff. Returns the pole or the revision. Raises PermissionDenied
    for anyone else."""
    if not can_edit_pole(by, pole):
        raise PermissionDenied(_("Seuls les coordinateurs du pôle peuvent modifier sa fiche."))
    data = _serialise_changes(cleaned_data, members)
    if pole.edits_need_review and not pole_edits_skip_review(by):
        revision = PoleRevision(pole=pole, proposed_by=by, data=data)
        revision.full_clean()
        revision.save()
        _notify_staff(
            template="staff_revision",
            context={"revision": revision, "pole": pole},
        )
        return revision
    return _apply_changes(pole, data, by_pole=is_pole_coordinator(by, pole))


@transaction.atomic
def pole_record_edit(
    *, pole: Pole, by, fields: Iterable[str], sourced: Iterable[str] = ()
) -> set[FactSource.Fact]:
    """Someone who may edit the pole changed these fields elsewhere than through
    `pole_update_profile` (staff, in the admin's change form, which saves the pole itself):
    the facts they carry are now theirs, dated, as that service records them (« renseigné
    par l'équipe » for staff). `sourced`: facts whose source was set in the same edit (the
    admin's inline), kept as written. Returns the facts recorded."""
    if not can_edit_pole(by, pole):
        raise PermissionDenied(_("Seuls les coordinateurs du pôle peuvent modifier sa fiche."))
    facts = _facts_of(fields) - set(sourced)
    _record_entered_facts(pole, facts, by_pole=is_pole_coordinator(by, pole))
    return facts


def _pending_revision_for_update(revision: PoleRevision) -> PoleRevision:
    """The revision, locked for the transaction; a revision already decided is an error."""
    revision = PoleRevision.objects.select_for_update().get(pk=revision.pk)
    if revision.status != PoleRevision.Status.PENDING:
        raise ValidationError(_("Cette modification a déjà été traitée."))
    return revision


@transaction.atomic
def revision_apply(*, revision: PoleRevision, by) -> Pole:
    revision = _pending_revision_for_update(revision)
    # The change was proposed by one of the pole's coordinators: the pole entered it.
    if "picture" in revision.data:
        pole = Pole.objects.select_for_update().get(pk=revision.pole_id)
        _apply_picture(pole, revision.data["picture"])
    else:
        pole = _apply_changes(revision.pole, revision.data, by_pole=True)
    revision.status = PoleRevision.Status.APPLIED
    revision.decided_by = by
    revision.decided_at = timezone.now()
    revision.save()
    if revision.proposed_by:
        _mail(
            template="revision_decided",
            context={
                "revision": revision,
                "pole": pole,
                "pole_url": absolute_url(pole.get_absolute_url()),
            },
            to=[revision.proposed_by.email],
        )
    return pole


@transaction.atomic
def revision_reject(*, revision: PoleRevision, by, reason: str) -> PoleRevision:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Indiquez le motif du refus : il est envoyé au coordinateur."))
    revision = _pending_revision_for_update(revision)
    revision.status = PoleRevision.Status.REJECTED
    revision.decided_by = by
    revision.decided_at = timezone.now()
    revision.reason = reason
    revision.save()
    picture = revision.data.get("picture") or {}
    if picture.get("file") and picture.get("kind") in PICTURE_KINDS:
        # A refused picture is not kept.
        _delete_file_on_commit(getattr(revision.pole, picture["kind"]).storage, picture["file"])
    if revision.proposed_by:
        _mail(
            template="revision_decided",
            context={
                "revision": revision,
                "pole": revision.pole,
                "pole_url": absolute_url(revision.pole.get_absolute_url()),
            },
            to=[revision.proposed_by.email],
        )
    return revision


PICTURE_KINDS = ("logo", "photo")


def _delete_file_on_commit(storage, name: str) -> None:
    """Remove a replaced picture from the storage once the change is committed (never before:
    a rolled-back change still points at it)."""
    if not name:
        return

    def delete():
        try:
            storage.delete(name)
        except Exception:  # the storage is down: an orphan file, not an error for the person
            logger.exception("Could not delete the replaced picture %s", name)

    transaction.on_commit(delete, robust=True)


@transaction.atomic
def pole_set_picture(*, pole: Pole, by, kind: str, image=None, alt: str = ""):
    """A coordinator (or staff) sets the pole's logo or photo: `image` is a re-encoded file
    (ptce_portal.images.PictureField), stored through the default storage; `alt`, its text
    alternative, is required. `image=None` with an `alt` changes only the text; remove with
    pole_remove_picture. Published at once, like a profile edit; on a pole whose edits need
    review (and from anyone but staff), the picture is stored aside and a PoleRevision waits
    for staff, who publish or refuse it like any other edit. Returns the pole or the
    revision."""
    if not can_edit_pole(by, pole):
        raise PermissionDenied(_("Seuls les coordinateurs du pôle peuvent modifier sa fiche."))
    if kind not in PICTURE_KINDS:
        raise ValidationError(_("Type d'image inconnu."))
    pole = Pole.objects.select_for_update().get(pk=pole.pk)
    storage = getattr(pole, kind).storage
    alt = " ".join((alt or "").split())
    if not alt:
        raise ValidationError(
            {
                f"{kind}_alt": _(
                    "Décrivez l'image en quelques mots (texte alternatif) : il est lu à la place "
                    "de l'image par les lecteurs d'écran."
                )
            }
        )
    if image is None and not getattr(pole, kind):
        raise ValidationError({kind: _("Choisissez une image.")})
    alt_limit = getattr(Pole._meta.get_field(f"{kind}_alt"), "max_length", None)
    if alt_limit and len(alt) > alt_limit:
        raise ValidationError(
            {f"{kind}_alt": _("Le texte alternatif dépasse %(n)s caractères.") % {"n": alt_limit}}
        )
    if pole.edits_need_review and not pole_edits_skip_review(by):
        return _propose_picture(pole=pole, by=by, kind=kind, image=image, alt=alt)
    previous = getattr(pole, kind).name
    setattr(pole, f"{kind}_alt", alt)
    if image is None:
        pole.full_clean(exclude=["slug"])
        pole.save()
        return pole
    getattr(pole, kind).save(image.name, image, save=False)
    stored = getattr(pole, kind).name
    try:
        pole.full_clean(exclude=["slug"])
        pole.save()
    except Exception:
        storage.delete(stored)  # nothing stored when the change fails
        raise
    _delete_file_on_commit(storage, previous)
    return pole


def _propose_picture(*, pole: Pole, by, kind: str, image, alt: str) -> PoleRevision:
    """The picture of a pole under review: the file is stored (not shown anywhere) and a
    PoleRevision holds its name and text alternative until staff decide."""
    stored = ""
    if image is not None:
        current = getattr(pole, kind)  # the FieldFile: its field names, its storage stores
        stored = current.storage.save(current.field.generate_filename(pole, image.name), image)
    revision = PoleRevision(
        pole=pole, proposed_by=by, data={"picture": {"kind": kind, "file": stored, "alt": alt}}
    )
    try:
        revision.full_clean()
        revision.save()
    except Exception:
        if stored:
            getattr(pole, kind).storage.delete(stored)
        raise
    _notify_staff(template="staff_revision", context={"revision": revision, "pole": pole})
    return revision


def _apply_picture(pole: Pole, proposed: dict) -> None:
    """Publish a picture a revision held (revision_apply): the stored file and its text."""
    kind = proposed.get("kind")
    if kind not in PICTURE_KINDS:
        return
    previous = getattr(pole, kind).name
    if proposed.get("file"):
        setattr(pole, kind, proposed["file"])
        if previous and previous != proposed["file"]:
            _delete_file_on_commit(getattr(pole, kind).storage, previous)
    elif not previous:
        return  # a text for a picture removed meanwhile: nothing to describe
    setattr(pole, f"{kind}_alt", proposed.get("alt", ""))
    pole.full_clean(exclude=["slug"])
    pole.save()


@transaction.atomic
def pole_remove_picture(*, pole: Pole, by, kind: str) -> Pole:
    if not can_edit_pole(by, pole):
        raise PermissionDenied(_("Seuls les coordinateurs du pôle peuvent modifier sa fiche."))
    if kind not in PICTURE_KINDS:
        raise ValidationError(_("Type d'image inconnu."))
    pole = Pole.objects.select_for_update().get(pk=pole.pk)
    previous = getattr(pole, kind).name
    setattr(pole, kind, "")
    setattr(pole, f"{kind}_alt", "")
    pole.save()
    _delete_file_on_commit(getattr(pole, kind).storage, previous)
    return pole
