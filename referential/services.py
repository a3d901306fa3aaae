"""Writes of the referential domain: versions, assessments, invitations, answers."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ptce_portal import versions
from ptce_portal.mail import absolute_url, send_mail_on_commit

from .apps import CONTENT_VERSION
from .importer import ParsedVersion, ReferentialFileError
from .models import (
    GENERAL_COUNT,
    INDICATORS_PER_PRINCIPAL,
    INVITATION_VALIDITY,
    PRINCIPALS_PER_GENERAL,
    QUESTION_COUNT,
    SCALE_MAX,
    SCALE_MIN,
    Answer,
    Assessment,
    GeneralObjective,
    Indicator,
    Invitation,
    PrincipalObjective,
    ReferentialVersion,
)
from .permissions import can_claim_invitation, can_manage_assessment, can_open_assessment


class ReferentialError(ValidationError):
    """A refused action of the referential, with a message meant for the user (French):
    the services' one way to refuse (ValidationError), named so that views tell it apart."""


# --- Referential versions -------------------------------------------------------------


def _create_structure(version: ReferentialVersion, parsed: ParsedVersion) -> None:
    for g_pos, g in enumerate(parsed.generals, start=1):
        general = GeneralObjective(
            version=version,
            code=g["code"],
            position=g_pos,
            title=g["title"],
            description=g["description"],
        )
        general.full_clean()
        general.save()
        for p_pos, p in enumerate(g["principals"], start=1):
            principal = PrincipalObjective(
                version=version,
                general=general,
                code=p["code"],
                position=p_pos,
                title=p["title"],
                short_title=p["short_title"],
                description=p["description"],
            )
            principal.full_clean()
            principal.save()
            indicators = [
                Indicator(
                    version=version,
                    principal=principal,
                    code=i["code"],
                    position=i_pos,
                    question=i["question"],
                    help_text=i["help_text"],
                )
                for i_pos, i in enumerate(p["indicators"], start=1)
            ]
            for indicator in indicators:
                indicator.full_clean(exclude=["principal", "version"])
            Indicator.objects.bulk_create(indicators)


@transaction.atomic
def version_import(*, parsed: ParsedVersion, publish: bool = False) -> ReferentialVersion:
    """Create a new version from a parsed, validated file; all or nothing."""
    if ReferentialVersion.objects.filter(code=parsed.code).exists():
        raise ReferentialFileError(
            [_("Une version de code « %(code)s » existe déjà.") % {"code": parsed.code}]
        )
    version = ReferentialVersion(
        code=parsed.code,
        title=parsed.title,
        is_working_version=parsed.is_working_version,
        source_note=parsed.source_note,
    )
    try:
        version.full_clean()
        version.save()
        _create_structure(version, parsed)
    except ValidationError as exc:
        raise ReferentialFileError(exc.messages) from exc
    if publish:
        version = version_publish(version=version)
    return version


@transaction.atomic
def version_sync(*, parsed: ParsedVersion) -> ReferentialVersion:
    """Idempotent load used by the seed: create the version, or update its texts by code.
    The structure of an existing version is never changed (assessments point to it)."""
    version = ReferentialVersion.objects.filter(code=parsed.code).first()
    if version is None:
        return version_import(parsed=parsed, publish=True)
    version.title = parsed.title
    version.is_working_version = parsed.is_working_version
    version.source_note = parsed.source_note
    version.save()
    for g in parsed.generals:
        GeneralObjective.objects.filter(version=version, code=g["code"]).update(
            title=g["title"], description=g["description"]
        )
        for p in g["principals"]:
            PrincipalObjective.objects.filter(version=version, code=p["code"]).update(
                title=p["title"], short_title=p["short_title"], description=p["description"]
            )
            for i in p["indicators"]:
                Indicator.objects.filter(version=version, code=i["code"]).update(
                    question=i["question"], help_text=i["help_text"]
                )
    if not version.is_published:
        version = version_publish(version=version)
    versions.bump(CONTENT_VERSION)  # the texts were written with update() (no signal)
    return version


def version_shape_errors(version: ReferentialVersion) -> list[str]:
    errors = []
    generals = list(
        GeneralObjective.objects.filter(version=version).annotate(n=Count("principals"))
    )
    principals = list(
        PrincipalObjective.objects.filter(version=version).annotate(n=Count("indicators"))
    )
    if len(generals) != GENERAL_COUNT:
        errors.append(
            _("La version compte %(found)s objectifs généraux au lieu de %(n)s.")
            % {"found": len(generals), "n": GENERAL_COUNT}
        )
    for g in generals:
        if g.n != PRINCIPALS_PER_GENERAL:
            errors.append(
                _(
                    "L'objectif général %(code)s compte %(found)s "
                    "objectifs principaux au lieu de %(n)s."
                )
                % {"code": g.code, "found": g.n, "n": PRINCIPALS_PER_GENERAL}
            )
    for p in principals:
        if p.n != INDICATORS_PER_PRINCIPAL:
            errors.append(
                _("L'objectif principal %(code)s compte %(found)s indicateurs au lieu de %(n)s.")
                % {"code": p.code, "found": p.n, "n": INDICATORS_PER_PRINCIPAL}
            )
    total = Indicator.objects.filter(version=version).count()
    if total != QUESTION_COUNT:
        errors.append(
            _("La version compte %(found)s questions au lieu de %(n)s.")
            % {"found": total, "n": QUESTION_COUNT}
        )
    return errors


@transaction.atomic
def version_publish(*, version: ReferentialVersion) -> ReferentialVersion:
    """Publish a version once its structure is exactly 3 × 3 × 4."""
    version = ReferentialVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        return version
    errors = version_shape_errors(version)
    if errors:
        raise ValidationError(
            [_("Impossible de publier « %(title)s » :") % {"title": version.title}, *errors]
        )
    version.published_at = timezone.now()
    version.save(update_fields=["published_at"])
    return version


# --- Assessments ----------------------------------------------------------------------


@transaction.atomic
def assessment_open(*, pole, user, title: str = "") -> Assessment:
    from .selectors import current_version

    if not can_open_assessment(user, pole):
        raise ReferentialError(
            _("Seuls les coordinateurs du pôle peuvent ouvrir une auto-évaluation.")
        )
    version = current_version()
    if version is None:
        raise ReferentialError(_("Aucune version du référentiel n'est publiée."))
    if (
        Assessment.objects.select_for_update()
        .filter(pole=pole, status=Assessment.Status.OPEN)
        .exists()
    ):
        raise ReferentialError(
            _(
                "Une auto-évaluation est déjà ouverte pour ce pôle "
                ": clôturez-la avant d'en ouvrir une autre."
            )
        )
    now = timezone.now()
    assessment = Assessment(
        pole=pole,
        version=version,
        title=title.strip()
        or _("Auto-évaluation de %(date)s") % {"date": date_format(timezone.localtime(now), "F Y")},
        opened_by=user,
        opened_at=now,
    )
    assessment.full_clean(exclude=["pole"])
    try:
        with transaction.atomic():
            assessment.save()
    except IntegrityError as exc:  # another coordinator opened one at the same moment
        raise ReferentialError(_("Une auto-évaluation est déjà ouverte pour ce pôle.")) from exc
    return assessment


@transaction.atomic
def assessment_close(*, assessment: Assessment, by) -> Assessment:
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not can_manage_assessment(by, assessment):
        raise ReferentialError(
            _("Seuls les coordinateurs du pôle peuvent clôturer l'auto-évaluation.")
        )
    if not assessment.is_open:
        raise ReferentialError(_("Cette auto-évaluation est déjà clôturée."))
    assessment.status = Assessment.Status.CLOSED
    assessment.closed_at = timezone.now()
    assessment.closed_by = by
    assessment.full_clean()
    assessment.save()
    return assessment


def _send_invitation_email(invitation: Invitation) -> None:
    """E-mail the invitation once the transaction is committed (see ptce_portal.mail).

    French: the person invited is not the coordinator who makes the request."""
    send_mail_on_commit(
        to=[invitation.email],
        template_name="referential/email/invitation.txt",
        context={
            "invitation": invitation,
            "pole": invitation.assessment.pole,
            "url": absolute_url(invitation.get_answer_url()),
        },
    )


def _check_manageable(assessment: Assessment, by) -> None:
    if not can_manage_assessment(by, assessment):
        raise ReferentialError(_("Seuls les coordinateurs du pôle peuvent gérer les invitations."))
    if not assessment.is_open:
        raise ReferentialError(
            _("Cette auto-évaluation est clôturée : les invitations sont figées.")
        )


@transaction.atomic
def invitation_create(
    *, assessment: Assessment, email: str, category: str, by, name: str = "", organisation: str = ""
) -> Invitation:
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _check_manageable(assessment, by)
    email = email.strip().lower()
    if assessment.invitations.filter(email__iexact=email, revoked_at__isnull=True).exists():
        raise ReferentialError(
            _("%(email)s est déjà invité·e à cette auto-évaluation.") % {"email": email}
        )
    invitation = Invitation(
        assessment=assessment,
        email=email,
        category=category,
        name=name.strip(),
        organisation=organisation.strip(),
        invited_by=by,
        sent_at=timezone.now(),
        send_count=1,
    )
    try:
        invitation.full_clean()
    except ValidationError as exc:
        raise ReferentialError(" ".join(exc.messages)) from exc
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError as exc:
        raise ReferentialError(_("%(email)s est déjà invité·e.") % {"email": email}) from exc
    _send_invitation_email(invitation)
    return invitation


@transaction.atomic
def invitations_create(
    *,
    assessment: Assessment,
    people: list[tuple[str, str]],
    category: str,
    by,
    organisation: str = "",
) -> tuple[list[Invitation], list[str]]:
    """Invite several people at once, given as [(address, name)]: one transaction, one
    e-mail each. An address already invited (and not revoked) is left as it is and returned
    in the second list, so that the page can say so. Returns (created, already invited)."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _check_manageable(assessment, by)
    wanted: dict[str, str] = {}
    for email, name in people:
        wanted.setdefault(email.strip().lower(), name.strip())
    already = set(
        assessment.invitations.filter(revoked_at__isnull=True, email__in=list(wanted)).values_list(
            "email", flat=True
        )
    )
    created = []
    for email, name in wanted.items():
        if email in already:
            continue
        created.append(
            invitation_create(
                assessment=assessment,
                email=email,
                category=category,
                by=by,
                name=name,
                organisation=organisation,
            )
        )
    return created, [email for email in wanted if email in already]


def _manageable_invitation_for_update(invitation: Invitation, by) -> Invitation:
    """The invitation, locked, once `by` is checked to manage its assessment."""
    invitation = (
        Invitation.objects.select_for_update().select_related("assessment").get(pk=invitation.pk)
    )
    _check_manageable(invitation.assessment, by)
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by) -> Invitation:
    invitation = _manageable_invitation_for_update(invitation, by)
    if invitation.is_revoked:
        raise ReferentialError(_("Cette invitation a été révoquée."))
    now = timezone.now()
    invitation.sent_at = now
    invitation.send_count += 1
    invitation.expires_at = now + INVITATION_VALIDITY
    invitation.save(update_fields=["sent_at", "send_count", "expires_at"])
    _send_invitation_email(invitation)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by) -> Invitation:
    invitation = _manageable_invitation_for_update(invitation, by)
    if not invitation.is_revoked:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


@transaction.atomic
def invitation_claim(*, invitation: Invitation, user) -> Invitation:
    """Attach the invitation to the account of the person it was sent to: one of the
    account's verified addresses must be the invited one. A forwarded (or leaked) link would
    otherwise let any account take the invitation, lock the invitee out and read the
    results."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not can_claim_invitation(user, invitation):
        raise ReferentialError(
            _(
                "Cette invitation a été envoyée à une autre adresse que celles de votre "
                "compte : seul le compte de cette adresse (vérifiée) peut la rattacher."
            )
        )
    if invitation.user_id and invitation.user_id != user.pk:
        raise ReferentialError(_("Cette invitation est déjà rattachée à un autre compte."))
    if invitation.user_id is None:
        invitation.user = user
        invitation.claimed_at = timezone.now()
        invitation.save(update_fields=["user", "claimed_at"])
    return invitation


_PROFILE_FIELDS = ("category", "organisation")


@transaction.atomic
def respondent_set_category(
    *, invitation: Invitation, category: str, organisation: str = ""
) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update().select_related("assessment").get(pk=invitation.pk)
    )
    if not invitation.assessment.is_open:
        raise ReferentialError(_("Cette auto-évaluation est clôturée : les réponses sont figées."))
    invitation.category = category
    invitation.organisation = organisation.strip()
    try:
        # Only what the respondent changes: an inviting account deleted since (invited_by
        # set to NULL) must not lock the respondent out.
        invitation.clean_fields(
            exclude=[f.name for f in Invitation._meta.fields if f.name not in _PROFILE_FIELDS]
        )
    except ValidationError as exc:
        raise ReferentialError(" ".join(exc.messages)) from exc
    invitation.save(update_fields=["category", "organisation"])
    return invitation


DONT_KNOW = "ns"


def parse_choice(raw: str) -> tuple[int | None, bool] | None:
    """'0'…'4' → (value, False); 'ns' → (None, True); '' → None (not answered).
    Anything else raises ReferentialError."""
    raw = (raw or "").strip()
    if raw == "":
        return None
    if raw == DONT_KNOW:
        return (None, True)
    if raw.isascii() and raw.isdecimal() and len(raw) <= 2 and SCALE_MIN <= int(raw) <= SCALE_MAX:
        return (int(raw), False)
    raise ReferentialError(
        _(
            "Réponse « %(raw)s » hors de l'échelle : choisissez "
            "de %(min)s à %(max)s ou « ne sais pas »."
        )
        % {"raw": raw[:20], "min": SCALE_MIN, "max": SCALE_MAX}
    )


@transaction.atomic
def answers_save(*, invitation: Invitation, answers: dict[str, tuple[str, str]]) -> int:
    """Save a respondent's answers, given as {indicator code: (choice, comment)}.

    Everything is checked before anything is written: an unknown question, a value off
    the scale, a closed assessment, an expired or revoked invitation: nothing is saved.
    Returns the number of questions now answered by this respondent."""
    invitation = (
        Invitation.objects.select_for_update().select_related("assessment").get(pk=invitation.pk)
    )
    assessment = Assessment.objects.select_for_update().get(pk=invitation.assessment_id)
    if not assessment.is_open:
        raise ReferentialError(_("Cette auto-évaluation est clôturée : les réponses sont figées."))
    if invitation.is_revoked:
        raise ReferentialError(_("Cette invitation a été révoquée par la coordination du pôle."))
    if invitation.is_expired:
        raise ReferentialError(
            _("Cette invitation a expiré : demandez à la coordination de la renvoyer.")
        )
    indicators = {
        i.code: i
        for i in Indicator.objects.filter(
            # A NUL byte cannot go to PostgreSQL; such a code is unknown anyway.
            version_id=assessment.version_id,
            code__in=[c for c in answers if "\x00" not in c],
        )
    }
    unknown = sorted(set(answers) - set(indicators))
    if unknown:
        raise ReferentialError(
            _("Question inconnue pour cette version du référentiel : %(codes)s.")
            % {"codes": ", ".join(c[:12].replace("\x00", "") for c in unknown[:5])}
        )
    to_write, to_delete = [], []
    for code, (raw_choice, comment) in answers.items():
        choice = parse_choice(raw_choice)
        comment = (comment or "").strip()
        if "\x00" in comment:
            raise ReferentialError(
                _("Le commentaire de la question %(code)s contient un caractère non valide.")
                % {"code": code}
            )
        if len(comment) > 2000:
            raise ReferentialError(
                _("Le commentaire de la question %(code)s dépasse 2000 caractères.")
                % {"code": code}
            )
        if choice is None and not comment:
            to_delete.append(indicators[code].pk)
            continue
        value, dont_know = choice if choice is not None else (None, False)
        to_write.append(
            Answer(
                invitation=invitation,
                indicator=indicators[code],
                value=value,
                dont_know=dont_know,
                comment=comment,
            )
        )
    if to_delete:
        Answer.objects.filter(
            invitation=invitation, indicator_id__in=to_delete, value__isnull=True, dont_know=False
        ).delete()
    if to_write:
        Answer.objects.bulk_create(
            to_write,
            update_conflicts=True,
            unique_fields=["invitation", "indicator"],
            update_fields=["value", "dont_know", "comment", "updated_at"],
        )
    now = timezone.now()
    invitation.first_answer_at = invitation.first_answer_at or now
    invitation.last_answer_at = now
    invitation.save(update_fields=["first_answer_at", "last_answer_at"])
    from .selectors import answered_count

    return answered_count(invitation)
