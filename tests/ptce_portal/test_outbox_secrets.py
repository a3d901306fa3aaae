"""Messages with a personal link (password reset, address confirmation, invitations,
registration links) never show their text to the staff, and their text is blanked once sent:
staff cannot take over an account from the outbox (finding S2)."""

import re

import pytest

from ptce_portal import mail
from ptce_portal.models import OutgoingEmail
from tests.factories import StaffFactory, UserFactory
from tests.network import closed_port

from .smtp_server import smtp_mailers

OUTBOX = "/admin/ptce_portal/outgoingemail/"
LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


def request_reset(client, settings, capture, email):
    with capture(execute=True):
        response = client.post("/compte/password/reset/", {"email": email})
    assert response.status_code == 302
    return OutgoingEmail.objects.get(kind="account/email/password_reset_key")


@pytest.mark.django_db
def test_staff_never_read_a_reset_link_in_the_outbox(
    client, settings, django_capture_on_commit_callbacks
):
    member = UserFactory(email="membre@exemple.fr")
    settings.MAILERS = smtp_mailers(closed_port())  # failed: the text is kept for a resend
    row = request_reset(client, settings, django_capture_on_commit_callbacks, member.email)
    assert row.status == OutgoingEmail.Status.FAILED
    assert "/compte/password/reset/key/" in row.body

    client.force_login(StaffFactory())
    page = client.get(f"{OUTBOX}{row.pk}/change/").content.decode()
    assert "/compte/password/reset/key/" not in page
    assert "contenu masqué : lien personnel" in page
    assert "Réinitialisation du mot de passe" in page  # the kind, readable
    assert "/compte/password/reset/key/" not in client.get(OUTBOX).content.decode()
    dashboard = client.get("/admin/").content.decode()
    assert "E-mails en échec" in dashboard
    assert "/compte/password/reset/key/" not in dashboard


@pytest.mark.django_db
def test_a_sent_account_mail_is_blanked_and_a_failed_one_resent(
    client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    member = UserFactory(email="membre@exemple.fr")
    settings.MAILERS = smtp_mailers(closed_port())
    row = request_reset(client, settings, django_capture_on_commit_callbacks, member.email)

    client.force_login(StaffFactory())
    settings.MAILERS = LOCMEM
    response = client.post(
        OUTBOX, {"action": "resend_now", "_selected_action": [row.pk]}, follow=True
    )
    assert "1 message envoyé." in response.content.decode()
    assert len(mailoutbox) == 1 and "/compte/password/reset/key/" in mailoutbox[0].body
    row.refresh_from_db()
    assert row.status == OutgoingEmail.Status.SENT
    assert row.body == "" and row.html_body == ""

    # Sent and blanked: a new resend would send an empty message, it is refused.
    response = client.post(
        OUTBOX, {"action": "resend_now", "_selected_action": [row.pk]}, follow=True
    )
    assert "lien personnel" in response.content.decode()
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_other_messages_keep_their_text(mailoutbox, settings):
    settings.MAILERS = LOCMEM
    row = mail.record_message(
        mail.build_templated_mail(
            to=["a@exemple.fr"],
            template_name="charter/email/staff_withdrawn.txt",
            context={"signature": {"pole_name": "Pôle A", "withdrawn_by": "Jeanne"}},
        ),
        kind="charter/email/staff_withdrawn.txt",
    )
    assert mail.deliver(row.pk) is True
    row.refresh_from_db()
    assert row.body and row.status == OutgoingEmail.Status.SENT


@pytest.mark.parametrize(
    ("kind", "secret"),
    [
        ("account/email/password_reset_key", True),
        ("account/email/email_confirmation_signup", True),
        ("referential/email/invitation.txt", True),
        ("events/email/confirmation.txt", True),
        ("charter/email/validated.txt", False),
        ("message", False),
    ],
)
def test_personal_link_kinds(kind, secret):
    assert mail.carries_personal_link(kind) is secret


@pytest.mark.django_db
def test_the_outbox_reads_as_french_labels_not_codes(client):
    row = OutgoingEmail.objects.create(
        kind="charter/email/validated.txt",
        language="fr",
        from_email="portail@exemple.fr",
        to=["a@exemple.fr"],
        subject="[Portail PTCE] " + "Votre signature de la charte est validée " * 4,
        body="Bonjour",
    )
    client.force_login(StaffFactory())
    listing = client.get(OUTBOX).content.decode()
    cell = re.search(r'<td class="field-short_subject">([^<]*)</td>', listing).group(1)
    assert len(cell) <= 70 and cell.endswith("…")  # truncated subject
    assert "Essais" in listing
    detail = client.get(f"{OUTBOX}{row.pk}/change/").content.decode()
    assert "Signature validée" in detail and "Français" in detail
    assert "Gabarit du message" not in detail


@pytest.mark.django_db
def test_the_language_filter_names_the_languages(client):
    base = {"from_email": "p@exemple.fr", "to": ["a@exemple.fr"], "subject": "s"}
    OutgoingEmail.objects.create(**base, language="fr")
    english = OutgoingEmail.objects.create(**base, language="en")
    client.force_login(StaffFactory())
    page = client.get(OUTBOX).content.decode()
    assert "?language=en" in page and "Français" in page
    filtered = client.get(OUTBOX, {"language": "en"})
    assert list(filtered.context["cl"].result_list) == [english]
