"""The one way the portal sends its e-mails (use it, do not call send_mail yourself).

- `send_mail_on_commit(...)`: what services call inside their transaction. The message is
  rendered at once (a template error fails the action, nothing is committed) and recorded as an
  `OutgoingEmail` row in the same transaction, so it exists if and only if the action is
  committed. Delivery is tried once the transaction commits. A delivery failure (SMTP refusal,
  unreachable server, timeout…) is logged with the traceback and never raised: the row becomes
  `failed` with the error and a `next_attempt_at` (backoff), and `manage.py send_queued_mail`
  (cron, every few minutes) or the admin action « Renvoyer maintenant » sends it again.
- `send_templated_mail(...)`: render and send now, not recorded; delivery errors are raised
  (commands, tests).
- `build_templated_mail(...)`: render only, returns the message.
- `deliver_on_commit(message)`: a message built elsewhere (a text typed by the staff, allauth's
  account e-mails), recorded and sent on commit with the same failure handling.
- `send_due_mail()` / `purge_old_mail()`: the work of `send_queued_mail`.

Each row is sent under a row lock (`select_for_update(skip_locked=True)`) and only while it is
not `sent`, so two senders (the on-commit delivery, two cron runs) never send it twice. Every
attempt of one row carries the same Message-ID.

Rendering: in `language` (default: the site's default language, French; pass the recipient's
language when it is known, e.g. the language active during the request of the person who is
written to). Text templates (subject and body) are rendered without HTML escaping; an optional
HTML alternative is rendered with it. The context always holds `site_url` (settings.SITE_URL,
no trailing slash); `absolute_url(path)` builds the other absolute links. Subjects are put on
one line and prefixed with settings.ACCOUNT_EMAIL_SUBJECT_PREFIX (the allauth prefix,
translated in `language`), like the account e-mails. Without `subject`, the subject is rendered
from the template next to the body: `app/email/name.txt` -> `app/email/name_subject.txt`.
"""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from email.mime.base import MIMEBase
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.utils import DNS_NAME
from django.db import transaction
from django.db.models import Q
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation

from . import contributions
from .models import OutgoingEmail
from .site import absolute_url, site_url

__all__ = ["absolute_url"]  # re-exported: the services build their links with it

logger = logging.getLogger(__name__)

Attachment = tuple[str, bytes | str, str] | MIMEBase


def staff_recipients() -> list[str]:
    """Who is told when something waits for staff (a new pole, a signature to validate…):
    the team's address STAFF_NOTIFICATION_EMAIL when it is set, otherwise every staff
    account that has an address."""
    if settings.STAFF_NOTIFICATION_EMAIL:
        return [settings.STAFF_NOTIFICATION_EMAIL]
    from .permissions import staff_users

    return list(staff_users().exclude(email="").values_list("email", flat=True))


def mail_language(language: str | None) -> str:
    """A language of settings.LANGUAGES for `language`, the site's default when unknown."""
    if language:
        try:
            return translation.get_supported_language_variant(language)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


def subject_template_name(template_name: str) -> str:
    stem = template_name.removesuffix(".txt")
    return f"{stem}_subject.txt"


def _render_text(template_name: str, context: dict) -> str:
    """A plain-text template: no HTML escaping (a pole called « A & B » stays so)."""
    template = get_template(template_name).template
    return template.render(Context(context, autoescape=False))


def build_templated_mail(
    *,
    to: Iterable[str],
    template_name: str,
    context: dict,
    subject: str | None = None,
    html_template_name: str | None = None,
    attachments: Sequence[Attachment] = (),
    language: str | None = None,
    reply_to: Iterable[str] | None = None,
    from_email: str | None = None,
) -> EmailMultiAlternatives | None:
    """The message, rendered in `language`; None when there is no recipient."""
    recipients = [address for address in to if address]
    if not recipients:
        return None
    context = {"site_url": site_url(), **context}
    with translation.override(mail_language(language)):
        if subject is None:
            subject = _render_text(subject_template_name(template_name), context)
        prefix = str(getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "") or "")
        subject = prefix + " ".join(str(subject).split())
        body = _render_text(template_name, context)
        html = render_to_string(html_template_name, context) if html_template_name else None
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        reply_to=list(reply_to) if reply_to else None,
        attachments=list(attachments),
    )
    if html is not None:
        message.attach_alternative(html, "text/html")
    return message


def send_templated_mail(**kwargs) -> int:
    """Render (see build_templated_mail) and send now. Delivery errors are raised."""
    message = build_templated_mail(**kwargs)
    if message is None:
        return 0
    return message.send()


# Delays before the next attempt after the 1st, 2nd… failure; the last one repeats.
RETRY_DELAYS = tuple(timedelta(minutes=m) for m in (2, 5, 15, 30, 60, 120, 240, 480, 720))
# After this many failed attempts a message stays `failed` (the admin can still resend it).
MAX_ATTEMPTS = 10
# Sent messages (and abandoned ones) are deleted this many days after their creation.
RETENTION_DAYS = 90


# Messages that carry a personal secret link (password reset, address confirmation, the
# invitation to answer a self-assessment, the link to manage an event registration): whoever
# reads them can act as the recipient. Their text is never shown to the staff (outbox admin,
# dashboard) and is blanked once the message is sent (it stays resendable while pending or
# failed). Each app declares the `kind` prefixes of its own (the template name, or allauth's
# template prefix) in its contribution: `personal_link_kinds`.
def carries_personal_link(kind: str) -> bool:
    return (kind or "").startswith(contributions.personal_link_kinds())


def max_attempts() -> int:
    return int(getattr(settings, "MAIL_OUTBOX_MAX_ATTEMPTS", MAX_ATTEMPTS))


def retry_delay(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt (1 for the first)."""
    return RETRY_DELAYS[min(max(attempts, 1), len(RETRY_DELAYS)) - 1]


def _attachments_to_json(message: EmailMessage) -> list[dict]:
    stored = []
    for attachment in message.attachments:
        if isinstance(attachment, MIMEBase):
            filename = attachment.get_filename() or ""
            mimetype = attachment.get_content_type()
            content = attachment.get_payload(decode=True) or b""
        else:
            filename, content, mimetype = attachment
        is_text = isinstance(content, str)
        data = content.encode() if is_text else bytes(content)
        stored.append(
            {
                "filename": filename or "",
                "mimetype": mimetype or "application/octet-stream",
                "text": is_text,
                "content": base64.b64encode(data).decode("ascii"),
            }
        )
    return stored


def record_message(message: EmailMessage, *, kind: str = "", language: str = "") -> OutgoingEmail:
    """Store `message` as a pending OutgoingEmail (in the current transaction, if any)."""
    html = ""
    body = str(message.body or "")
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            html = str(content)
            break
    if message.content_subtype == "html" and not html:
        html, body = body, ""
    headers = {str(k): str(v) for k, v in (message.extra_headers or {}).items()}
    if not any(name.lower() == "message-id" for name in headers):
        # The same Message-ID on every attempt: a receiver can tell a resend from a new mail.
        headers["Message-ID"] = make_msgid(domain=DNS_NAME)
    now = timezone.now()
    return OutgoingEmail.objects.create(
        kind=kind[:200],
        language=(language or "")[:10],
        from_email=str(message.from_email or settings.DEFAULT_FROM_EMAIL),
        to=[str(a) for a in message.to],
        cc=[str(a) for a in message.cc],
        bcc=[str(a) for a in message.bcc],
        reply_to=[str(a) for a in message.reply_to],
        subject=str(message.subject),
        body=body,
        html_body=html,
        headers=headers,
        attachments=_attachments_to_json(message),
        status=OutgoingEmail.Status.PENDING,
        created_at=now,
        next_attempt_at=now,
    )


def message_from_record(outgoing: OutgoingEmail) -> EmailMessage:
    """The message to send for a stored row."""
    if outgoing.html_body and not outgoing.body:
        message = EmailMessage()
        message.content_subtype = "html"
        message.body = outgoing.html_body
    else:
        message = EmailMultiAlternatives(body=outgoing.body)
        if outgoing.html_body:
            message.attach_alternative(outgoing.html_body, "text/html")
    message.subject = outgoing.subject
    message.from_email = outgoing.from_email
    message.to = list(outgoing.to)
    message.cc = list(outgoing.cc)
    message.bcc = list(outgoing.bcc)
    message.reply_to = list(outgoing.reply_to)
    message.extra_headers = dict(outgoing.headers)
    for item in outgoing.attachments:
        content: bytes | str = base64.b64decode(item["content"])
        if item.get("text"):
            content = content.decode()
        message.attach(item["filename"] or None, content, item["mimetype"] or None)
    return message


# After a delivery timed out (a server that does not answer, not one that refuses), the
# deliveries on commit of this process leave their messages queued for this long:
# send_queued_mail sends them. A request thus waits for at most one SMTP timeout, not one
# per message (a web worker killed by its own timeout would show an error page).
SLOW_SERVER_PAUSE_SECONDS = 60
_paused_until = 0.0  # time.monotonic() value


def _pause_after_commit_deliveries() -> None:
    global _paused_until
    _paused_until = time.monotonic() + SLOW_SERVER_PAUSE_SECONDS


def _is_timeout(error: BaseException | None) -> bool:
    """A timeout, also when smtplib re-raises it (SMTPServerDisconnected: timed out)."""
    seen = 0
    while error is not None and seen < 5:
        if isinstance(error, TimeoutError):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def smtp_timed_out_recently() -> bool:
    """A delivery of this process timed out less than SLOW_SERVER_PAUSE_SECONDS ago."""
    return time.monotonic() < _paused_until


# Backends that report a message sent without delivering it: fine in development, a silent
# loss in production (the outbox would mark the message sent and blank its personal link).
NOT_DELIVERING_BACKENDS = frozenset(
    {
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.dummy.EmailBackend",
        "django.core.mail.backends.filebased.EmailBackend",
    }
)


def undelivering_backend() -> str | None:
    """With DEBUG off, the configured mail backend when it would not deliver anything (the
    console one of development, typically: EMAIL_BACKEND set, or the environment file of the
    server not read); None when mail can go out. send_queued_mail refuses to run on it."""
    if settings.DEBUG:
        return None
    backend = settings.MAILERS["default"]["BACKEND"]
    return backend if backend in NOT_DELIVERING_BACKENDS else None


def _deliver_after_commit(outgoing_id: int) -> bool | None:
    if smtp_timed_out_recently():
        logger.warning(
            "The mail server timed out recently: e-mail %s stays queued for send_queued_mail",
            outgoing_id,
        )
        return None
    return deliver(outgoing_id)


def deliver(outgoing_id: int, *, force: bool = False) -> bool | None:
    """Send one stored message now, under a row lock; never raises a delivery error.

    True: sent (or already sent and not `force`); False: this attempt failed (the row says
    why and when the next one is due); None: another process is sending it right now, or the
    row is gone. `force` (the admin action) sends even a sent or abandoned message again."""
    with transaction.atomic():
        outgoing = (
            OutgoingEmail.objects.select_for_update(skip_locked=True).filter(pk=outgoing_id).first()
        )
        if outgoing is None:
            return None
        if outgoing.status == OutgoingEmail.Status.SENT and not force:
            return True
        outgoing.attempts += 1
        try:
            message_from_record(outgoing).send()
        except Exception as error:  # SMTPException, refused connection, timeout, bad header…
            # The action is committed: record the failure, never turn it into a 500.
            logger.exception(
                "Could not send the e-mail %r to %s (attempt %s)",
                outgoing.subject,
                outgoing.to,
                outgoing.attempts,
            )
            if _is_timeout(error):
                _pause_after_commit_deliveries()
            outgoing.status = OutgoingEmail.Status.FAILED
            outgoing.last_error = (f"{type(error).__name__}: {error}").strip()[:2000]
            outgoing.sent_at = None
            outgoing.next_attempt_at = (
                timezone.now() + retry_delay(outgoing.attempts)
                if outgoing.attempts < max_attempts()
                else None
            )
            sent = False
        else:
            outgoing.status = OutgoingEmail.Status.SENT
            outgoing.sent_at = timezone.now()
            outgoing.next_attempt_at = None
            sent = True
        fields = ["status", "attempts", "last_error", "sent_at", "next_attempt_at"]
        if sent and carries_personal_link(outgoing.kind):
            # The secret link has reached its recipient: nobody else may read it here.
            outgoing.body = outgoing.html_body = ""
            fields += ["body", "html_body"]
        outgoing.save(update_fields=fields)
        return sent


def is_redacted(outgoing: OutgoingEmail) -> bool:
    """A sent message whose text (with a personal link) was blanked: nothing to resend."""
    return (
        carries_personal_link(outgoing.kind)
        and not outgoing.body
        and not outgoing.html_body
        and outgoing.status == OutgoingEmail.Status.SENT
    )


def _timed_out_since(mark: float) -> bool:
    """A delivery timed out after `mark` (a value of _paused_until taken before a batch): the
    server does not answer, the batch stops (one timeout, not one per message)."""
    return _paused_until != mark


@dataclass(frozen=True)
class ResendResult:
    sent: int = 0
    failed: int = 0
    busy: int = 0  # being sent by another process, or gone
    not_tried: int = 0  # left for the queue after a timeout
    redacted: int = 0  # sent messages whose personal link was blanked


def resend(pks: Iterable[int]) -> ResendResult:
    """Send the given messages again now (the admin action), even sent or abandoned ones,
    except sent messages whose text was blanked. Stops at the first timeout."""
    pks = list(pks)
    redacted = [
        row.pk
        for row in OutgoingEmail.objects.filter(pk__in=pks).only(
            "pk", "kind", "status", "body", "html_body"
        )
        if is_redacted(row)
    ]
    todo = [pk for pk in pks if pk not in redacted]
    results = []
    mark = _paused_until
    for pk in todo:
        results.append(deliver(pk, force=True))
        if results[-1] is False and _timed_out_since(mark):
            break
    sent, failed = results.count(True), results.count(False)
    return ResendResult(
        sent=sent,
        failed=failed,
        busy=len(results) - sent - failed,
        not_tried=len(todo) - len(results),
        redacted=len(redacted),
    )


@dataclass(frozen=True)
class DeliveryCounts:
    sent: int = 0
    failed: int = 0  # this attempt failed; retried by send_queued_mail (or abandoned)
    pending: int = 0  # not tried yet (before commit, or left for the queue after a timeout)

    @property
    def total(self) -> int:
        return self.sent + self.failed + self.pending


def delivery_counts(outgoing_ids: Iterable[int]) -> DeliveryCounts:
    """Where the given messages are now: tell the sender exactly what happened (one query)."""
    statuses = list(
        OutgoingEmail.objects.filter(pk__in=list(outgoing_ids)).values_list("status", flat=True)
    )
    return DeliveryCounts(
        sent=statuses.count(OutgoingEmail.Status.SENT),
        failed=statuses.count(OutgoingEmail.Status.FAILED),
        pending=statuses.count(OutgoingEmail.Status.PENDING),
    )


def due_mail():
    """Messages to (re)send now: pending or failed, due, attempts left."""
    return OutgoingEmail.objects.filter(
        status__in=[OutgoingEmail.Status.PENDING, OutgoingEmail.Status.FAILED],
        next_attempt_at__lte=timezone.now(),
        attempts__lt=max_attempts(),
    )


def send_due_mail(*, limit: int | None = None) -> tuple[int, int]:
    """Send every due message, one row lock at a time. Returns (sent, failed).

    Rows locked by another sender are skipped, so concurrent runs never send one twice;
    a row that fails again gets a later next_attempt_at, so each run ends. The run stops at
    the first timeout (a server that does not answer would cost one timeout per message)."""
    sent = failed = 0
    started = timezone.now()
    mark = _paused_until
    while limit is None or sent + failed < limit:
        with transaction.atomic():
            outgoing = (
                due_mail()
                .filter(next_attempt_at__lte=started)
                .order_by("next_attempt_at", "id")
                .select_for_update(skip_locked=True)
                .first()
            )
            if outgoing is None:
                break
            # Nested: the lock taken above is kept (same transaction).
            result = deliver(outgoing.pk)
        if result:
            sent += 1
        elif result is False:
            failed += 1
            if _timed_out_since(mark):
                break  # that attempt timed out: the server does not answer, try next run
    return sent, failed


def purge_old_mail(*, days: int = RETENTION_DAYS) -> int:
    """Delete sent messages, and abandoned failed ones, created more than `days` days ago
    (they hold personal data: addresses and texts). Returns the number deleted."""
    cutoff = timezone.now() - timedelta(days=days)
    abandoned = Q(status=OutgoingEmail.Status.FAILED) & (
        Q(attempts__gte=max_attempts()) | Q(next_attempt_at__isnull=True)
    )
    deleted, _ = (
        OutgoingEmail.objects.filter(created_at__lt=cutoff)
        .filter(abandoned | Q(status=OutgoingEmail.Status.SENT))
        .delete()
    )
    return deleted


def deliver_on_commit(
    message: EmailMessage, *, kind: str = "", language: str | None = None
) -> OutgoingEmail | None:
    """Record a message built elsewhere (e.g. a text typed by the staff) in the current
    transaction and send it when the transaction commits, with the same failure handling as
    send_mail_on_commit. `kind` tells the staff what it was (default: "message"); `language`
    is the language it is written in (default: the active one)."""
    if not message.recipients():
        return None
    outgoing = record_message(
        message, kind=kind or "message", language=language or translation.get_language() or ""
    )
    # robust: any other failure (e.g. of the database while recording the result) is logged
    # by Django too, and the callbacks after it (e.g. the staff notification) still run.
    transaction.on_commit(lambda: _deliver_after_commit(outgoing.pk), robust=True)
    return outgoing


def send_mail_on_commit(**kwargs) -> EmailMultiAlternatives | None:
    """Render now (see build_templated_mail), record it in the current transaction, send when
    the transaction commits.

    Returns the message (None when there is no recipient). Nothing is recorded nor sent if the
    transaction rolls back; a delivery failure is recorded and logged, not raised."""
    message = build_templated_mail(**kwargs)
    if message is not None:
        deliver_on_commit(
            message,
            kind=kwargs.get("template_name", ""),
            language=mail_language(kwargs.get("language")),
        )
    return message
