import shutil
import subprocess
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from events.models import Event
from tests.pdfs import assert_tagged_pdf

from .factories import EventFactory
from .test_public_pages import EXPECTED_ORDER


def parse(content: bytes):
    cal = Calendar.from_ical(content)
    events = cal.walk("VEVENT")
    assert len(events) == 1
    return cal, events[0]


def test_ics_of_a_timed_day_is_in_europe_paris(client, db):
    event = EventFactory(date=date(2031, 3, 27), start_time=time(9, 30), end_time=time(17, 0))
    response = client.get(reverse("events:ics", args=[event.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal, vevent = parse(response.content)
    start = vevent.decoded("dtstart")
    assert start == datetime(2031, 3, 27, 9, 30, tzinfo=ZoneInfo("Europe/Paris"))
    assert str(start.tzinfo) == "Europe/Paris"
    assert vevent["dtstart"].params["TZID"] == "Europe/Paris"
    assert vevent.decoded("dtend").hour == 17
    # Summer time begins on 30 March 2031: the day is still on UTC+1.
    assert start.utcoffset().total_seconds() == 3600
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Paris"]
    assert str(vevent["summary"]) == event.title
    assert event.slug in str(vevent["url"])


def test_ics_of_a_day_without_hours_is_an_all_day_event(client, db):
    event = EventFactory(date=date(2031, 9, 19), start_time=None, end_time=None)
    content = client.get(reverse("events:ics", args=[event.slug])).content
    _, vevent = parse(content)
    assert vevent.decoded("dtstart") == date(2031, 9, 19)
    assert vevent.decoded("dtend") == date(2031, 9, 20)


def test_ics_is_linked_from_the_page_of_a_day_to_come_only(client, day_2014, db):
    upcoming = EventFactory(date=date(2031, 3, 27))
    html = client.get(upcoming.get_absolute_url()).content.decode()
    assert reverse("events:ics", args=[upcoming.slug]) in html
    assert "Ajouter à mon agenda" in html
    # A past day: no link, and no calendar file.
    html = client.get(day_2014.get_absolute_url()).content.decode()
    assert reverse("events:ics", args=[day_2014.slug]) not in html
    assert "Ajouter à mon agenda" not in html
    assert client.get(reverse("events:ics", args=[day_2014.slug])).status_code == 404


def pdf_text(content: bytes, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return " ".join(out.split())


def test_proceedings_pdf_contains_every_session_title(client, day_2014, tmp_path):
    response = client.get(reverse("events:proceedings", args=[day_2014.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert_tagged_pdf(response.content, title=day_2014.title)
    text = pdf_text(response.content, tmp_path).replace("’", "'")
    for title in EXPECTED_ORDER:
        assert title in text, title
    assert "Deuxième journée nationale des PTCE" in text
    assert "Vendredi 19 septembre 2014" in text
    assert "Pôles signataires de la charte" in text
    assert "Il faut refuser la fatalité" in text
    assert "Carole Delga" in text


def test_proceedings_of_a_day_without_programme_is_a_404(client, seeded_events):
    event = Event.objects.get(slug="journee-nationale-2012")
    assert client.get(reverse("events:proceedings", args=[event.slug])).status_code == 404
