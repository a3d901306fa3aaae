from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from events import services
from events.models import Event, Registration

from .factories import EventFactory

FORM = {
    "first_name": "Camille",
    "last_name": "Durand",
    "email": "camille.durand@exemple.fr",
    "organisation": "Pôle de test",
    "category": "pole",
    "accessibility_needs": "",
}


def register(event, email, **extra):
    return services.registration_create(
        event=event,
        first_name="Alex",
        last_name=email.split("@")[0].replace(".", " "),  # a name holds no domain
        email=email,
        category="citizen",
        **extra,
    )


pytestmark = pytest.mark.django_db


def test_register_through_the_form_confirms_and_mails_the_ics(
    client, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=2)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:register", args=[event.slug]), FORM)
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == registration.get_manage_url()
    assert registration.status == Registration.Status.CONFIRMED
    event.refresh_from_db()
    assert event.seats_taken == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["camille.durand@exemple.fr"]
    assert "confirmée" in message.subject
    assert registration.get_manage_url() in message.body
    (name, content, mimetype) = message.attachments[0]
    assert name.endswith(".ics") and mimetype == "text/calendar"
    cal = Calendar.from_ical(content)
    assert cal.walk("VEVENT")[0].decoded("dtstart").date() == event.date
    page = client.get(response["Location"])
    assert "Confirmée" in page.content.decode()


def test_the_registrant_is_written_to_in_the_language_of_their_request(
    client, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=2)
    # LocaleMiddleware leaves the request's language active in this thread: restore it after.
    with translation.override(translation.get_language()):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("events:register", args=[event.slug]), FORM, HTTP_ACCEPT_LANGUAGE="en"
            )
        (message,) = mail.outbox
        assert message.subject == f"[PTCE Portal] Registration confirmed: {event.title}"
        assert message.attachments[0][2] == "text/calendar"
        registration = Registration.objects.get()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(registration.get_manage_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert mail.outbox[-1].subject.startswith("[PTCE Portal] ")
    assert mail.outbox[-1].attachments == []


def test_full_day_goes_to_the_waiting_list_and_cancellation_promotes_the_first(
    django_capture_on_commit_callbacks,
):
    event = EventFactory(capacity=2)
    with django_capture_on_commit_callbacks(execute=True):
        a = register(event, "a@exemple.fr").registration
        b = register(event, "b@exemple.fr").registration
        c = register(event, "c@exemple.fr").registration
        d = register(event, "d@exemple.fr").registration
    assert [r.status for r in (a, b, c, d)] == [
        "confirmed",
        "confirmed",
        "waitlisted",
        "waitlisted",
    ]
    event.refresh_from_db()
    assert event.seats_taken == 2 and event.status == Event.Status.FULL
    assert "Liste d'attente" in mail.outbox[2].subject
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.registration_cancel(registration=a)
    assert [p.pk for p in promoted] == [c.pk]
    c.refresh_from_db()
    d.refresh_from_db()
    a.refresh_from_db()
    assert (a.status, c.status, d.status) == ("cancelled", "confirmed", "waitlisted")
    assert c.promoted_at is not None
    event.refresh_from_db()
    assert event.seats_taken == 2
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert "place s'est libérée" in subjects["c@exemple.fr"]
    assert "annulée" in subjects["a@exemple.fr"]
    assert any(
        att[0].endswith(".ics")
        for m in mail.outbox
        if m.to == ["c@exemple.fr"]
        for att in m.attachments
    )
    # Cancelling a waitlisted person frees no seat; cancelling twice changes nothing.
    assert services.registration_cancel(registration=d) == []
    assert services.registration_cancel(registration=d) == []
    event.refresh_from_db()
    assert event.seats_taken == 2


def test_database_refuses_more_seats_than_capacity():
    event = EventFactory(capacity=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(seats_taken=2)


def test_database_refuses_two_active_registrations_with_the_same_email_any_case():
    event = EventFactory()
    register(event, "Dupont@Exemple.fr")
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            event=event,
            first_name="X",
            last_name="Y",
            email="dupont@exemple.FR",
            category="other",
            status="waitlisted",
        )


def test_duplicate_email_shows_the_existing_registration_and_resends_the_link(
    client,
    django_capture_on_commit_callbacks,
):
    event = EventFactory()
    first = register(event, "camille.durand@exemple.fr").registration
    mail.outbox.clear()
    data = {**FORM, "email": "Camille.Durand@EXEMPLE.fr", "first_name": "Autre"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:register", args=[event.slug]), data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Vous êtes déjà inscrit·e" in text
    assert "Rien n'a été modifié" in text
    assert first.token not in text  # the link goes to the mailbox, not to whoever typed it
    assert Registration.objects.count() == 1
    assert len(mail.outbox) == 1
    assert first.get_manage_url() in mail.outbox[0].body
    assert mail.outbox[0].to == ["camille.durand@exemple.fr"]


def test_registration_again_after_cancelling_is_allowed():
    event = EventFactory()
    first = register(event, "x@exemple.fr").registration
    services.registration_cancel(registration=first)
    second = register(event, "x@exemple.fr")
    assert second.created and second.registration.pk != first.pk


@pytest.mark.parametrize(
    "window",
    ["before", "after", "past", "no_registration"],
)
def test_registration_outside_the_window_is_refused_clearly(client, window):
    now = timezone.now()
    kwargs = {
        "before": {"registration_opens_at": now + timedelta(days=2)},
        "after": {
            "registration_opens_at": now - timedelta(days=5),
            "registration_closes_at": now - timedelta(days=1),
        },
        "past": {
            "date": timezone.localdate() - timedelta(days=3),
            "registration_opens_at": now - timedelta(days=30),
            "registration_closes_at": now - timedelta(days=4),
        },
        "no_registration": {
            "capacity": None,
            "registration_opens_at": None,
            "registration_closes_at": None,
        },
    }[window]
    event = EventFactory(**kwargs)
    url = reverse("events:register", args=[event.slug])
    for response in (client.get(url), client.post(url, FORM)):
        assert response.status_code == 200
        text = response.content.decode()
        assert "Les inscriptions ne sont pas ouvertes" in text
    assert Registration.objects.count() == 0
    with pytest.raises(services.RegistrationClosed):
        register(event, "y@exemple.fr")
    assert Registration.objects.count() == 0


def test_malformed_email_and_missing_fields_get_french_errors(client):
    event = EventFactory()
    data = {**FORM, "email": "camille@@exemple", "first_name": "", "category": "nope"}
    response = client.post(reverse("events:register", args=[event.slug]), data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Cette adresse e-mail n&#x27;est pas valide" in text
    assert "Indiquez votre prénom." in text
    assert "Choisissez une catégorie de la liste." in text
    assert "Le formulaire contient 3 erreurs" in text
    assert Registration.objects.count() == 0


def test_tampered_or_foreign_cancel_link_is_a_clear_404(client):
    event = EventFactory()
    other = EventFactory()
    registration = register(event, "z@exemple.fr").registration
    tampered = registration.token[:-1] + ("A" if registration.token[-1] != "A" else "B")
    for url in (
        reverse("events:registration_manage", args=[event.slug, tampered]),
        reverse("events:registration_manage", args=[other.slug, registration.token]),
        reverse("events:registration_manage", args=[event.slug, "x" * 200]),
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert "Ce lien n'est pas valide" in response.content.decode()
        assert client.post(url).status_code == 404
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_cancel_through_the_personal_link(client, django_capture_on_commit_callbacks):
    event = EventFactory(capacity=1)
    first = register(event, "p1@exemple.fr").registration
    second = register(event, "p2@exemple.fr").registration
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(first.get_manage_url(), follow=True)
    assert "Votre inscription est annulée" in response.content.decode()
    second.refresh_from_db()
    assert second.status == Registration.Status.CONFIRMED
    assert {m.to[0] for m in mail.outbox} == {"p1@exemple.fr", "p2@exemple.fr"}


def test_waiting_position_is_shown(client):
    event = EventFactory(capacity=1)
    register(event, "q1@exemple.fr")
    register(event, "q2@exemple.fr")
    third = register(event, "q3@exemple.fr").registration
    text = client.get(third.get_manage_url()).content.decode()
    assert "position 2 sur la liste d'attente" in text


def test_tokens_are_long_and_unique():
    event = EventFactory()
    tokens = {register(event, f"t{i}@exemple.fr").registration.token for i in range(5)}
    assert len(tokens) == 5
    assert all(len(t) >= 40 for t in tokens)


def test_public_list_only_shows_consenting_confirmed_people(client):
    event = EventFactory(capacity=1)
    register(event, "oui@exemple.fr", public_consent=True, organisation="Réseau Oui")
    register(event, "attente@exemple.fr", public_consent=True, organisation="Réseau Attente")
    other = EventFactory()
    register(other, "non@exemple.fr", public_consent=False, organisation="Réseau Non")
    text = client.get(reverse("events:participants", args=[event.slug])).content.decode()
    assert "Réseau Oui" in text and "Réseau Attente" not in text
    text = client.get(reverse("events:participants", args=[other.slug])).content.decode()
    assert "Réseau Non" not in text


def test_names_with_a_link_are_refused_and_invisible_characters_removed(client):
    """The first name typed was printed in the e-mail's greeting: a stranger could send text
    of their choosing, a fake « log in here » line, from the portal's address to anyone."""
    event = EventFactory(capacity=5)
    url = reverse("events:register", args=[event.slug])
    for first_name in ("Camille, reconnectez-vous sur www.arnaque.fr", "https://x.example"):
        response = client.post(url, {**FORM, "first_name": first_name})
        assert response.status_code == 200
        assert "Un nom ne peut contenir ni adresse web ni adresse e-mail." in response.text
    assert not Registration.objects.exists()
    registration = register(event, "rtl@exemple.fr", organisation="\u202eelôP\u202c").registration
    registration.refresh_from_db()
    assert registration.organisation == "elôP"


def test_registration_emails_greet_nobody_by_a_name_typed_in_the_form(
    django_capture_on_commit_callbacks,
):
    event = EventFactory(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        first = register(event, "a@exemple.fr").registration
        register(event, "b@exemple.fr")  # waiting list
        services.registration_cancel(registration=first)  # cancelled, and b promoted
    assert len(mail.outbox) == 4
    for message in mail.outbox:
        assert message.body.startswith("Bonjour,\n"), message.body[:40]
        assert "Alex" not in message.body
