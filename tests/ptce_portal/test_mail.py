"""ptce_portal.mail: the one way the portal sends e-mail."""

import logging

import pytest
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import translation

from ptce_portal.mail import (
    absolute_url,
    build_templated_mail,
    deliver_on_commit,
    send_mail_on_commit,
    send_templated_mail,
)
from ptce_portal.versions import bump_writes

from .smtp_server import SMTPStandIn, smtp_mailers

# A real template of the project (charter staff notice): it takes plain values.
TEMPLATE = "charter/email/staff_withdrawn.txt"
CONTEXT = {"signature": {"pole_name": "Pôle A & B", "withdrawn_by": "Jeanne Martin"}}


def test_renders_in_french_by_default_with_the_subject_prefix(settings):
    settings.SITE_URL = "https://ptce.example"
    with translation.override("en"):  # the actor's language does not leak in by default
        message = build_templated_mail(
            to=["staff@exemple.fr"], template_name=TEMPLATE, context=CONTEXT
        )
    assert message.subject == "[Portail PTCE] Signature de la charte retirée : Pôle A & B"
    assert "« Pôle A & B » a été retirée par Jeanne Martin" in message.body  # not escaped
    assert "&amp;" not in message.body
    assert message.to == ["staff@exemple.fr"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert absolute_url("/charte/") == "https://ptce.example/charte/"


def test_renders_in_the_language_given(mailoutbox):
    sent = send_templated_mail(
        to=["staff@exemple.fr"],
        template_name=TEMPLATE,
        context=CONTEXT,
        language="en",
        reply_to=["equipe@labo-ess.example"],
    )
    assert sent == 1
    (message,) = mailoutbox
    assert message.subject == "[PTCE Portal] Charter signature withdrawn: Pôle A & B"
    assert "“Pôle A & B” has been withdrawn by Jeanne Martin" in message.body
    assert message.reply_to == ["equipe@labo-ess.example"]
    assert translation.get_language() == "fr"  # the language of the caller is restored


def test_an_unknown_language_falls_back_to_french():
    message = build_templated_mail(
        to=["a@exemple.fr"], template_name=TEMPLATE, context=CONTEXT, language="xx"
    )
    assert message.subject.startswith("[Portail PTCE] Signature")


def test_an_explicit_subject_and_the_site_url_in_the_context(settings):
    settings.SITE_URL = "https://ptce.example"
    message = build_templated_mail(
        to=["a@exemple.fr", ""],
        subject="  Programme\n de la journée ",
        template_name="events/email/_footer.txt",
        context={"manage_url": "m", "event_url": "e", "event": {"is_demo": False}},
    )
    assert message.subject == "[Portail PTCE] Programme de la journée"
    assert message.to == ["a@exemple.fr"]  # empty addresses dropped
    assert message.body.rstrip().endswith("Portail des PTCE — https://ptce.example")


def test_text_templates_are_not_html_escaped():
    # This subject template has no {% autoescape off %}: the helper renders text as text.
    message = build_templated_mail(
        to=["a@exemple.fr"],
        template_name="poles/email/staff_revision.txt",
        context={"pole": {"name": "Pôle A & B <C>"}, "revision": {"pk": 7}},
    )
    assert "Pôle A & B <C>" in message.subject
    assert "&amp;" not in message.subject + message.body


def test_no_recipient_no_message(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert send_mail_on_commit(to=[""], template_name=TEMPLATE, context=CONTEXT) is None
    assert callbacks == []
    assert mailoutbox == []


def test_attachments_and_html_alternative_are_kept(mailoutbox):
    send_templated_mail(
        to=["a@exemple.fr"],
        template_name=TEMPLATE,
        html_template_name="charter/email/staff_withdrawn.txt",
        context=CONTEXT,
        attachments=[("journee.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")],
    )
    (message,) = mailoutbox
    assert message.attachments[0] == (
        "journee.ics",
        "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
        "text/calendar",
    )
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Pôle A & B" in html
    assert "text/calendar" in message.message().as_string()


def mail_callbacks(callbacks) -> list:
    """The on-commit callbacks but the one that marks the database as written to."""
    return [callback for callback in callbacks if callback is not bump_writes]


@pytest.mark.django_db
def test_sent_only_once_committed(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        send_mail_on_commit(to=["a@exemple.fr"], template_name=TEMPLATE, context=CONTEXT)
        assert mailoutbox == []
    assert len(mail_callbacks(callbacks)) == 1
    assert [m.to for m in mailoutbox] == [["a@exemple.fr"]]


@pytest.mark.django_db(transaction=True)
def test_nothing_sent_when_the_transaction_rolls_back(mailoutbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        send_mail_on_commit(to=["a@exemple.fr"], template_name=TEMPLATE, context=CONTEXT)
        raise RuntimeError("the action failed")
    assert mailoutbox == []
    with transaction.atomic():
        send_mail_on_commit(to=["b@exemple.fr"], template_name=TEMPLATE, context=CONTEXT)
    assert [m.to for m in mailoutbox] == [["b@exemple.fr"]]


@pytest.mark.django_db
@pytest.mark.parametrize("refuse_at", ["greeting", "recipient"])
def test_an_smtp_failure_after_commit_is_logged_not_raised(
    refuse_at, settings, caplog, django_capture_on_commit_callbacks
):
    server = SMTPStandIn(refuse_at=refuse_at)
    settings.MAILERS = smtp_mailers(server.port)
    try:
        # Sending now raises: the failure is real.
        with pytest.raises(OSError):
            send_templated_mail(to=["a@exemple.fr"], template_name=TEMPLATE, context=CONTEXT)
        caplog.clear()
        with (
            caplog.at_level(logging.ERROR, logger="ptce_portal.mail"),
            django_capture_on_commit_callbacks(execute=True) as callbacks,
        ):
            send_mail_on_commit(to=["a@exemple.fr"], template_name=TEMPLATE, context=CONTEXT)
            send_mail_on_commit(to=["b@exemple.fr"], template_name=TEMPLATE, context=CONTEXT)
            deliver_on_commit(EmailMessage("Programme", "Bonjour", to=["c@exemple.fr"]))
    finally:
        server.close()
    assert len(mail_callbacks(callbacks)) == 3
    failures = [r for r in caplog.records if r.name == "ptce_portal.mail"]
    assert len(failures) == 3  # the next e-mails were still attempted
    assert failures[0].exc_info is not None  # logger.exception: the traceback is kept
    assert "a@exemple.fr" in failures[0].getMessage()
    if refuse_at == "recipient":
        assert "RCPT" in server.commands
