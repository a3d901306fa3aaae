"""Writes of the charter domain: keyword-only arguments, one transaction each, e-mails
sent once the transaction commits."""

import logging
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit import services as audit_services
from poles import selectors as pole_selectors
from poles import services as pole_services
from poles.models import Pole, PoleCoordinator
from ptce_portal.mail import send_mail_on_commit, staff_recipients
from ptce_portal.personal_data import verified_emails

from . import selectors
from .models import CharterItem, CharterSection, CharterVersion, Signature
from .pdf import signature_render_after_commit
from .permissions import can_decide_signatures, can_manage_signature, can_sign_for_pole

logger = logging.getLogger(__name__)


class SignatureExists(ValidationError):
    """The pole already has an active signature of this version (a ValidationError, the
    services' one way to refuse, named so that the signing view can link to it)."""

    def __init__(self, signature: Signature):
        super().__init__(str(signature))
        self.signature = signature


# --- Charter versions ------------------------------------------------------------------


def version_is_locked(version: CharterVersion) -> bool:
    """A version someone signed is frozen: its wording can no longer change."""
    return version.pk is not None and version.signatures.exists()


def _ensure_editable(version: CharterVersion) -> None:
    if version_is_locked(version):
        raise ValidationError(
            _(
                "Cette version de la charte a déjà été signée : son texte ne peut plus être "
                "modifié. Créez une nouvelle version."
            )
        )


def _set_fields_and_save(obj, fields: dict):
    """Set the given fields, validate, save (the caller holds the version's lock)."""
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def charter_version_update(*, version: CharterVersion, **fields) -> CharterVersion:
    version = CharterVersion.objects.select_for_update().get(pk=version.pk)
    _ensure_editable(version)
    return _set_fields_and_save(version, fields)


@transaction.atomic
def charter_section_update(*, section: CharterSection, **fields) -> CharterSection:
    CharterVersion.objects.select_for_update().get(pk=section.version_id)
    _ensure_editable(section.version)
    return _set_fields_and_save(section, fields)


@transaction.atomic
def charter_item_update(*, item: CharterItem, **fields) -> CharterItem:
    version = CharterVersion.objects.select_for_update().get(sections__items=item)
    _ensure_editable(version)
    return _set_fields_and_save(item, fields)


@transaction.atomic
def charter_version_publish(*, version: CharterVersion, on: date | None = None) -> CharterVersion:
    """Make `version` the current charter; earlier signatures stay with their version."""
    previous = list(
        CharterVersion.objects.select_for_update().filter(is_current=True).exclude(pk=version.pk)
    )
    CharterVersion.objects.filter(pk__in=[v.pk for v in previous]).update(is_current=False)
    for old in previous:  # update() sends no signal: recorded in the audit log here
        audit_services.log_update(instance=old, changes={"is_current": (True, False)})
    version = CharterVersion.objects.select_for_update().get(pk=version.pk)
    version.published_at = version.published_at or on or timezone.localdate()
    version.is_current = True
    version.full_clean()
    version.save()
    return version


@transaction.atomic
def charter_version_copy(*, version: CharterVersion) -> CharterVersion:
    """A new draft version with the same text, to be edited and published."""
    number = (CharterVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    copy = CharterVersion(
        number=number,
        title=version.title,
        summary="",
        signature_intro=version.signature_intro,
        commitment_build=version.commitment_build,
        commitment_community=version.commitment_community,
        footnote=version.footnote,
    )
    copy.full_clean()
    copy.save()
    for section in version.sections.prefetch_related("items"):
        items = list(section.items.all())
        section.pk = None
        section.version = copy
        section.save()
        for item in items:
            item.pk = None
            item.section = section
            item.save()
    return copy


# --- Signatures ------------------------------------------------------------------------


@dataclass
class SignatureData:
    """The block of Annex 2, as filled in the form. `pole_contact` (the « coordonnées » line
    of the printed block) is made from the address and website when not given; the signature
    line from the representative's names; « Fait à » from the pole's town."""

    representative_last_name: str
    representative_first_name: str
    representative_email: str
    representative_phone: str
    stage: str
    commitment_build: bool
    commitment_community: bool
    place: str = ""
    signature_name: str = ""
    consent_publication: bool = False
    pole_contact: str = ""
    pole_address: str = ""
    pole_postcode: str = ""
    pole_town: str = ""
    pole_website: str = ""

    def completed_new(self) -> "SignatureData":
        """The derived lines filled, for a pole that does not exist yet."""
        return self.completed(None)

    def completed(self, pole: Pole | None) -> "SignatureData":
        """Empty coordinates taken from the pole's page; the derived lines filled."""
        values = dict(self.__dict__)
        for field in ("address", "postcode", "town", "website"):
            if not values[f"pole_{field}"].strip() and pole is not None:
                values[f"pole_{field}"] = getattr(pole, field, "") or ""
        if not values["pole_contact"].strip():
            town = " ".join(p for p in (values["pole_postcode"], values["pole_town"]) if p)
            lines = [values["pole_address"], town, values["pole_website"]]
            values["pole_contact"] = "\n".join(line.strip() for line in lines if line.strip())
        if not values["signature_name"].strip():
            values["signature_name"] = " ".join(
                n.strip()
                for n in (values["representative_first_name"], values["representative_last_name"])
                if n.strip()
            )
        if not values["place"].strip():
            values["place"] = values["pole_town"].strip()
        return SignatureData(**values)


# Maturity of the pole (poles.models.Pole.Maturity) for the stage declared in the signature.
STAGE_MATURITY: dict[str, str] = {
    Signature.Stage.CONSTITUTED: Pole.Maturity.EXISTING,
    Signature.Stage.IN_CREATION: Pole.Maturity.EMERGING,
}


def _send(*, template: str, to: list[str], context: dict, language: str | None = None) -> None:
    """Send charter/email/<template>.txt after commit, in French unless `language` is the
    recipient's (see ptce_portal.mail)."""
    send_mail_on_commit(
        to=to, template_name=f"charter/email/{template}.txt", context=context, language=language
    )


def signature_submit(
    *,
    user,
    data: SignatureData,
    pole: Pole | None = None,
    new_pole_name: str = "",
    new_pole_fields: dict | None = None,
    version: CharterVersion | None = None,
) -> Signature:
    """Sign `version` (the current one by default) for `pole`, which `user` coordinates,
    or for a new pole `new_pole_name` proposed with the signature (`new_pole_fields`, e.g.
    departments and town, go to poles.services.pole_propose).

    Raises ValidationError for bad input, PermissionDenied when the user may not sign for
    that pole, SignatureExists when the pole already has an active signature of the version.
    Everything happens in one transaction: nothing is left half-saved."""
    version = version or selectors.current_version()
    if version is None or not version.is_published:
        raise ValidationError(_("Aucune version de la charte n'est ouverte à la signature."))
    if not data.commitment_build or not data.commitment_community:
        raise ValidationError(_("Les deux engagements de la charte sont nécessaires pour signer."))
    emails = verified_emails(user, with_login=False)
    if not emails:
        raise PermissionDenied(_("Confirmez d'abord votre adresse e-mail."))
    if data.representative_email.strip().lower() not in emails:
        raise ValidationError(
            {
                "representative_email": _(
                    "Indiquez l'une de vos adresses e-mail vérifiées : c'est à elle que nous "
                    "écrirons au sujet de cette signature."
                )
            }
        )
    if (pole is None) == (not new_pole_name.strip()):
        raise ValidationError(
            _("Choisissez un pôle que vous coordonnez ou proposez un nouveau pôle.")
        )

    try:
        with transaction.atomic():
            signature = _signature_create(
                user=user,
                data=data,
                pole=pole,
                new_pole_name=new_pole_name,
                new_pole_fields=new_pole_fields or {},
                version=version,
            )
    except IntegrityError as exc:
        # A concurrent submission won the race the lock did not cover: show its result.
        existing = _active_signature(pole=pole, version=version) if pole else None
        if existing is None:
            raise ValidationError(
                _("La signature n'a pas pu être enregistrée. Veuillez réessayer.")
            ) from exc
        raise SignatureExists(existing) from exc

    _send(
        template="submitted",
        to=[signature.representative_email],
        context={"signature": signature},
        # The signer made this request: write in the language they use on the site.
        language=translation.get_language(),
    )
    _send(
        template="staff_submitted",
        to=staff_recipients(),
        context={
            "signature": signature,
            # A new pole named like a published or pending one: staff are told.
            "same_name_poles": (
                pole_selectors.poles_with_same_name(
                    signature.pole.name, exclude_pk=signature.pole_id
                )
                if not signature.pole.is_published
                else []
            ),
        },
    )
    return signature


def _active_signature(*, pole: Pole, version: CharterVersion) -> Signature | None:
    return (
        Signature.objects.filter(pole=pole, version=version, status__in=Signature.ACTIVE_STATUSES)
        .select_related("pole", "version")
        .first()
    )


def _signature_create(*, user, data, pole, new_pole_name, new_pole_fields, version) -> Signature:
    # Serialise the submissions of one user (new pole) or for one pole (existing pole).
    get_user_model().objects.select_for_update().get(pk=user.pk)
    if pole is not None:
        pole = Pole.objects.select_for_update().get(pk=pole.pk)
        if not can_sign_for_pole(user, pole):
            raise PermissionDenied(_("Vous ne coordonnez pas ce pôle."))
        existing = _active_signature(pole=pole, version=version)
        if existing is not None:
            raise SignatureExists(existing)
    else:
        name = " ".join(new_pole_name.split())
        existing = (
            Signature.objects.filter(
                signer=user,
                version=version,
                status__in=Signature.ACTIVE_STATUSES,
                pole__name__iexact=name,
            )
            .select_related("pole", "version")
            .first()
        )
        if existing is not None:
            raise SignatureExists(existing)
        pole = pole_services.pole_propose(user=user, name=name, **new_pole_fields)

    data = data.completed(pole)
    _remember_names(user, data)
    signature = Signature(
        version=version,
        pole=pole,
        pole_name=pole.name,
        signed_on=timezone.localdate(),
        signer=user,
        status=Signature.Status.SUBMITTED,
        **{
            **data.__dict__,
            "representative_email": data.representative_email.strip(),
        },
    )
    signature.full_clean()
    signature.save()
    return signature


def _remember_names(user, data: SignatureData) -> None:
    """Names are asked once: the first and last names typed in the signature are kept on the
    account when it has none, and fill the next forms."""
    changed = []
    for field, value in (
        ("first_name", data.representative_first_name),
        ("last_name", data.representative_last_name),
    ):
        if value.strip() and not getattr(user, field):
            setattr(user, field, value.strip())
            changed.append(field)
    if changed:
        user.save(update_fields=changed)


def _lock(signature: Signature) -> Signature:
    return (
        Signature.objects.select_for_update(of=("self",))
        .select_related("pole", "version", "signer")
        .get(pk=signature.pk)
    )


def _lock_submitted(signature: Signature, *, error: str) -> Signature:
    """The signature, locked; `error` (with %(status)s) if it is no longer awaiting a decision."""
    signature = _lock(signature)
    if signature.status != Signature.Status.SUBMITTED:
        raise ValidationError(error % {"status": signature.get_status_display()})
    return signature


def pole_signed_on(pole: Pole) -> date | None:
    """Date of the pole's validated signature of the latest version it signed, or None: what
    poles records of the charter (pole_set_signatory)."""
    return (
        Signature.objects.filter(pole=pole, status=Signature.Status.VALIDATED)
        .order_by("-version__number", "-signed_on")
        .values_list("signed_on", flat=True)
        .first()
    )


def _check_decider(by) -> None:
    if not can_decide_signatures(by):
        raise PermissionDenied(
            _("Seule l'équipe du Labo de l'ESS valide ou refuse les signatures.")
        )


@transaction.atomic
def signature_validate(*, signature: Signature, by) -> Signature:
    _check_decider(by)
    signature = _lock_submitted(
        signature,
        error=_("Seule une signature en attente peut être validée (celle-ci est « %(status)s »)."),
    )
    # Lock the version so that register numbers are given one at a time.
    CharterVersion.objects.select_for_update().get(pk=signature.version_id)
    last = Signature.objects.filter(version_id=signature.version_id).aggregate(
        n=Max("register_number")
    )["n"]
    pole = signature.pole
    # The signer's request to coordinate the pole (a new pole proposed with the signature, or
    # a pending request) is approved with the signature.
    coordination = (
        PoleCoordinator.objects.filter(
            pole=pole, user_id=signature.signer_id, status=PoleCoordinator.Status.REQUESTED
        ).first()
        if signature.signer_id
        else None
    )
    signature.status = Signature.Status.VALIDATED
    signature.validated_by = by
    signature.validated_at = timezone.now()
    signature.register_number = (last or 0) + 1
    # What the validation changes, so that staff can undo it (signature_unvalidate).
    signature.validation_changes = {
        "pole_was_published": pole.is_published,
        "pole_details": pole_services.pole_declared_details(pole),
        "approved_coordination": coordination.pk if coordination else None,
    }
    signature.full_clean()
    signature.save()

    if coordination is not None:
        pole_services.coordinator_approve(coordination=coordination, by=by, publish_pole=True)
    # What the signature declared of the pole fills its page (empty values change nothing).
    pole_services.pole_apply_declared_details(
        pole=pole,
        maturity=STAGE_MATURITY.get(signature.stage, ""),
        address=signature.pole_address,
        postcode=signature.pole_postcode,
        town=signature.pole_town,
        website=signature.pole_website,
        # Not the representative's e-mail and phone: they are the person's data, erased with
        # their account, never copied into the pole's contact.
    )
    if not Pole.objects.filter(pk=pole.pk, is_published=True).exists():
        pole_services.poles_set_published(poles=[pole], published=True)
    pole_services.pole_set_signatory(pole=pole, signed=True, signed_on=pole_signed_on(pole))

    _send(template="validated", to=_signer_recipients(signature), context={"signature": signature})
    signature_render_after_commit(signature)
    return signature


@transaction.atomic
def signature_unvalidate(*, signature: Signature, by) -> Signature:
    """Staff undo a validation made by mistake: the signature waits again, and what the
    validation changed is put back (the pole unpublished if it was not published, the
    signer's request pending again, the pole's details as they were). The signer is told."""
    _check_decider(by)
    signature = _lock(signature)
    if signature.status != Signature.Status.VALIDATED or not signature.validation_changes:
        raise ValidationError(
            _(
                "Seule une validation faite sur le portail peut être annulée "
                "(celle-ci est « %(status)s »)."
            )
            % {"status": signature.get_status_display()}
        )
    changes = signature.validation_changes
    signature.status = Signature.Status.SUBMITTED
    signature.validated_by = None
    signature.validated_at = None
    signature.register_number = None
    signature.validation_changes = {}
    signature.full_clean()
    signature.save()
    pole = signature.pole
    pole_services.pole_restore_declared_details(pole=pole, values=changes.get("pole_details", {}))
    coordination = PoleCoordinator.objects.filter(
        pk=changes.get("approved_coordination"), status=PoleCoordinator.Status.APPROVED
    ).first()
    if coordination is not None:
        pole_services.coordination_reopen(coordination=coordination)
    if not changes.get("pole_was_published", True):
        pole_services.poles_set_published(poles=[pole], published=False)
    signed_on = pole_signed_on(pole)
    pole_services.pole_set_signatory(pole=pole, signed=signed_on is not None, signed_on=signed_on)
    _send(
        template="unvalidated", to=_signer_recipients(signature), context={"signature": signature}
    )
    return signature


@transaction.atomic
def signature_refuse(*, signature: Signature, by, reason: str) -> Signature:
    _check_decider(by)
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Indiquez le motif du refus : il sera envoyé au signataire.")}
        )
    signature = _lock_submitted(
        signature,
        error=_("Seule une signature en attente peut être refusée (celle-ci est « %(status)s »)."),
    )
    signature.status = Signature.Status.REFUSED
    signature.refusal_reason = reason
    signature.refused_at = timezone.now()
    signature.validated_by = by
    signature.full_clean()
    signature.save()
    if pole_signed_on(signature.pole) is None:
        pole_services.pole_set_signatory(pole=signature.pole, signed=False)
    _send(template="refused", to=_signer_recipients(signature), context={"signature": signature})
    return signature


@transaction.atomic
def signature_withdraw(*, signature: Signature, by, reason: str = "") -> Signature:
    """A coordinator of the pole (or staff) withdraws the signature; it stays in history.

    A validated signature is not withdrawn at once by a coordinator: the request, with its
    reason, waits for staff (`signature_withdrawal_decide`), the pole staying a signatory
    until they accept; staff are told. The founding signatures of 2014 alike. Staff withdraw
    at once; a signature still waiting for validation is withdrawn at once too."""
    signature = _lock(signature)
    if not can_manage_signature(by, signature):
        raise PermissionDenied(_("Seuls les coordinateurs du pôle peuvent retirer sa signature."))
    if not signature.is_active:
        raise ValidationError(
            _("Cette signature est déjà « %(status)s » : elle ne peut plus être retirée.")
            % {"status": signature.get_status_display()}
        )
    if signature.is_valid and not can_decide_signatures(by):
        return _request_withdrawal(signature, by=by, reason=reason)
    return _withdraw(signature, by=by)


def _request_withdrawal(signature: Signature, *, by, reason: str) -> Signature:
    if signature.withdrawal_pending:
        raise ValidationError(
            _(
                "Le retrait de cette signature est déjà demandé : l'équipe du Labo de l'ESS "
                "va y répondre."
            )
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {
                "reason": _(
                    "Indiquez le motif du retrait : l'équipe du Labo de l'ESS le lit avant "
                    "de l'accepter."
                )
            }
        )
    signature.withdrawal_reason = reason
    signature.withdrawal_requested_at = timezone.now()
    signature.withdrawal_requested_by = by
    signature.full_clean()
    signature.save()
    _send(
        template="staff_withdrawal_requested",
        to=staff_recipients(),
        context={"signature": signature},
    )
    return signature


def _withdraw(signature: Signature, *, by) -> Signature:
    signature.status = Signature.Status.WITHDRAWN
    signature.withdrawn_at = timezone.now()
    signature.withdrawn_by = by
    signature.save()
    signed_on = pole_signed_on(signature.pole)
    if signed_on is None:
        pole_services.pole_set_signatory(pole=signature.pole, signed=False)
    elif signed_on != signature.pole.charter_signed_on:  # another signature still holds
        pole_services.pole_set_signatory(pole=signature.pole, signed=True, signed_on=signed_on)
    _send(template="withdrawn", to=_signer_recipients(signature), context={"signature": signature})
    _send(template="staff_withdrawn", to=staff_recipients(), context={"signature": signature})
    return signature


@transaction.atomic
def signature_withdrawal_decide(*, signature: Signature, by, accept: bool) -> Signature:
    """Staff answer a coordinator's request to withdraw a validated signature: accepted, the
    signature is withdrawn (the pole leaves the signatories if no other holds); refused, it
    stays valid and the coordinator who asked is told."""
    _check_decider(by)
    signature = _lock(signature)
    if not signature.withdrawal_pending:
        raise ValidationError(_("Aucun retrait n'est demandé pour cette signature."))
    if accept:
        return _withdraw(signature, by=by)
    requested_by = signature.withdrawal_requested_by
    signature.withdrawal_requested_at = None
    signature.withdrawal_requested_by = None
    signature.save()
    recipients = [requested_by.email] if requested_by and requested_by.email else []
    _send(
        template="withdrawal_refused",
        to=recipients or _signer_recipients(signature),
        context={"signature": signature},
    )
    return signature


def _signer_recipients(signature: Signature) -> list[str]:
    if signature.representative_email:
        return [signature.representative_email]
    if signature.signer and signature.signer.email:
        return [signature.signer.email]
    return []
