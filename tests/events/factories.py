from datetime import time, timedelta

import factory
from django.utils import timezone

from events.models import Event, Registration


class EventFactory(factory.django.DjangoModelFactory):
    """An upcoming day whose registration window is open now."""

    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Journée de test {n}")
    slug = factory.Sequence(lambda n: f"journee-test-{n}")
    date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    start_time = time(9, 30)
    end_time = time(17, 0)
    venue = "Salle des fêtes"
    city = "Lyon"
    capacity = 10
    registration_opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    registration_closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=20))


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A raw row; tests that exercise seats go through events.services instead."""

    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    email = factory.Sequence(lambda n: f"inscrit{n}@exemple.fr")
    category = Registration.Category.POLE
    status = Registration.Status.CONFIRMED
