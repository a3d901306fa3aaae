"""Demo data of the events domain: a fictitious upcoming national day, clearly marked.

Not part of the real seed: loaded only by `manage.py seed_ptce --demo` (what `make run` uses),
so that a visitor can try registration, the waiting list and cancellation. Idempotent: the day
is found again by its slug; its date only moves forward once it comes within a week.
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from ptce_portal.contributions import DemoContext

from .models import Event, Registration
from .seed import ORGANISERS, _organisations, _set_organisers
from .services import RegistrationClosed, registration_create

DEMO_SLUG = "journee-demonstration"

# Fictitious participants (first name, last name, organisation, category, public consent):
# with the demo coordinator, 7 of the 12 seats: a visitor sees the list and can fill the day up.
PARTICIPANTS = [
    ("Anne", "Roussel (démo)", "Réseau fictif de l'ESS (démo)", "network", True),
    ("Bruno", "Garnier (démo)", "Communauté de communes fictive (démo)", "authority", True),
    ("Chloé", "Perrin (démo)", "Laboratoire fictif (démo)", "researcher", True),
    ("David", "Faure (démo)", "", "citizen", False),
    ("Élise", "Marchand (démo)", "Coopérative fictive (démo)", "pole", True),
    ("Farid", "Benali (démo)", "Préfecture fictive (démo)", "state", False),
]


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
            "title": "Journée nationale de démonstration (démo)",
            "edition": None,
            "is_demo": True,
            "date": day,
            "start_time": time(9, 30),
            "end_time": time(17, 0),
            "venue": "Lieu de démonstration (démo)",
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


def seed_demo_registrations(event: Event, *, user=None, pole=None) -> int:
    """Fictitious registrations through the registration service (found again by e-mail;
    the confirmation e-mails are the caller's to swallow). `user`, if given, is registered
    too, for `pole`: the demo coordinator then sees the day in « Mon espace »."""
    people = [
        (first, last, f"participant-{n}@exemple.org", org, category, consent, None, None)
        for n, (first, last, org, category, consent) in enumerate(PARTICIPANTS, start=1)
    ]
    if user is not None:
        people.insert(
            0,
            (user.first_name, user.last_name, user.email, pole.name if pole else "", "pole",
             True, user, pole),
        )  # fmt: skip
    active = Registration.objects.filter(event=event).exclude(status=Registration.Status.CANCELLED)
    created = 0
    for first, last, email, organisation, category, consent, account, their_pole in people:
        if active.filter(email__iexact=email).exists():
            continue
        try:
            registration_create(
                event=event,
                first_name=first,
                last_name=last,
                email=email,
                category=category,
                organisation=organisation,
                pole=their_pole,
                public_consent=consent,
                user=account,
            )
        except RegistrationClosed:
            break
        created += 1
    return created


def demo_day(*, user=None, pole=None) -> Event:
    """The demo day and its fictitious registrations (`user`, the demo coordinator of `pole`,
    among them when given)."""
    with transaction.atomic():
        event = seed_demo_day(_organisations())
        seed_demo_registrations(event, user=user, pole=pole)
    return event


def run(context: DemoContext) -> None:
    """The demo step (`seed_ptce --demo`): the day, with the demo coordinator and their pole
    left by the poles step."""
    event = demo_day(user=context.data.get("coordinator"), pole=context.data.get("pole"))
    registered = event.registrations.exclude(status="cancelled").count()
    context.summary.append(f"« {event.title} » le {event.date:%d/%m/%Y}, {registered} inscrit·es")
