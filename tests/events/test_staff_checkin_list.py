"""The staff check-in list on the day: paged, searchable, every link keeps the filters."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import Registration
from events.views.staff import STAFF_PAGE_SIZE
from tests.poles.factories import PoleFactory

from .factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<tr id="r-(\d+)">')


@pytest.fixture
def event():
    return EventFactory(capacity=500)


def url_of(event) -> str:
    return reverse("events:staff_participants", args=[event.slug])


def rows(response) -> list[int]:
    assert response.status_code == 200
    return [int(pk) for pk in ROW.findall(response.content.decode())]


def test_query_count_does_not_grow_with_the_registrations(staff_client, event):
    pole = PoleFactory()
    RegistrationFactory.create_batch(3, event=event, pole=pole)
    staff_client.get(url_of(event))  # session and user loaded once
    with CaptureQueriesContext(connection) as few:
        assert len(rows(staff_client.get(url_of(event)))) == 3
    RegistrationFactory.create_batch(
        2 * STAFF_PAGE_SIZE + 7, event=event, pole=pole, checked_in_at="2030-01-01T10:00Z"
    )
    RegistrationFactory.create_batch(20, event=event, status=Registration.Status.WAITLISTED)
    with CaptureQueriesContext(connection) as many:
        assert len(rows(staff_client.get(url_of(event), {"page": "2"}))) == STAFF_PAGE_SIZE
    assert len(many) == len(few), [q["sql"] for q in many]


def test_pages_of_50_and_malformed_page_numbers(staff_client, event):
    created = RegistrationFactory.create_batch(2 * STAFF_PAGE_SIZE + 10, event=event)
    pks = [r.pk for r in created]
    first = staff_client.get(url_of(event))
    assert rows(first) == pks[:STAFF_PAGE_SIZE]
    html = first.content.decode()
    assert "110 inscriptions correspondent" in html and "page 1 sur 3" in html
    assert 'href="?page=2" rel="next"' in html and 'aria-current="page">1<' in html
    assert rows(staff_client.get(url_of(event), {"page": "3"})) == pks[2 * STAFF_PAGE_SIZE :]
    for bad in ("abc", "", "0", "-1", "2.5", "1e3"):
        assert rows(staff_client.get(url_of(event), {"page": bad})) in (
            pks[:STAFF_PAGE_SIZE],
            pks[2 * STAFF_PAGE_SIZE :],  # out of range: the last page
        ), bad
    assert rows(staff_client.get(url_of(event), {"page": "999"})) == pks[2 * STAFF_PAGE_SIZE :]


def test_search_by_name_email_or_organisation_and_filters_kept_in_links(staff_client, event):
    marie = RegistrationFactory(
        event=event, first_name="Marie", last_name="Dupont", organisation="Coopérative Alpha"
    )
    RegistrationFactory(event=event, first_name="Marie", last_name="Curie", email="mc@labo.fr")
    RegistrationFactory.create_batch(
        STAFF_PAGE_SIZE + 5, event=event, organisation="Réseau Beta", category="network"
    )
    assert rows(staff_client.get(url_of(event), {"q": "marie dupont"})) == [marie.pk]
    assert rows(staff_client.get(url_of(event), {"q": " DUPONT "})) == [marie.pk]
    assert rows(staff_client.get(url_of(event), {"q": "alpha"})) == [marie.pk]
    curie = rows(staff_client.get(url_of(event), {"q": "mc@labo"}))
    assert len(curie) == 1 and curie != [marie.pk]
    assert rows(staff_client.get(url_of(event), {"q": "personne-inconnue"})) == []

    response = staff_client.get(url_of(event), {"q": "beta", "category": "network"})
    html = response.content.decode()
    assert len(rows(response)) == STAFF_PAGE_SIZE
    assert 'href="?q=beta&amp;category=network&amp;page=2"' in html
    # The search box is a plain GET form, filled with the current search.
    assert 'method="get"' in html and 'type="search" name="q" value="beta"' in html
    # The CSV link carries the filters, not the page.
    page_2 = staff_client.get(url_of(event), {"q": "beta", "category": "network", "page": "2"})
    csv_url = reverse("events:staff_participants_csv", args=[event.slug])
    assert f'href="{csv_url}?q=beta&amp;category=network"' in page_2.content.decode()
    assert len(rows(page_2)) == 5


def test_csv_exports_every_filtered_registration_not_one_page(staff_client, event):
    RegistrationFactory.create_batch(STAFF_PAGE_SIZE + 25, event=event, category="network")
    RegistrationFactory.create_batch(3, event=event, category="citizen")
    csv_url = reverse("events:staff_participants_csv", args=[event.slug])
    body = staff_client.get(csv_url, {"category": "network", "page": "2"}).content.decode()
    lines = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert len(lines) == 1 + STAFF_PAGE_SIZE + 25


def test_check_in_returns_to_the_same_page_and_filters(staff_client, event):
    created = RegistrationFactory.create_batch(
        2 * STAFF_PAGE_SIZE, event=event, organisation="Réseau Gamma"
    )
    target = created[STAFF_PAGE_SIZE + 3]  # on page 2
    query = {"q": "gamma", "status": "confirmed", "page": "2"}
    html = staff_client.get(url_of(event), query).content.decode()
    form = re.search(
        r'<form method="post" action="([^"]+)"[^>]*>.*?name="next" value="([^"]+)"',
        html[html.index(f'id="r-{target.pk}"') :],
        re.S,
    )
    action, back = form.group(1), form.group(2).replace("&amp;", "&")
    assert action == reverse("events:staff_check_in", args=[event.slug, target.pk])
    assert back == f"{url_of(event)}?q=gamma&status=confirmed&page=2#r-{target.pk}"
    response = staff_client.post(action, {"next": back})
    assert response.status_code == 302 and response["Location"] == back
    target.refresh_from_db()
    assert target.checked_in_at is not None
    after = staff_client.get(url_of(event), query)
    assert target.pk in rows(after) and "Présence pointée" in after.content.decode()
    # An outside address in `next` is ignored: back to the list.
    response = staff_client.post(action, {"next": "//evil.example/", "undo": "1"})
    assert response["Location"] == url_of(event)
