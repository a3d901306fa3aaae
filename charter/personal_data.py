"""Personal data held by charter: the signatures the person made, or where they are named
as the representative. See ptce_portal.personal_data for the contract."""

from django.utils import timezone

from poles.apps import CONTENT_VERSION as POLES_CONTENT_VERSION
from ptce_portal import versions
from ptce_portal.mail import send_mail_on_commit
from ptce_portal.personal_data import owned_by, redact, verified_emails

from .apps import CONTENT_VERSION
from .models import Signature


def _signatures(user, emails: list[str] | None = None):
    condition = owned_by(
        user, user_field="signer", email_field="representative_email", emails=emails
    )
    return Signature.objects.filter(condition)


def export(user) -> dict:
    return {
        "signatures": [
            {
                "pole": s.pole.name,
                "version_de_la_charte": s.version.number,
                "intitule_du_ptce": s.pole_name,
                "coordonnees_du_ptce": s.pole_contact,
                "representant_nom": s.representative_last_name,
                "representant_prenom": s.representative_first_name,
                "representant_email": s.representative_email,
                "representant_telephone": s.representative_phone,
                "etat_du_pole": s.stage,
                "fait_a": s.place,
                "le": s.signed_on,
                "signature": s.signature_name,
                "accord_publication": s.consent_publication,
                "statut": s.status,
                "motif_du_refus": s.refusal_reason,
                "code_de_verification": s.verification_code,
                "signee_avec_ce_compte": s.signer_id == user.pk,
                "creee_le": s.created_at,
            }
            for s in _signatures(user)
            .select_related("pole", "version")
            .order_by("created_at", "pk")
        ]
    }


def personal_values(user) -> set[str]:
    values = set()
    for s in _signatures(user):
        values.update(
            v.strip()
            for v in (
                s.representative_email,
                s.representative_phone,
                s.representative_full_name,
                f"{s.representative_last_name} {s.representative_first_name}",
                s.signature_name,
            )
            if v and v.strip()
        )
    return values


def owned_objects(user) -> dict:
    return {Signature: list(_signatures(user).values_list("pk", flat=True))}


def erase(user) -> None:
    """The representative's name, e-mail, phone and typed signature are erased; the
    signature itself (pole, version, place, date, status, number, verification code) stays,
    so a validated signature remains valid, listed and verifiable. `updated_at` moves, so
    the cached signed PDF (keyed on it) is made again without the person.

    A signature still waiting for validation is withdrawn: nobody is left to answer for it
    (staff would validate a block without a representative). When the person was only the
    named representative of someone else's signature, the signer keeps it and is told by
    e-mail why it was withdrawn; a validated one stays valid with its signer."""
    now = timezone.now()
    emails = verified_emails(user)
    signatures = list(_signatures(user, emails).select_related("signer"))
    submitted = Signature.Status.SUBMITTED
    Signature.objects.filter(pk__in=[s.pk for s in signatures if s.status == submitted]).update(
        status=Signature.Status.WITHDRAWN, withdrawn_at=now, updated_at=now
    )
    for signature in signatures:
        # The pole's contact block stays (it is the pole's), without the person's address,
        # phone or name when they were typed into it.
        if signature.pole_contact:
            needles = set(emails) | {
                v
                for v in (signature.representative_phone, signature.representative_full_name)
                if v and len(v.strip()) >= 3
            }
            redacted = redact(signature.pole_contact, needles)
            if redacted != signature.pole_contact:
                Signature.objects.filter(pk=signature.pk).update(pole_contact=redacted)
        signed_by_other = signature.signer_id is not None and signature.signer_id != user.pk
        if signed_by_other and signature.status == submitted and signature.signer.email:
            send_mail_on_commit(
                to=[signature.signer.email],
                template_name="charter/email/representative_deleted.txt",
                context={"signature": signature},
            )
    _signatures(user, emails).update(
        representative_last_name="",
        representative_first_name="",
        representative_email="",
        representative_phone="",
        signature_name="",
        updated_at=now,
    )
    Signature.objects.filter(signer=user).update(signer=None)
    # update() sends no signal: the signatories list and the poles' pages are rebuilt.
    versions.bump(CONTENT_VERSION, POLES_CONTENT_VERSION)
