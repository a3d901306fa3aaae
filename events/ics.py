"""iCalendar (RFC 5545) file of a day, built with the `icalendar` package.

Timed days carry DTSTART/DTEND with TZID=Europe/Paris and the matching VTIMEZONE; a day whose
hours are unknown (the 2014 report gives none) is an all-day event (VALUE=DATE).
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from icalendar import Calendar, Timezone
from icalendar import Event as VEvent

from ptce_portal.site import absolute_url, site_host

PARIS = ZoneInfo("Europe/Paris")


def event_ics(event) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Portail des PTCE//Journées nationales//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", event.title)
    cal.add("x-wr-timezone", "Europe/Paris")

    vevent = VEvent()
    host = site_host() or "ptce.example"
    vevent.add("uid", f"journee-{event.pk}-{event.slug}@{host}")
    vevent.add("dtstamp", timezone.now())
    vevent.add("summary", event.title)
    if event.start_time:
        start = datetime.combine(event.date, event.start_time, tzinfo=PARIS)
        end = (
            datetime.combine(event.date, event.end_time, tzinfo=PARIS)
            if event.end_time
            else start + timedelta(hours=8)
        )
        vevent.add("dtstart", start)
        vevent.add("dtend", end)
        cal.add_component(
            Timezone.from_tzinfo(
                PARIS,
                tzid="Europe/Paris",
                first_date=(start - timedelta(days=366)).date(),
                last_date=(start + timedelta(days=366)).date(),
            )
        )
    else:
        vevent.add("dtstart", event.date)
        vevent.add("dtend", event.date + timedelta(days=1))
    location = ", ".join(part for part in (event.venue, event.address, event.city) if part)
    if location:
        vevent.add("location", location)
    description = event.summary or event.description
    url = absolute_url(event.get_absolute_url())
    vevent.add("description", f"{description}\n\n{url}".strip())
    vevent.add("url", url)
    vevent.add("status", "CONFIRMED")
    cal.add_component(vevent)
    return cal.to_ical()
