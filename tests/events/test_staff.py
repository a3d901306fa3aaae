import csv
import io
import shutil
import subprocess

import pytest
from django.core import mail
from django.urls import reverse

from events import services
from events.models import Registration
from tests.factories import StaffFactory, UserFactory
from tests.pdfs import assert_tagged_pdf

from .factories import EventFactory

pytestmark = pytest.mark.django_db


def register(event, email, **extra):
    return services.registration_create(
        event=event,
        first_name="Dominique",
        last_name=email.split("@")[0].replace(".", " ").title(),
        email=email,
        category=extra.pop("category", "pole"),
        **extra,
    ).registration


def test_staff_pages_are_refused_to_the_public_and_to_non_staff(client):
    event = EventFactory()
    reg = register(event, "a@exemple.fr")
    urls = [
        reverse("events:staff_participants", args=[event.slug]),
        reverse("events:staff_participants_csv", args=[event.slug]),
        reverse("events:staff_email", args=[event.slug]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302
    client.force_login(UserFactory())  # signed in, not staff: the staff pages do not exist
    for url in urls:
        assert client.get(url).status_code == 404
    assert (
        client.post(reverse("events:staff_check_in", args=[event.slug, reg.pk])).status_code == 404
    )
    reg.refresh_from_db()
    assert reg.checked_in_at is None


def test_participant_list_filters(staff_client):
    event = EventFactory(capacity=1)
    register(event, "alice@exemple.fr", organisation="Coopérative Alpha")
    register(event, "bob@exemple.fr", category="citizen")
    url = reverse("events:staff_participants", args=[event.slug])
    text = staff_client.get(url).content.decode()
    assert "alice@exemple.fr" in text and "bob@exemple.fr" in text
    text = staff_client.get(url, {"status": "waitlisted"}).content.decode()
    assert "bob@exemple.fr" in text and "alice@exemple.fr" not in text
    text = staff_client.get(url, {"q": "alpha"}).content.decode()
    assert "alice@exemple.fr" in text and "bob@exemple.fr" not in text
    text = staff_client.get(url, {"category": "citizen"}).content.decode()
    assert "bob@exemple.fr" in text and "alice@exemple.fr" not in text
    # A bad filter value is a form error, not a 500.
    assert staff_client.get(url, {"status": "nope"}).status_code == 200


def test_csv_export_has_bom_semicolons_and_french_labels(staff_client):
    event = EventFactory()
    register(event, "eve@exemple.fr", organisation="Réseau « Été », Sud", accessibility_needs="LSF")
    register(event, "formule@exemple.fr", organisation='=HYPERLINK("http://x")')
    response = staff_client.get(reverse("events:staff_participants_csv", args=[event.slug]))
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["Prénom", "Nom", "E-mail"]
    assert rows[1][2] == "eve@exemple.fr"
    assert rows[1][3] == "Réseau « Été », Sud"
    assert rows[1][6] == "confirmée"
    assert rows[1][9] == "LSF"
    assert rows[2][3] == '\'=HYPERLINK("http://x")'


def test_check_in_then_certificate(staff_client, tmp_path):
    event = EventFactory(capacity=1)
    reg = register(event, "present@exemple.fr", organisation="Pôle Présent")
    waiting = register(event, "attente@exemple.fr")
    cert_url = reverse("events:staff_certificate", args=[event.slug, reg.pk])
    assert staff_client.get(cert_url).status_code == 404  # not checked in yet
    response = staff_client.post(reverse("events:staff_check_in", args=[event.slug, reg.pk]))
    assert response.status_code == 302
    reg.refresh_from_db()
    assert reg.checked_in_at is not None
    # A waitlisted person cannot be checked in: clear message, nothing written.
    response = staff_client.post(
        reverse("events:staff_check_in", args=[event.slug, waiting.pk]), follow=True
    )
    assert "Seule une inscription confirmée peut être pointée." in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.checked_in_at is None
    response = staff_client.get(cert_url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    if shutil.which("pdfinfo"):
        assert_tagged_pdf(response.content, title="Attestation de présence")
    if shutil.which("pdftotext"):
        path = tmp_path / "a.pdf"
        path.write_bytes(response.content)
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        text = " ".join(text.split())
        assert "Attestation de présence" in text
        assert "Dominique Present" in text
        assert event.title in text
    # Undo
    staff_client.post(reverse("events:staff_check_in", args=[event.slug, reg.pk]), {"undo": "1"})
    reg.refresh_from_db()
    assert reg.checked_in_at is None


def test_email_to_all_registrants_after_commit(staff_client, django_capture_on_commit_callbacks):
    event = EventFactory(capacity=2)
    for i in range(3):
        register(event, f"r{i}@exemple.fr")
    cancelled = register(event, "gone@exemple.fr")
    services.registration_cancel(registration=cancelled)
    mail.outbox.clear()
    url = reverse("events:staff_email", args=[event.slug])
    response = staff_client.post(url, {"statuses": ["confirmed"], "subject": "", "body": ""})
    assert (
        "Indiquez l&#x27;objet du message." in response.content.decode()
        or "Indiquez l'objet du message." in response.content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            url,
            {"statuses": ["confirmed", "waitlisted"], "subject": "Programme", "body": "Bonjour"},
            follow=True,
        )
    # Inside the test's transaction nothing is tried before the page is built: it says so.
    assert (
        "Message mis en file d&#x27;envoi pour 3 personne(s) : 0 envoyé(s), 0 en échec "
        "(nouvel essai automatique), 3 en attente d&#x27;envoi." in response.text
    )
    assert sorted(m.to[0] for m in mail.outbox) == [
        "r0@exemple.fr",
        "r1@exemple.fr",
        "r2@exemple.fr",
    ]
    assert all(m.subject == "Programme" for m in mail.outbox)


def test_dashboard_panel_lists_my_registrations(client):
    user = UserFactory(email="moi@exemple.fr")
    event = EventFactory()
    register(event, "MOI@exemple.fr")
    register(EventFactory(), "autre@exemple.fr")
    client.force_login(user)
    text = client.get(reverse("dashboard")).content.decode()
    assert "Mes inscriptions aux journées" in text
    assert event.title in text
    reg = Registration.objects.get(email="MOI@exemple.fr")
    assert reg.get_manage_url() in text
    assert "autre@exemple.fr" not in text


@pytest.mark.parametrize(
    "model", ["event", "session", "person", "organisation", "quote", "registration"]
)
def test_admin_pages_render(staff_client, day_2014, model):
    register(EventFactory(), "admin@exemple.fr")
    url = reverse(f"admin:events_{model}_changelist")
    assert staff_client.get(url).status_code == 200
    from django.apps import apps

    obj = apps.get_model("events", model).objects.first()
    assert (
        staff_client.get(reverse(f"admin:events_{model}_change", args=[obj.pk])).status_code == 200
    )


def test_admin_action_fills_new_seats_from_the_waiting_list(staff_client):
    event = EventFactory(capacity=1)
    register(event, "un@exemple.fr")
    waiting = register(event, "deux@exemple.fr")
    Event = type(event)
    Event.objects.filter(pk=event.pk).update(capacity=2)
    staff_client.post(
        reverse("admin:events_event_changelist"),
        {"action": "fill_from_waiting_list", "_selected_action": [event.pk]},
    )
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    event.refresh_from_db()
    assert event.seats_taken == 2


@pytest.mark.django_db
def test_the_registration_admin_never_shows_the_personal_link_token(client):
    from tests.events.factories import EventFactory, RegistrationFactory
    from tests.factories import StaffFactory

    registration = RegistrationFactory(event=EventFactory())
    client.force_login(StaffFactory())
    response = client.get(reverse("admin:events_registration_change", args=[registration.pk]))
    assert response.status_code == 200
    assert registration.token not in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_staff_are_told_exactly_how_many_messages_went_out_and_how_many_failed(client, settings):
    """« Message envoyé à 13 personne(s) » was shown when all 13 deliveries had failed."""
    from ptce_portal.models import OutgoingEmail
    from tests.network import closed_port
    from tests.ptce_portal.smtp_server import SMTPStandIn, smtp_mailers

    client.force_login(StaffFactory())
    event = EventFactory(capacity=20)
    for i in range(13):
        register(event, f"r{i}@exemple.fr")
    url = reverse("events:staff_email", args=[event.slug])
    data = {"statuses": ["confirmed"], "subject": "Programme", "body": "Bonjour"}

    settings.MAILERS = smtp_mailers(closed_port())  # the mail server is down
    response = client.post(url, data, follow=True)
    assert "envoyé à 13" not in response.text
    assert (
        "Message mis en file d&#x27;envoi pour 13 personne(s) : 0 envoyé(s), 13 en échec "
        "(nouvel essai automatique), 0 en attente d&#x27;envoi." in response.text
    )
    assert OutgoingEmail.objects.filter(kind="message", status="failed").count() == 13

    server = SMTPStandIn()
    try:
        settings.MAILERS = smtp_mailers(server.port)
        response = client.post(url, data, follow=True)
    finally:
        server.close()
    assert "Message envoyé à 13 personne(s)." in response.text
    assert len(server.messages) == 13

    empty = EventFactory(capacity=5)
    response = client.post(reverse("events:staff_email", args=[empty.slug]), data, follow=True)
    assert "Aucune personne dans ce groupe : aucun message envoyé." in response.text
