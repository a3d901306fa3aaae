"""Personal data held by ptce_portal: the account, its e-mail addresses, the e-mails the
portal sent to the person (outbox) and the audit-log entries of their actions.

Each app has a module like this one (`<app>/personal_data.py`, declared in its
contribution) with `export(user) -> dict` and `erase(user) -> None`;
ptce_portal.gdpr calls them all in one transaction. This module's `erase` runs last and
leaves the user row itself to ptce_portal.gdpr.account_delete.
"""

from __future__ import annotations

from email.utils import getaddresses

from allauth.account.models import EmailAddress
from auditlog.models import LogEntry
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils.text import capfirst

from .models import OutgoingEmail
from .sessions import end_sessions

ERASED = "[effacé]"


def verified_emails(user, *, with_login: bool = True) -> list[str]:
    """The addresses that are the person's, lower-cased: the login (a member cannot sign in
    before verifying it) and the verified addresses of the account. An address added but
    not verified may be someone else's: what was registered with it is not exported nor
    erased. `with_login=False`: only the addresses allauth recorded as verified, for an
    action taken in the person's name (signing), which must not rest on a login address
    that was never confirmed."""
    emails = {user.email.lower()} if user.email and with_login else set()
    emails.update(
        address.lower()
        for address in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    )
    return sorted(emails)


def owned_by(user, *, user_field: str, email_field: str, emails: list[str] | None = None) -> Q:
    """Rows linked to `user` by a foreign key (`user_field`) or whose `email_field` is one of
    the person's verified addresses (any case). Pass `emails` (verified_emails(user)) when
    it is already known."""
    if emails is None:
        emails = verified_emails(user)
    condition = Q(**{user_field: user})
    for email in emails:
        condition |= Q(**{f"{email_field}__iexact": email})
    return condition


def _address(recipient: str) -> str:
    """The bare address of a recipient written « address » or « Name <address> », lower-cased."""
    parsed = getaddresses([recipient])
    return (parsed[0][1] if parsed else recipient).strip().lower()


def _outgoing_to(emails: list[str]):
    """Recorded e-mails with one of `emails` among their recipients (to, cc, bcc): the whole
    address must be equal (any case), bare or written « Name <address> »; never a part of
    it (an@exemple.fr is not jean@exemple.fr)."""
    condition = RawSQL(
        'EXISTS (SELECT 1 FROM unnest("to" || cc || bcc) AS recipient, '
        "unnest(%s::text[]) AS address WHERE lower(btrim(recipient)) = address "
        "OR right(lower(btrim(recipient)), length(address) + 2) = '<' || address || '>')",
        (emails,),
    )
    return OutgoingEmail.objects.alias(addressed=condition).filter(addressed=True)


def _erase_outgoing(emails: list[str]) -> None:
    """The person leaves the recipients of every recorded e-mail; an e-mail left without
    any recipient is deleted, the others stay for their other recipients."""
    wanted = set(emails)
    for message in _outgoing_to(emails).only("pk", "to", "cc", "bcc"):
        kept = {
            name: [r for r in getattr(message, name) if _address(r) not in wanted]
            for name in ("to", "cc", "bcc")
        }
        if not any(kept.values()):
            OutgoingEmail.objects.filter(pk=message.pk).delete()
        else:
            OutgoingEmail.objects.filter(pk=message.pk).update(**kept)


def export(user) -> dict:
    emails = verified_emails(user)
    return {
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
        "emails_envoyes": [
            {
                "date": m.created_at,
                "envoye_le": m.sent_at,
                "etat": m.status,
                # Only the person's own address: the other recipients are not theirs.
                "destinataires": [r for r in (*m.to, *m.cc, *m.bcc) if _address(r) in emails],
                "objet": m.subject,
                "texte": m.body,
            }
            for m in (_outgoing_to(emails).order_by("created_at", "pk") if emails else [])
        ],
        "journal_des_modifications": [
            {
                "date": entry.timestamp,
                "objet": entry.object_repr,
                "type": str(entry.content_type),
                "action": entry.get_action_display(),
                "modifications": entry.changes,
            }
            for entry in LogEntry.objects.filter(actor=user)
            .select_related("content_type")
            .order_by("timestamp", "pk")
        ],
    }


def personal_values(user) -> set[str]:
    values = set(verified_emails(user))
    full_name = user.get_full_name().strip()
    if full_name:
        values.add(full_name)
        values.add(f"{user.last_name} {user.first_name}".strip())
    values.update(v.strip() for v in (user.first_name, user.last_name) if v and v.strip())
    return values


def owned_objects(user) -> dict:
    """The rows of this app that are the person's own (their log entries are scrubbed)."""
    return {type(user): [user.pk]}


def scrub_logs(objects: dict, values: set[str]) -> None:
    """Remove the person from the logs of their own objects (`objects`: model -> primary
    keys, collected by every app's `owned_objects` before the erasure), in the audit log
    and in Django's admin log: the entries stay (what happened, when), labelled
    « <kind> n°<id> »; in the audit log, each recorded value equal (whole, any case) to one
    of `values` (their e-mails, names, phone) becomes "[effacé]" -- never a part of a text,
    so nothing about other people or objects is touched. The actor's e-mail and address of
    the person's own actions are forgotten by audit.signals when the user row goes."""
    needles = {v.strip().lower() for v in values if v and v.strip()}
    for model, pks in objects.items():
        pks = [str(pk) for pk in pks]
        if not pks:
            continue
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        label = capfirst(model._meta.verbose_name)
        entries = LogEntry.objects.filter(content_type=content_type, object_pk__in=pks)
        for entry in entries.only(
            "pk", "object_pk", "changes", "changes_text", "serialized_data"
        ).iterator():
            # Plain update: the log entry's own save() is not involved, nothing is re-logged.
            LogEntry.objects.filter(pk=entry.pk).update(
                object_repr=f"{label} n°{entry.object_pk}",
                changes=_replace(entry.changes, needles),
                changes_text=_replace(entry.changes_text, needles),
                serialized_data=_replace(entry.serialized_data, needles),
            )
        AdminLogEntry.objects.filter(content_type=content_type, object_id__in=pks).update(
            object_repr=RawSQL("%s || ' n°' || object_id", (str(label),)), change_message=""
        )


def _replace(value, needles: set[str]):
    """`value` (JSON) with every string equal to one of `needles` (whole, any case) erased."""
    if isinstance(value, str):
        return ERASED if value.strip().lower() in needles else value
    if isinstance(value, list):
        return [_replace(item, needles) for item in value]
    if isinstance(value, dict):
        return {key: _replace(item, needles) for key, item in value.items()}
    return value


def redact(text: str, needles) -> str:
    """`text` with every occurrence (any case) of each of `needles` replaced by "[effacé]".
    For a text that belongs to the person's own object (e.g. a contact block they typed)."""
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
    """The account's addresses, sessions and the person's place among the recipients of the
    e-mails sent (the account itself is deleted by ptce_portal.gdpr, after every app)."""
    emails = verified_emails(user)
    if emails:
        _erase_outgoing(emails)
    EmailAddress.objects.filter(user=user).delete()
    end_sessions(user)
