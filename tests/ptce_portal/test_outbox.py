"""The mail outbox (ptce_portal.mail + OutgoingEmail): nothing is lost when the mail server
is down, nothing is sent twice, nothing is recorded for an action that rolls back.

Only the SMTP server is replaced: by a closed local port (server down) and by a small real
SMTP server on 127.0.0.1 (tests/ptce_portal/smtp_server.py)."""

import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from charter.models import Signature
from charter.seed import seed_version_1
from poles.models import PoleCoordinator
from poles.services import coordinator_approve
from ptce_portal import mail
from ptce_portal.models import OutgoingEmail
from tests.charter.conftest import form_data
from tests.factories import StaffFactory, UserFactory
from tests.network import closed_port
from tests.poles.factories import PoleCoordinatorFactory

from .smtp_server import SMTPStandIn, silent_mailer, smtp_mailers

TEMPLATE = "charter/email/staff_withdrawn.txt"
CONTEXT = {"signature": {"pole_name": "Pôle A & B", "withdrawn_by": "Jeanne Martin"}}


def make_due():
    """As if the backoff delay had passed."""
    OutgoingEmail.objects.exclude(status=OutgoingEmail.Status.SENT).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )


def run_queue() -> str:
    from io import StringIO

    out = StringIO()
    call_command("send_queued_mail", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_signing_the_charter_with_the_mail_server_down_then_back(
    client, settings, django_capture_on_commit_callbacks
):
    """The done-when of issue 7: the signature succeeds with the mail server unreachable,
    and its messages are sent once the server is back."""
    seed_version_1()
    coordination = PoleCoordinatorFactory(
        user=UserFactory(first_name="Camille", last_name="Durand", email="camille@exemple.fr"),
        pole__name="Pôle Coopération Rhône",
        pole__status="engaged",
    )
    user, pole = coordination.user, coordination.pole
    settings.STAFF_NOTIFICATION_EMAIL = "equipe@labo-ess.example"
    port = closed_port()
    settings.MAILERS = smtp_mailers(port)

    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            "/charte/signer/", {**form_data(user, pole=pole.pk), "action": "confirm"}
        )
    signature = Signature.objects.get()
    assert response.status_code == 302
    assert response["Location"] == signature.get_absolute_url()
    assert client.get(response["Location"]).status_code == 200
    assert signature.pole == pole and signature.status == Signature.Status.SUBMITTED
    assert len(callbacks) >= 2  # both deliveries were attempted after the commit

    rows = list(OutgoingEmail.objects.order_by("id"))
    assert [row.to for row in rows] == [["camille@exemple.fr"], ["equipe@labo-ess.example"]]
    assert [row.kind for row in rows] == [
        "charter/email/submitted.txt",
        "charter/email/staff_submitted.txt",
    ]
    for row in rows:
        assert row.status == OutgoingEmail.Status.FAILED
        assert row.attempts == 1
        assert "ConnectionRefusedError" in row.last_error
        assert row.sent_at is None
        assert row.next_attempt_at > timezone.now()
    assert "0 e-mail(s) sent" in run_queue()  # not due yet (backoff)

    server = SMTPStandIn(port)  # the mail server is back
    try:
        make_due()
        assert "2 e-mail(s) sent, 0 failed" in run_queue()
        received = {m["message"]["To"]: m for m in server.messages}
        assert set(received) == {"camille@exemple.fr", "equipe@labo-ess.example"}
        receipt = received["camille@exemple.fr"]["message"]
        assert receipt["Subject"] == (
            "[Portail PTCE] Signature de la charte enregistrée : Pôle Coopération Rhône"
        )
        assert receipt["Message-ID"] == rows[0].headers["Message-ID"]
        assert "Pôle Coopération Rhône" in receipt.get_body(("plain",)).get_content()
        staff_notice = received["equipe@labo-ess.example"]["message"]
        assert staff_notice["Subject"].startswith(
            "[Portail PTCE] Nouvelle signature de la charte à valider"
        )
        for row in OutgoingEmail.objects.all():
            assert row.status == OutgoingEmail.Status.SENT
            assert row.attempts == 2 and row.sent_at is not None
            assert row.next_attempt_at is None

        # Again: nothing is sent twice.
        make_due()
        assert "0 e-mail(s) sent, 0 failed" in run_queue()
        assert len(server.messages) == 2
    finally:
        server.close()


@pytest.mark.django_db
def test_a_refusing_server_is_retried_with_backoff_then_given_up(
    settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = smtp_mailers(closed_port())
    settings.MAIL_OUTBOX_MAX_ATTEMPTS = 3
    with django_capture_on_commit_callbacks(execute=True):
        mail.send_mail_on_commit(to=["a@exemple.fr"], template_name=TEMPLATE, context=CONTEXT)
    row = OutgoingEmail.objects.get()
    delays = []
    for attempt in (1, 2, 3):
        row.refresh_from_db()
        assert row.status == OutgoingEmail.Status.FAILED and row.attempts == attempt
        if attempt < 3:
            delays.append(row.next_attempt_at - timezone.now())
            make_due()
            assert mail.send_due_mail() == (0, 1)
    assert row.next_attempt_at is None  # given up: stays failed, the admin can resend it
    make_due()
    assert mail.send_due_mail() == (0, 0)
    assert timedelta(minutes=1) < delays[0] <= timedelta(minutes=2)
    assert timedelta(minutes=4) < delays[1] <= timedelta(minutes=5)


@pytest.mark.django_db
def test_locmem_delivery_marks_the_row_sent(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = mail.send_mail_on_commit(
            to=["a@exemple.fr"], template_name=TEMPLATE, context=CONTEXT, language="en"
        )
        assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.PENDING
        assert mailoutbox == []
    row = OutgoingEmail.objects.get()
    assert row.status == OutgoingEmail.Status.SENT and row.attempts == 1
    assert row.language == "en" and row.kind == TEMPLATE
    assert row.subject == message.subject and row.body == message.body
    (sent,) = mailoutbox
    assert sent.subject == message.subject and sent.to == ["a@exemple.fr"]
    # A later run does not send it again.
    assert mail.send_due_mail() == (0, 0)
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_attachments_html_and_headers_survive_the_record(mailoutbox):
    from django.core.mail import EmailMultiAlternatives

    message = EmailMultiAlternatives(
        subject="Programme",
        body="Bonjour",
        to=["a@exemple.fr"],
        cc=["b@exemple.fr"],
        reply_to=["equipe@labo-ess.example"],
        headers={"X-PTCE": "1"},
    )
    message.attach("journee.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    message.attach("logo.png", b"\x89PNG\r\n\x1a\n\x00\xff", "image/png")
    message.attach_alternative("<p>Bonjour</p>", "text/html")
    row = mail.deliver_on_commit(message, kind="events: message aux inscrits")
    row.refresh_from_db()
    rebuilt = mail.message_from_record(row)
    assert rebuilt.attachments[0] == (
        "journee.ics",
        "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
        "text/calendar",
    )
    assert rebuilt.attachments[1] == ("logo.png", b"\x89PNG\r\n\x1a\n\x00\xff", "image/png")
    assert rebuilt.alternatives[0][0] == "<p>Bonjour</p>"
    assert rebuilt.cc == ["b@exemple.fr"] and rebuilt.reply_to == ["equipe@labo-ess.example"]
    assert rebuilt.extra_headers["X-PTCE"] == "1"
    assert "Message-ID" in rebuilt.extra_headers


@pytest.mark.django_db(transaction=True)
def test_an_action_that_rolls_back_records_and_sends_nothing(mailoutbox):
    coordination = PoleCoordinatorFactory(status=PoleCoordinator.Status.REQUESTED)
    staff = StaffFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        coordinator_approve(coordination=coordination, by=staff)
        assert OutgoingEmail.objects.count() == 1  # recorded inside the transaction
        raise RuntimeError("something later in the action failed")
    assert OutgoingEmail.objects.count() == 0
    assert mailoutbox == []
    coordination.refresh_from_db()
    assert coordination.status == PoleCoordinator.Status.REQUESTED

    coordinator_approve(coordination=coordination, by=staff)  # committed this time
    row = OutgoingEmail.objects.get()
    assert row.status == OutgoingEmail.Status.SENT and row.to == [coordination.user.email]
    assert [m.to for m in mailoutbox] == [[coordination.user.email]]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_never_send_a_message_twice(settings):
    server = SMTPStandIn(data_delay=0.15)
    settings.MAILERS = smtp_mailers(server.port)
    try:
        for n in range(6):
            mail.record_message(
                mail.build_templated_mail(
                    to=[f"p{n}@exemple.fr"], template_name=TEMPLATE, context=CONTEXT
                )
            )
        results, errors = [], []

        def run():
            try:
                results.append(mail.send_due_mail())
            except Exception as error:  # pragma: no cover - reported below
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert errors == []
        assert sum(sent for sent, _ in results) == 6
        assert all(sent > 0 for sent, _ in results), "both runs worked side by side"
        assert sorted(m["message"]["To"] for m in server.messages) == [
            f"p{n}@exemple.fr" for n in range(6)
        ]
        assert set(OutgoingEmail.objects.values_list("status", "attempts")) == {("sent", 1)}
    finally:
        server.close()


@pytest.mark.django_db
def test_signup_and_reset_with_the_mail_server_down(
    client, settings, django_capture_on_commit_callbacks
):
    port = closed_port()
    settings.MAILERS = smtp_mailers(port)
    password = "Coop-Territoire-2014"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/compte/signup/",
            {"email": "claire@exemple.fr", "password1": password, "password2": password},
        )
    assert response.status_code == 302
    assert response["Location"] == "/compte/confirm-email/"
    row = OutgoingEmail.objects.get()
    assert row.kind == "account/email/email_confirmation_signup"
    assert row.to == ["claire@exemple.fr"] and row.status == OutgoingEmail.Status.FAILED
    assert "/compte/confirm-email/" in row.body

    UserFactory(email="coordination@exemple.fr")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/compte/password/reset/", {"email": "coordination@exemple.fr"})
    assert response.status_code == 302
    reset = OutgoingEmail.objects.get(kind="account/email/password_reset_key")
    assert reset.status == OutgoingEmail.Status.FAILED

    server = SMTPStandIn(port)
    try:
        make_due()
        assert mail.send_due_mail() == (2, 0)
    finally:
        server.close()
    bodies = {m["message"]["To"]: m["message"].get_content() for m in server.messages}
    assert "/compte/confirm-email/" in bodies["claire@exemple.fr"]
    assert "/compte/password/reset/key/" in bodies["coordination@exemple.fr"]


@pytest.mark.django_db
def test_purge_keeps_recent_and_pending_messages():
    old = timezone.now() - timedelta(days=mail.RETENTION_DAYS + 1)
    recent = timezone.now() - timedelta(days=mail.RETENTION_DAYS - 1)
    base = {"from_email": "x@exemple.fr", "to": ["a@exemple.fr"], "subject": "s"}
    sent_old = OutgoingEmail.objects.create(**base, status="sent", sent_at=old, created_at=old)
    OutgoingEmail.objects.create(**base, status="sent", sent_at=recent, created_at=recent)
    OutgoingEmail.objects.create(**base, status="pending", created_at=old, next_attempt_at=old)
    abandoned = OutgoingEmail.objects.create(
        **base, status="failed", attempts=10, last_error="x", created_at=old
    )
    assert mail.purge_old_mail() == 2
    remaining = set(OutgoingEmail.objects.values_list("pk", flat=True))
    assert sent_old.pk not in remaining and abandoned.pk not in remaining
    assert len(remaining) == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"to": []},
        {"status": "sent"},  # sent without sent_at
        {"status": "failed"},  # failed without attempt nor error
        {"status": "pending", "sent_at": timezone.now()},
        {"status": "lost"},
    ],
)
def test_database_constraints(fields):
    values = {"from_email": "x@exemple.fr", "to": ["a@exemple.fr"], "subject": "s", **fields}
    with pytest.raises(IntegrityError):
        OutgoingEmail.objects.create(**values)


@pytest.mark.django_db
def test_admin_lists_searches_and_resends(
    client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    staff = StaffFactory()
    client.force_login(staff)
    settings.MAILERS = smtp_mailers(closed_port())
    with django_capture_on_commit_callbacks(execute=True):
        row = mail.deliver_on_commit(
            mail.build_templated_mail(
                to=["claire@exemple.fr"], template_name=TEMPLATE, context=CONTEXT
            )
        )
        other = mail.deliver_on_commit(
            mail.build_templated_mail(
                to=["autre@exemple.fr"], template_name=TEMPLATE, context=CONTEXT
            )
        )
    row.refresh_from_db()
    assert row.status == OutgoingEmail.Status.FAILED

    url = "/admin/ptce_portal/outgoingemail/"
    response = client.get(url, {"q": "claire", "status__exact": "failed"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "claire@exemple.fr" in page and "autre@exemple.fr" not in page
    assert "Renvoyer maintenant" in page
    detail = client.get(f"{url}{row.pk}/change/")
    assert detail.status_code == 200
    assert "ConnectionRefusedError" in detail.content.decode()
    assert client.get(f"{url}add/").status_code == 403

    # Still down: the action says so, nothing breaks.
    response = client.post(url, {"action": "resend_now", "_selected_action": [row.pk]}, follow=True)
    assert response.status_code == 200
    assert "n’a pas pu être envoyé" in response.content.decode()
    row.refresh_from_db()
    assert row.attempts == 2

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    response = client.post(url, {"action": "resend_now", "_selected_action": [row.pk]}, follow=True)
    assert "1 message envoyé." in response.content.decode()
    row.refresh_from_db()
    assert row.status == OutgoingEmail.Status.SENT
    assert [m.to for m in mailoutbox] == [["claire@exemple.fr"]]
    other.refresh_from_db()
    assert other.status == OutgoingEmail.Status.FAILED  # not selected, not sent

    # A member without the permission cannot see the outbox.
    client.force_login(UserFactory())
    assert client.get(url).status_code == 302


@pytest.mark.django_db
def test_a_server_that_does_not_answer_costs_a_request_one_timeout(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    import time

    monkeypatch.setattr(mail, "_paused_until", 0.0)  # restored after the test
    with silent_mailer(settings, timeout=1):
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            for n in range(3):
                mail.send_mail_on_commit(
                    to=[f"p{n}@exemple.fr"], template_name=TEMPLATE, context=CONTEXT
                )
    assert time.monotonic() - started < 2.5  # one timeout (1 s), not three
    rows = list(OutgoingEmail.objects.order_by("id").values_list("status", "attempts"))
    assert rows == [("failed", 1), ("pending", 0), ("pending", 0)]
    assert "timed out" in OutgoingEmail.objects.order_by("id").first().last_error
    # The queue sends them all once the server answers.
    server = SMTPStandIn()
    settings.MAILERS = smtp_mailers(server.port)
    try:
        make_due()
        assert mail.send_due_mail() == (3, 0)
    finally:
        server.close()
    assert len(server.messages) == 3


@pytest.mark.django_db
def test_admin_resend_stops_at_the_first_timeout(client, settings, monkeypatch):

    monkeypatch.setattr(mail, "_paused_until", 0.0)  # restored after the test
    client.force_login(StaffFactory())
    rows = [
        mail.record_message(
            mail.build_templated_mail(
                to=[f"p{n}@exemple.fr"], template_name=TEMPLATE, context=CONTEXT
            )
        )
        for n in range(3)
    ]
    with silent_mailer(settings, timeout=1):
        response = client.post(
            "/admin/ptce_portal/outgoingemail/",
            {"action": "resend_now", "_selected_action": [row.pk for row in rows]},
            follow=True,
        )
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 message n’a pas pu être envoyé" in page
    assert "2 messages n’ont pas été tentés" in page
    attempts = sorted(OutgoingEmail.objects.values_list("attempts", flat=True))
    assert attempts == [0, 0, 1]


@pytest.mark.django_db
def test_the_queue_stops_at_the_first_timeout(settings, monkeypatch):
    import time

    monkeypatch.setattr(mail, "_paused_until", 0.0)  # restored after the test
    for n in range(3):
        mail.record_message(
            mail.build_templated_mail(
                to=[f"p{n}@exemple.fr"], template_name=TEMPLATE, context=CONTEXT
            )
        )
    with silent_mailer(settings, timeout=1):
        started = time.monotonic()
        assert mail.send_due_mail() == (0, 1)
    assert time.monotonic() - started < 2.5
    assert sorted(OutgoingEmail.objects.values_list("attempts", flat=True)) == [0, 0, 1]
