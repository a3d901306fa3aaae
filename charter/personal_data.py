"""Personal data held by charter: the signatures the person made, or where they are named
as the representative. See ptce_portal.personal_data for the contract."""

from django.db.models import Q
from django.utils import timezone

from .models import Signature


def _signatures(user, emails: list[str]):
    condition = Q(signer=user)
    for email in emails:
        condition |= Q(representative_email__iexact=email)
    return Signature.objects.filter(condition)


def _emails(user) -> list[str]:
    from ptce_portal.personal_data import user_emails

    return user_emails(user)


def redact(text: str, needles) -> str:
    from ptce_portal.personal_data import redact as _redact

    return _redact(text, needles)


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
            for s in _signatures(user, _emails(user))
            .select_related("pole", "version")
            .order_by("created_at", "pk")
        ]
    }


def personal_values(user) -> set[str]:
    values = set()
    for s in _signatures(user, _emails(user)):
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


def erase(user) -> None:
    """The representative's name, e-mail, phone and typed signature are erased; the
    signature itself (pole, version, place, date, status, number, verification code) stays,
    so a validated signature remains valid, listed and verifiable. `updated_at` moves, so
    the cached signed PDF (keyed on it) is made again without the person."""
    now = timezone.now()
    # A signature the person sent that still waits for validation is withdrawn: nobody is
    # left to answer for it (staff would validate a block without a representative).
    Signature.objects.filter(signer=user, status=Signature.Status.SUBMITTED).update(
        status=Signature.Status.WITHDRAWN, withdrawn_at=now, updated_at=now
    )
    # The pole's contact block stays (it is the pole's), without the person's address,
    # phone or name when they were typed into it.
    for signature in _signatures(user, _emails(user)).exclude(pole_contact=""):
        needles = set(_emails(user)) | {
            v
            for v in (signature.representative_phone, signature.representative_full_name)
            if v and len(v.strip()) >= 3
        }
        redacted = redact(signature.pole_contact, needles)
        if redacted != signature.pole_contact:
            Signature.objects.filter(pk=signature.pk).update(pole_contact=redacted)
    _signatures(user, _emails(user)).update(
        representative_last_name="",
        representative_first_name="",
        representative_email="",
        representative_phone="",
        signature_name="",
        signer=None,
        updated_at=now,
    )
