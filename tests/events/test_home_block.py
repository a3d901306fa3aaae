"""The home page announces the coming national day and where its registrations stand
(events' block in the slot "portal.home"; the composition names no domain)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import Event

from .factories import EventFactory

pytestmark = pytest.mark.django_db


def home_block(client) -> str:
    html = client.get("/").content.decode()
    if '<section class="card home-block"' not in html:
        return ""
    return html.split('<section class="card home-block"', 1)[1].split("</section>", 1)[0]


def test_no_coming_day_no_block(client):
    EventFactory(date=timezone.localdate() - timedelta(days=3), is_published=True)
    assert home_block(client) == ""


def test_open_registrations_on_the_home_page(client):
    event = EventFactory(title="Journée nationale 2031", capacity=120, seats_taken=20)
    EventFactory(title="Une journée plus lointaine", date=event.date + timedelta(days=90))
    EventFactory(
        title="Une autre rencontre", kind=Event.Kind.OTHER, date=event.date - timedelta(days=5)
    )
    html = home_block(client)
    assert "Prochaine journée nationale" in html
    assert "Journée nationale 2031" in html
    assert "Une journée plus lointaine" not in html and "Une autre rencontre" not in html
    assert "Inscriptions ouvertes" in html and "100 places libres" in html
    assert f'href="/journees/{event.slug}/inscription/"' in html


def test_full_and_not_yet_open(client):
    EventFactory(title="Journée complète", capacity=2, seats_taken=2)
    html = home_block(client)
    assert "Complet" in html and "S'inscrire sur la liste d'attente" in html
    Event.objects.all().delete()
    EventFactory(
        title="Journée annoncée",
        registration_opens_at=timezone.now() + timedelta(days=2),
        registration_closes_at=timezone.now() + timedelta(days=20),
    )
    html = home_block(client)
    assert "Inscriptions bientôt ouvertes" in html


def test_a_real_day_comes_before_a_demonstration(client):
    first = timezone.localdate() + timedelta(days=10)
    EventFactory(title="Journée de démonstration", date=first, is_demo=True)
    EventFactory(title="La vraie journée", date=first + timedelta(days=30))
    html = home_block(client)
    assert "La vraie journée" in html and "Journée de démonstration" not in html


def test_home_query_count_does_not_grow_with_days(client):
    EventFactory()
    with CaptureQueriesContext(connection) as one:
        client.get("/")
    for _n in range(5):
        EventFactory()
    with CaptureQueriesContext(connection) as many:
        client.get("/")
    assert len(many) == len(one)


def test_a_registered_person_sees_their_registration_and_how_to_cancel(client):
    from tests.factories import UserFactory

    from .factories import RegistrationFactory

    event = EventFactory(title="Journée nationale 2031")
    person = UserFactory(email="lea@exemple.fr")
    registration = RegistrationFactory(event=event, email="Lea@exemple.fr", status="confirmed")
    # Anonymous: the page everyone gets (and the page cache may keep), no one's registration.
    assert "Vous êtes inscrit" not in home_block(client)
    client.force_login(person)
    html = home_block(client)
    assert "Vous êtes inscrit·e" in html and "Votre inscription est confirmée." in html
    assert f'href="{registration.get_manage_url()}"' in html
    assert "Gérer ou annuler mon inscription" in html
    assert f'href="/journees/{event.slug}/inscription/"' not in html  # not offered twice
    # On the waiting list: said so.
    registration.status = "waitlisted"
    registration.save()
    assert "Vous êtes sur la liste d" in home_block(client)
    # Cancelled: registering is offered again.
    registration.status = "cancelled"
    registration.cancelled_at = timezone.now()
    registration.save()
    html = home_block(client)
    assert "Vous êtes inscrit" not in html
    assert f'href="/journees/{event.slug}/inscription/"' in html
    # Someone else signed in sees no registration.
    client.force_login(UserFactory())
    assert "Vous êtes inscrit" not in home_block(client)
