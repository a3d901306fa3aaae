"""Personal data of a member (GDPR): export everything the portal holds about them, and
delete their account.

Every app declares what it holds in its contribution (`ptce_portal.contributions.PersonalData`:
`export(user) -> dict`, `erase(user) -> None`, `personal_values(user) -> set[str]`,
`owned_objects(user) -> dict[model, list[pk]]`, usually from its `<app>/personal_data.py`);
this module calls them all.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from auditlog.context import disable_auditlog
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import contributions
from .mail import send_mail_on_commit
from .permissions import can_delete_own_account
from .personal_data import scrub_logs
from .site import absolute_url, site_url

EXPORT_FORMAT = "ptce-donnees-personnelles/1"

logger = logging.getLogger(__name__)


def _modules() -> list[tuple[str, contributions.PersonalData]]:
    return contributions.personal_data()


def personal_data_export(*, user) -> dict:
    """Everything the portal holds about `user`, by app, ready for JSON."""
    data: dict = {
        "format": EXPORT_FORMAT,
        "portail": site_url(),
        "genere_le": timezone.now(),
        "responsable_du_traitement": "Le Labo de l'ESS",
        # What each kind of data is for, how long it is kept, who sees it.
        "notice": absolute_url(reverse("personal_data")),
    }
    for label, module in _modules():
        data[label] = module.export(user)
    return data


def account_deletion_refusal(user) -> str | None:
    """Why this account cannot be deleted (from Mon espace or in the admin), or None."""
    if not can_delete_own_account(user):
        return _(
            "Un compte de l'équipe ne peut pas être supprimé depuis Mon espace : ses actions "
            "d'administration doivent rester attribuées. Demandez à un·e administrateur·rice "
            "de retirer d'abord votre accès à l'administration."
        )
    return None


def account_delete(*, user, password: str, language: str | None = None) -> str:
    """Delete `user`'s account after checking their password, in one transaction.

    Each app's contribution (`personal_data.erase`) decides what of its data is kept
    without the person (public records stay valid and counts stay right) and what is erased
    (names, e-mails, phones, links to the account); the foundation erases the e-mail
    addresses, sessions, the e-mails sent to them and their mentions in the audit log, then
    the user row itself. A confirmation is e-mailed to the old address on commit.
    Returns that address. Raises PermissionDenied (staff) or ValidationError (password).
    """
    refusal = account_deletion_refusal(user)
    if refusal:
        raise PermissionDenied(refusal)
    if not password or not user.check_password(password):
        raise ValidationError(
            {"password": _("Mot de passe incorrect : votre compte n'a pas été supprimé.")}
        )
    return account_erase(user=user, language=language)


def account_erase(*, user, language: str | None = None) -> str:
    """Erase the person and delete the account (see account_delete), without the checks of
    the self-service path: also what the admin's deletion of a user does. Returns the old
    address, to which a confirmation is sent on commit. Raises ValidationError (and erases
    nothing) when a protected link stops the deletion."""
    email = user.email
    try:
        _erase_and_delete(user, email=email, language=language)
    except (ProtectedError, RestrictedError) as exc:
        # A model added later protects its link to the user: the transaction rolled back.
        logger.exception("Account %s could not be deleted", user.pk)
        raise ValidationError(
            _(
                "Votre compte ne peut pas être supprimé automatiquement : rien n'a été effacé. "
                "Écrivez à l'équipe du Labo de l'ESS, qui s'en chargera."
            )
        ) from exc
    return email


def _erase_and_delete(user, *, email: str, language: str | None) -> None:
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        modules = _modules()
        values: set[str] = set()
        objects: dict = defaultdict(list)
        for _label, module in modules:
            values |= module.personal_values(user)
            for model, pks in module.owned_objects(user).items():
                objects[model].extend(pks)
        # The erasure itself is not logged: a log entry would copy the erased values.
        with disable_auditlog():
            for _label, module in reversed(modules):
                module.erase(user)
            scrub_logs(objects, values)
            user.delete()
        send_mail_on_commit(
            to=[email],
            template_name="ptce_portal/email/account_deleted.txt",
            context={"email": email},
            language=language,
        )
