"""Concurrent registrations against PostgreSQL: the event row lock decides who gets a seat."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from events import services
from events.models import Event, Registration

from .factories import EventFactory


def run_concurrently(count, target):
    barrier = threading.Barrier(count)
    errors = []

    def worker(i):
        try:
            barrier.wait(timeout=10)
            target(i)
        except Exception as exc:  # reported below, the thread must not die silently
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors, errors


@pytest.mark.django_db(transaction=True)
def test_two_people_taking_the_last_seat_at_once_one_is_waitlisted():
    event = EventFactory(capacity=3)
    services.registration_create(
        event=event, first_name="A", last_name="A", email="a@exemple.fr", category="other"
    )
    services.registration_create(
        event=event, first_name="B", last_name="B", email="b@exemple.fr", category="other"
    )
    # Two people asked for a seat; both confirm from their e-mail at the same instant.
    requests = []
    for i in range(2):
        services.registration_request(
            event=event,
            first_name="Dernière",
            last_name=f"P{i}",
            email=f"last{i}@exemple.fr",
            category="citizen",
        )
        requests.append(Registration.objects.get(email=f"last{i}@exemple.fr"))
    statuses = {}

    def confirm(i):
        response = Client().post(requests[i].get_manage_url(), {"action": "confirm"})
        statuses[i] = response.status_code

    run_concurrently(2, confirm)
    assert statuses == {0: 302, 1: 302}
    last = Registration.objects.filter(email__startswith="last").order_by("status")
    assert sorted(r.status for r in last) == ["confirmed", "waitlisted"]
    event.refresh_from_db()
    assert event.seats_taken == 3
    assert Registration.objects.filter(event=event, status="confirmed").count() == 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_through_the_form_hold_no_seat():
    event = EventFactory(capacity=1)
    url = reverse("events:register", args=[event.slug])
    data = {"first_name": "P", "last_name": "Q", "category": "citizen", "organisation": ""}
    statuses = {}

    def post(i):
        response = Client(REMOTE_ADDR=f"10.2.0.{i}").post(
            url, {**data, "email": f"form{i}@exemple.fr"}
        )
        statuses[i] = response.status_code

    run_concurrently(6, post)
    assert set(statuses.values()) == {302}
    assert Registration.objects.filter(event=event, status="pending").count() == 6
    event.refresh_from_db()
    assert event.seats_taken == 0


@pytest.mark.django_db(transaction=True)
def test_many_concurrent_registrations_never_overbook():
    event = EventFactory(capacity=4)

    def register(i):
        services.registration_create(
            event=Event.objects.get(pk=event.pk),
            first_name="P",
            last_name=str(i),
            email=f"p{i}@exemple.fr",
            category="other",
        )

    run_concurrently(10, register)
    event.refresh_from_db()
    confirmed = Registration.objects.filter(event=event, status="confirmed").count()
    waiting = Registration.objects.filter(event=event, status="waitlisted").count()
    assert (confirmed, waiting, event.seats_taken) == (4, 6, 4)


@pytest.mark.django_db(transaction=True)
def test_concurrent_cancellations_promote_each_waiting_person_once():
    event = EventFactory(capacity=2)
    regs = [
        services.registration_create(
            event=event,
            first_name="P",
            last_name=str(i),
            email=f"c{i}@exemple.fr",
            category="other",
        ).registration
        for i in range(5)
    ]

    def cancel(i):
        services.registration_cancel(registration=Registration.objects.get(pk=regs[i].pk))

    run_concurrently(2, cancel)
    statuses = list(
        Registration.objects.filter(event=event)
        .order_by("created_at", "id")
        .values_list("status", flat=True)
    )
    assert statuses == ["cancelled", "cancelled", "confirmed", "confirmed", "waitlisted"]
    event.refresh_from_db()
    assert event.seats_taken == 2


@pytest.mark.django_db(transaction=True)
def test_same_email_twice_at_once_gives_one_registration():
    event = EventFactory(capacity=5)

    def register(i):
        services.registration_create(
            event=Event.objects.get(pk=event.pk),
            first_name="D",
            last_name="D",
            email="Double@exemple.fr" if i else "double@EXEMPLE.fr",
            category="other",
        )

    run_concurrently(2, register)
    assert Registration.objects.filter(event=event).count() == 1
    event.refresh_from_db()
    assert event.seats_taken == 1
