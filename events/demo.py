"""Demo data of the events domain: a fictitious upcoming national day, clearly marked.

Not part of the real seed: loaded only by `manage.py seed_ptce --demo` (what `make run` uses),
so that a visitor can try registration, the waiting list and cancellation. Idempotent: the day
is found again by its slug; its date only moves forward once it comes within a week.
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from .models import Event
from .seed import ORGANISERS, _organisations, _set_organisers

DEMO_SLUG = "journee-demonstration"


def seed_demo_day(orgs) -> Event:
    """A fictitious upcoming day, registration open, so that registration can be tried."""
    today = timezone.localdate()
    existing = Event.objects.filter(slug=DEMO_SLUG).first()
    if existing and existing.date >= today + timedelta(days=7):
        day = existing.date
    else:
        day = today + timedelta(days=60)
        while day.weekday() >= 5:  # a weekday
            day += timedelta(days=1)
    tz = timezone.get_current_timezone()
    opens = timezone.make_aware(datetime.combine(today - timedelta(days=1), time(9, 0)), tz)
    if existing and existing.registration_opens_at and existing.registration_opens_at < opens:
        opens = existing.registration_opens_at
    closes = timezone.make_aware(datetime.combine(day - timedelta(days=2), time(23, 59)), tz)
    event, _ = Event.objects.update_or_create(
        slug=DEMO_SLUG,
        defaults={
            "title": "Journée nationale de démonstration",
            "edition": None,
            "is_demo": True,
            "date": day,
            "start_time": time(9, 30),
            "end_time": time(17, 0),
            "venue": "Lieu de démonstration",
            "address": "Adresse fictive",
            "city": "Paris",
            "summary": (
                "Journée fictive pour essayer l'inscription, la liste d'attente et "
                "l'annulation. Elle n'aura pas lieu."
            ),
            "description": (
                "Cette journée n'existe pas : elle sert à essayer le portail (inscription, "
                "courriel de confirmation avec le fichier agenda, liste d'attente, annulation "
                "par le lien personnel, pointage des présences par l'équipe). Son petit nombre "
                "de places permet de voir la liste d'attente à l'œuvre."
            ),
            "capacity": 12,
            "registration_opens_at": opens,
            "registration_closes_at": closes,
        },
    )
    _set_organisers(event, orgs, ORGANISERS)
    return event


def run(*, stdout=None) -> Event:
    with transaction.atomic():
        event = seed_demo_day(_organisations())
    if stdout is not None:
        stdout.write(
            f"events (démo) : « {event.title} » le {event.date:%d/%m/%Y}, inscriptions ouvertes"
        )
    return event
