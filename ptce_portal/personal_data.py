"""Personal data held by ptce_portal: the account, its e-mail addresses, the e-mails the
portal sent to the person (outbox) and the audit-log entries of their actions.

Each app has a module like this one (`<app>/personal_data.py`, listed in
settings.PERSONAL_DATA_MODULES) with `export(user) -> dict` and `erase(user) -> None`;
ptce_portal.gdpr calls them all in one transaction. This module's `erase` runs last and
leaves the user row itself to ptce_portal.gdpr.account_delete.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils import timezone

ERASED = "[effacé]"


def user_emails(user) -> list[str]:
    """The addresses that are the person's, lower-cased: the login (a member cannot sign in
    before verifying it) and the verified addresses of the account. An address added but
    not verified may be someone else's: what was registered with it is not exported nor
    erased."""
    emails = {user.email.lower()} if user.email else set()
    emails.update(
        address.lower()
        for address in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    )
    return sorted(emails)


def _outgoing_model():
    try:
        return apps.get_model("ptce_portal", "OutgoingEmail")
    except LookupError:  # the outbox is not installed
        return None


def _outgoing_to(model, emails: list[str]):
    """Recorded e-mails with one of `emails` among their recipients (to, cc, bcc; an
    address may be written « Name <address> », so this is a case-insensitive substring)."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = " || ".join(
        f"{table}.{connection.ops.quote_name(model._meta.get_field(name).column)}"
        for name in ("to", "cc", "bcc")
    )
    condition = RawSQL(
        f"EXISTS (SELECT 1 FROM unnest({columns}) AS recipient, unnest(%s::text[]) AS address "
        "WHERE strpos(lower(recipient), address) > 0)",
        (emails,),
    )
    return model.objects.alias(addressed=condition).filter(addressed=True)


def _logentry_model():
    if not apps.is_installed("auditlog"):
        return None
    return apps.get_model("auditlog", "LogEntry")


def export(user) -> dict:
    data: dict = {
        "compte": {
            "email": user.email,
            "prenom": user.first_name,
            "nom": user.last_name,
            "inscrit_le": user.date_joined,
            "derniere_connexion": user.last_login,
            "equipe": user.is_staff,
            "actif": user.is_active,
        },
        "adresses_email": [
            {"email": a.email, "verifiee": a.verified, "principale": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("email")
        ],
    }
    outgoing = _outgoing_model()
    if outgoing is not None:
        emails = user_emails(user)
        data["emails_envoyes"] = (
            [
                {
                    "date": m.created_at,
                    "envoye_le": m.sent_at,
                    "etat": m.status,
                    "destinataires": list(m.to),
                    "objet": m.subject,
                    "texte": m.body,
                }
                for m in _outgoing_to(outgoing, emails).order_by("created_at", "pk")
            ]
            if emails
            else []
        )
    log_entry = _logentry_model()
    if log_entry is not None:
        data["journal_des_modifications"] = [
            {
                "date": entry.timestamp,
                "objet": entry.object_repr,
                "type": str(entry.content_type),
                "action": entry.get_action_display(),
                "modifications": entry.changes,
            }
            for entry in log_entry.objects.filter(actor=user)
            .select_related("content_type")
            .order_by("timestamp", "pk")
        ]
    return data


def personal_values(user) -> set[str]:
    values = set(user_emails(user))
    full_name = user.get_full_name().strip()
    if full_name:
        values.add(full_name)
    return values


def scrub_audit_log(user, values: set[str]) -> None:
    """Remove the person from the audit log: their actions stay (who-did-what of a pole's or
    a signature's history), with the actor's name, e-mail and address erased; and every
    recorded value equal to one of `values` (their e-mails, names, phone) becomes "[effacé]"."""
    log_entry = _logentry_model()
    if log_entry is None:
        return
    log_entry.objects.filter(actor=user).update(actor=None, actor_email=None, remote_addr=None)
    needles = sorted({v for v in values if v and len(v) >= 3}, key=len, reverse=True)
    if not needles:
        return
    lowered = [n.lower() for n in needles]
    mention = RawSQL(
        "EXISTS (SELECT 1 FROM unnest(%s::text[]) AS needle WHERE strpos(lower("
        "coalesce(changes::text, '') || ' ' || coalesce(changes_text, '') || ' ' "
        "|| object_repr || ' ' || coalesce(actor_email, '') || ' ' "
        "|| coalesce(serialized_data::text, '')), needle) > 0)",
        (lowered,),
    )
    for entry in log_entry.objects.alias(mentions=mention).filter(mentions=True):
        entry.changes = _replace(entry.changes, lowered)
        entry.changes_text = _replace(entry.changes_text, lowered)
        entry.object_repr = _replace(entry.object_repr, lowered)
        entry.serialized_data = _replace(entry.serialized_data, lowered)
        if entry.actor_email and _replace(entry.actor_email, lowered) != entry.actor_email:
            entry.actor_email = None
        # Plain update: the log entry's own save() is not involved, nothing is re-logged.
        log_entry.objects.filter(pk=entry.pk).update(
            changes=entry.changes,
            changes_text=entry.changes_text,
            object_repr=entry.object_repr,
            serialized_data=entry.serialized_data,
            actor_email=entry.actor_email,
        )


def _replace(value, needles: list[str]):
    if isinstance(value, str):
        if value.strip().lower() in needles:
            return ERASED
        for needle in needles:
            if needle in value.lower():
                value = _replace_in(value, needle)
        return value
    if isinstance(value, list):
        return [_replace(item, needles) for item in value]
    if isinstance(value, dict):
        return {key: _replace(item, needles) for key, item in value.items()}
    return value


def redact(text: str, needles) -> str:
    """`text` with every occurrence (any case) of each of `needles` replaced by "[effacé]"."""
    for needle in sorted({n.strip().lower() for n in needles if n and n.strip()}, key=len)[::-1]:
        if needle in text.lower():
            text = _replace_in(text, needle)
    return text


def _replace_in(text: str, needle: str) -> str:
    result, lowered, start = [], text.lower(), 0
    while (index := lowered.find(needle, start)) >= 0:
        result.append(text[start:index])
        result.append(ERASED)
        start = index + len(needle)
    result.append(text[start:])
    return "".join(result)


def erase(user) -> None:
    """The account's addresses, sessions and the e-mails sent to it (the account itself is
    deleted by ptce_portal.gdpr.account_delete, after every app)."""
    outgoing = _outgoing_model()
    emails = user_emails(user)
    if outgoing is not None and emails:
        _outgoing_to(outgoing, emails).delete()
    EmailAddress.objects.filter(user=user).delete()
    user_id = str(user.pk)
    stale = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == user_id
    ]
    Session.objects.filter(pk__in=stale).delete()
