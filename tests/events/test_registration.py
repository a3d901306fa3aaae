import re
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


def test_register_through_the_form_then_confirm_from_the_email(
    client, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=2)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:register", args=[event.slug]), FORM)
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("events:registration_sent", args=[event.slug])
    assert registration.token not in response["Location"]  # the link goes by e-mail only
    # A request: no seat until the person confirms from the e-mail.
    assert registration.status == Registration.Status.PENDING
    assert registration.confirm_by == registration.created_at + timedelta(hours=48)
    event.refresh_from_db()
    assert event.seats_taken == 0
    (request_mail,) = mail.outbox
    assert request_mail.to == ["camille.durand@exemple.fr"]
    assert request_mail.subject == f"[Portail PTCE] Confirmez votre inscription : {event.title}"
    assert registration.get_manage_url() in request_mail.body
    assert request_mail.attachments == []
    assert "Camille" not in request_mail.body and "Durand" not in request_mail.body

    page = client.get(registration.get_manage_url())
    assert "Confirmer mon inscription" in page.text and "À confirmer par e-mail" in page.text
    registration.refresh_from_db()
    assert registration.is_pending  # opening the link (a mail scanner does) confirms nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(registration.get_manage_url(), {"action": "confirm"}, follow=True)
    assert "Votre inscription est confirmée" in response.text
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED and registration.confirm_by is None
    event.refresh_from_db()
    assert event.seats_taken == 1
    assert len(mail.outbox) == 2
    message = mail.outbox[1]
    assert "confirmée" in message.subject
    assert registration.get_manage_url() in message.body
    (name, content, mimetype) = message.attachments[0]
    assert name.endswith(".ics") and mimetype == "text/calendar"
    cal = Calendar.from_ical(content)
    assert cal.walk("VEVENT")[0].decoded("dtstart").date() == event.date
    # A second click changes nothing and sends nothing.
    client.post(registration.get_manage_url(), {"action": "confirm"})
    event.refresh_from_db()
    assert event.seats_taken == 1 and len(mail.outbox) == 2


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
        (request_mail,) = mail.outbox
        assert request_mail.subject == f"[PTCE Portal] Confirm your registration: {event.title}"
        registration = Registration.objects.get()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                registration.get_manage_url(), {"action": "confirm"}, HTTP_ACCEPT_LANGUAGE="en"
            )
        message = mail.outbox[-1]
        assert message.subject == f"[PTCE Portal] Registration confirmed: {event.title}"
        assert message.attachments[0][2] == "text/calendar"
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                registration.get_manage_url(),
                {"action": "cancel", "confirmed": "1"},
                HTTP_ACCEPT_LANGUAGE="en",
            )
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


def test_a_known_and_an_unknown_address_get_the_same_page(
    client, django_capture_on_commit_callbacks
):
    """The page said whether an address was registered, with its status and date, even for
    people who refused the public list: now the answer is the same, and what happened is
    written to the address only."""
    event = EventFactory(capacity=1)
    url = reverse("events:register", args=[event.slug])
    known = register(event, "camille.durand@exemple.fr").registration  # confirmed, not public
    register(event, "attente@exemple.fr")  # on the waiting list
    Registration.objects.update(link_sent_at=timezone.now() - timedelta(days=1))
    mail.outbox.clear()

    def submit(email):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {**FORM, "email": email, "first_name": "Autre"})
        page = client.get(response["Location"])
        text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page.text)
        return response.status_code, response["Location"], page.status_code, text

    answers = [
        submit(email)
        for email in (
            "Camille.Durand@EXEMPLE.fr",  # known, confirmed (any case)
            "attente@exemple.fr",  # known, waiting list
            "inconnue@exemple.fr",  # unknown: a request is created
            "inconnue@exemple.fr",  # unknown a moment ago, now a request
        )
    ]
    assert len(set(answers)) == 1, "the answer depends on the address"
    status, location, page_status, text = answers[0]
    assert (status, location, page_status) == (
        302,
        reverse("events:registration_sent", args=[event.slug]),
        200,
    )
    assert "Vérifiez votre messagerie" in text
    for secret in (known.token, "statut", "enregistrée le", "Camille", "Alex"):
        assert secret not in text
    # Each address got one message: its own link, nothing typed by the visitor.
    title = event.title
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("attente@exemple.fr", f"[Portail PTCE] Votre inscription : {title}"),
        ("camille.durand@exemple.fr", f"[Portail PTCE] Votre inscription : {title}"),
        ("inconnue@exemple.fr", f"[Portail PTCE] Confirmez votre inscription : {title}"),
    ]
    reminder = next(m for m in mail.outbox if m.to[0].lower() == "camille.durand@exemple.fr")
    assert known.get_manage_url() in reminder.body and "Autre" not in reminder.body
    assert Registration.objects.filter(event=event).count() == 3
    known.refresh_from_db()
    assert known.first_name == "Alex"  # nothing changed by the second form


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
    # The first click only asks: nothing is cancelled, no e-mail.
    response = client.post(first.get_manage_url(), {"action": "cancel"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Annuler votre inscription ?" in html
    assert 'name="confirmed" value="1"' in html and "Non, garder mon inscription" in html
    first.refresh_from_db()
    assert first.status == Registration.Status.CONFIRMED and not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            first.get_manage_url(), {"action": "cancel", "confirmed": "1"}, follow=True
        )
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


def _form(email, **extra):
    return {**FORM, "email": email, **extra}


def test_thirty_tries_with_one_address_are_limited_and_email_the_person_once(
    client, django_capture_on_commit_callbacks
):
    """30 tries used to send 30 e-mails to the address typed."""
    event = EventFactory(capacity=50)
    url = reverse("events:register", args=[event.slug])
    statuses = []
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(30):
            # From 30 different clients: the limit per address holds on its own.
            response = client.post(url, _form("cible@exemple.fr"), REMOTE_ADDR=f"10.0.0.{i}")
            statuses.append(response.status_code)
    assert statuses == [302] * 3 + [429] * 27
    assert len(mail.outbox) == 1
    assert Registration.objects.get().is_pending
    refused = client.post(url, _form("cible@exemple.fr"), REMOTE_ADDR="10.0.1.1")
    assert refused.status_code == 429
    assert "Trop de tentatives" in refused.text
    assert "même adresse e-mail" in refused.text


def test_thirty_tries_from_one_client_are_limited(client, django_capture_on_commit_callbacks):
    event = EventFactory(capacity=50)
    url = reverse("events:register", args=[event.slug])
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [client.post(url, _form(f"p{i}@exemple.fr")).status_code for i in range(30)]
    assert statuses == [302] * 20 + [429] * 10
    assert Registration.objects.count() == 20 and len(mail.outbox) == 20
    # The form itself (GET) stays readable.
    assert client.get(url).status_code == 200


def test_the_link_is_sent_again_at_most_once_an_hour(django_capture_on_commit_callbacks):
    event = EventFactory(capacity=5)
    now = timezone.now()
    fields = {"first_name": "A", "last_name": "B", "category": "citizen"}
    with django_capture_on_commit_callbacks(execute=True):
        for minutes in range(0, 60, 5):  # twelve tries within the hour
            services.registration_request(
                event=event, email="x@exemple.fr", now=now + timedelta(minutes=minutes), **fields
            )
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_request(
            event=event, email="x@exemple.fr", now=now + timedelta(minutes=61), **fields
        )
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject == mail.outbox[0].subject  # the same confirmation link


@pytest.mark.parametrize("full", [False, True])
def test_a_script_cannot_take_the_last_seat_or_the_waiting_list(
    client, full, django_capture_on_commit_callbacks
):
    """One script took a day's last seat and 29 waiting-list places in a second."""
    event = EventFactory(capacity=3)
    for i in range(3 if full else 2):
        register(event, f"vrai{i}@exemple.fr")
    url = reverse("events:register", args=[event.slug])
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(30):  # other people's addresses, from 30 clients
            client.post(url, _form(f"victime{i}@exemple.fr"), REMOTE_ADDR=f"10.1.0.{i}")
    assert Registration.objects.filter(status="pending").count() == 30
    event.refresh_from_db()
    assert event.seats_taken == (3 if full else 2)
    assert not Registration.objects.filter(status="waitlisted").exists()
    page = client.get(url)
    assert ("La journée est complète" in page.text) is full

    # A real person who confirms gets the seat (or the first place of the waiting list).
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, _form("reelle@exemple.fr"))
    reelle = Registration.objects.get(email="reelle@exemple.fr")
    client.post(reelle.get_manage_url(), {"action": "confirm"})
    reelle.refresh_from_db()
    assert reelle.status == ("waitlisted" if full else "confirmed")
    if full:
        from events.selectors import waiting_position

        assert waiting_position(reelle) == 1

    # The requests nobody confirmed are deleted after the day's delay.
    assert services.registrations_expire(now=timezone.now() + timedelta(hours=47)) == 0
    assert services.registrations_expire(now=timezone.now() + timedelta(hours=49)) == 30
    assert not Registration.objects.filter(status="pending").exists()


def test_a_signed_in_person_with_that_verified_address_is_confirmed_at_once(client):
    from tests.factories import UserFactory

    event = EventFactory(capacity=5)
    url = reverse("events:register", args=[event.slug])
    user = UserFactory(email="membre@exemple.fr")
    client.force_login(user)
    response = client.post(url, _form("Membre@exemple.fr"))
    registration = Registration.objects.get()
    assert response["Location"] == registration.get_manage_url()
    assert registration.status == "confirmed" and registration.user == user
    # Another address typed by a signed-in person is a request like any other, not linked.
    response = client.post(url, _form("collegue@exemple.fr"))
    assert response["Location"] == reverse("events:registration_sent", args=[event.slug])
    other = Registration.objects.get(email="collegue@exemple.fr")
    assert other.is_pending and other.user is None
    # A request made for the member's address while signed out is confirmed once they
    # register signed in.
    pending = services.registration_request(
        event=event,
        email="autre.membre@exemple.fr",
        first_name="A",
        last_name="B",
        category="citizen",
    )
    assert pending is None
    client.force_login(UserFactory(email="autre.membre@exemple.fr"))
    response = client.post(url, _form("autre.membre@exemple.fr"))
    confirmed = Registration.objects.get(email="autre.membre@exemple.fr")
    assert confirmed.status == "confirmed"
    assert response["Location"] == confirmed.get_manage_url()


def test_an_expired_request_holds_nothing_and_the_address_can_register_again(client):
    event = EventFactory(capacity=5, confirmation_hours=2)
    url = reverse("events:register", args=[event.slug])
    client.post(url, _form("lente@exemple.fr"))
    request = Registration.objects.get()
    assert request.confirm_by == request.created_at + timedelta(hours=2)
    Registration.objects.update(confirm_by=timezone.now() - timedelta(minutes=1))
    page = client.get(request.get_manage_url())
    assert "Le délai de confirmation est passé" in page.text
    assert "Confirmer mon inscription" not in page.text
    response = client.post(request.get_manage_url(), {"action": "confirm"}, follow=True)
    assert "Le délai de confirmation est passé" in response.text
    request.refresh_from_db()
    assert request.is_pending
    event.refresh_from_db()
    assert event.seats_taken == 0
    # Registering again replaces the expired request (lazily, before any timer ran).
    client.post(url, _form("lente@exemple.fr"))
    fresh = Registration.objects.get()
    assert fresh.pk != request.pk and not fresh.is_expired()


def test_a_request_nobody_made_is_declined_from_its_link_without_an_email(
    client, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=5)
    client.post(reverse("events:register", args=[event.slug]), _form("pas.moi@exemple.fr"))
    request = Registration.objects.get()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            request.get_manage_url(), {"action": "cancel", "confirmed": "1"}, follow=True
        )
    assert "La demande d&#x27;inscription est annulée." in response.text
    request.refresh_from_db()
    assert request.status == "cancelled" and not mail.outbox


def test_staff_set_the_confirmation_delay_of_a_day_within_bounds():
    from django.core.exceptions import ValidationError

    event = EventFactory()
    for hours in (0, 721):
        event.confirmation_hours = hours
        with pytest.raises(ValidationError, match="de 1 à 720 heures"):
            event.full_clean()
        with pytest.raises(IntegrityError), transaction.atomic():
            event.save()
    event.confirmation_hours = 720
    event.full_clean()


def test_the_expiry_command_deletes_only_expired_requests():
    from io import StringIO

    from django.core.management import call_command

    event = EventFactory(capacity=5)
    fields = {"first_name": "A", "last_name": "B", "category": "citizen"}
    services.registration_request(event=event, email="vieux@exemple.fr", **fields)
    services.registration_request(event=event, email="neuf@exemple.fr", **fields)
    register(event, "inscrite@exemple.fr")
    Registration.objects.filter(email="vieux@exemple.fr").update(
        confirm_by=timezone.now() - timedelta(seconds=1)
    )
    out = StringIO()
    call_command("expire_registrations", stdout=out)
    assert out.getvalue().strip() == "1 unconfirmed registration request(s) deleted."
    assert sorted(Registration.objects.values_list("email", flat=True)) == [
        "inscrite@exemple.fr",
        "neuf@exemple.fr",
    ]
