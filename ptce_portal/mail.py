"""The one way the portal sends its e-mails (use it, do not call send_mail yourself).

- `send_mail_on_commit(...)`: what services call inside their transaction. The message is
  rendered at once (a template error fails the action, nothing is committed) and sent once the
  transaction is committed; nothing is sent if it rolls back. A delivery failure (SMTP refusal,
  unreachable server, timeout) is logged with the traceback and never raised: the action is
  committed, so it must not become a 500.
- `send_templated_mail(...)`: render and send now; delivery errors are raised (commands, tests).
- `build_templated_mail(...)`: render only, returns the message.
- `deliver_on_commit(message)`: a message built elsewhere (a text typed by the staff), sent on
  commit with the same failure handling.

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

import logging
from collections.abc import Iterable, Sequence
from email.mime.base import MIMEBase

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)

Attachment = tuple[str, bytes | str, str] | MIMEBase


def absolute_url(path: str) -> str:
    """An absolute link for an e-mail (or any text read outside the site)."""
    return f"{settings.SITE_URL}{path}"


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
    context = {"site_url": settings.SITE_URL, **context}
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


def _deliver(message: EmailMessage) -> None:
    try:
        message.send()
    except OSError:  # smtplib.SMTPException, refused connection, timeout…
        # The transaction is committed: log the failure, never turn it into a 500.
        logger.exception("Could not send the e-mail %r to %s", message.subject, message.to)


def deliver_on_commit(message: EmailMessage) -> None:
    """Send a message built elsewhere (e.g. a text typed by the staff) when the transaction
    commits, with the same failure handling as send_mail_on_commit."""
    # robust: any other failure of the sending is logged by Django too, and the callbacks
    # after it (e.g. the staff notification) still run.
    transaction.on_commit(lambda: _deliver(message), robust=True)


def send_mail_on_commit(**kwargs) -> EmailMultiAlternatives | None:
    """Render now (see build_templated_mail), send when the transaction commits.

    Returns the message (None when there is no recipient). Nothing is sent if the
    transaction rolls back; a delivery failure is logged, not raised."""
    message = build_templated_mail(**kwargs)
    if message is not None:
        deliver_on_commit(message)
    return message
