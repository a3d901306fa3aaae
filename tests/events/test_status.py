from datetime import timedelta

import pytest
from django.utils import timezone

from events import services
from events.models import Event

from .factories import EventFactory

pytestmark = pytest.mark.django_db


def test_status_is_derived_from_dates_and_seats():
    now = timezone.now()
    assert EventFactory(registration_opens_at=now + timedelta(days=1)).status == "announced"
    assert EventFactory(capacity=None, registration_opens_at=None).status == "announced"
    event = EventFactory(capacity=1)
    assert event.status == Event.Status.OPEN
    services.registration_create(
        event=event, first_name="A", last_name="B", email="a@exemple.fr", category="other"
    )
    event.refresh_from_db()
    assert event.status == Event.Status.FULL and event.seats_left == 0
    closed = EventFactory(
        registration_opens_at=now - timedelta(days=3),
        registration_closes_at=now - timedelta(hours=1),
    )
    assert closed.status == Event.Status.CLOSED
    past = EventFactory(date=timezone.localdate() - timedelta(days=1))
    assert past.status == Event.Status.PAST and not past.registration_is_open()


def test_window_without_closing_date_closes_when_the_day_starts():
    event = EventFactory(registration_closes_at=None)
    assert event.registration_is_open()
    assert not event.registration_is_open(event.starts_at + timedelta(minutes=1))


def test_database_refuses_a_window_closing_before_it_opens():
    from django.db import IntegrityError, transaction

    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(registration_opens_at=now, registration_closes_at=now - timedelta(days=1))
