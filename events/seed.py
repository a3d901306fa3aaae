"""Seed the national days (25 June 2012 and 19 September 2014, full programme) from the data
files in events/data/ (organisations.yaml, people.yaml, national_days.yaml).

Real data only: the fictitious upcoming day used to try registration lives in `events.demo`,
loaded by `manage.py seed_ptce --demo`. Where the data come from is said at the top of each file.

Idempotent: every row is found again by a stable key (slug, or event + order) and updated.
Runs after the poles seed, so that speakers link to their pole's page when it exists.
"""

import datetime
from functools import cache
from pathlib import Path

import yaml
from django.db import transaction
from django.utils.text import slugify

from poles.models import Pole

from .models import (
    Event,
    EventOrganisation,
    Intervention,
    Organisation,
    Person,
    Quote,
    Session,
    SessionSpeaker,
)

DATA_DIR = Path(__file__).resolve().parent / "data"

SOURCE_2014 = (
    "Compte rendu « Deuxième journée nationale des PTCE, 19/09/14 », Le Labo de l'ESS, janvier 2015"
)


@cache
def _data(name: str):
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def organisation_rows() -> dict[str, dict]:
    return _data("organisations.yaml")


def people_rows() -> dict[str, dict]:
    return _data("people.yaml")


def national_days() -> list[dict]:
    return _data("national_days.yaml")


# The five networks that co-organise the national days (also the demo day's organisers).
ORGANISERS = ["labo", "coorace", "rtes", "cncres", "mes"]


def _organisations() -> dict[str, Organisation]:
    result = {}
    for key, row in organisation_rows().items():
        org, _ = Organisation.objects.update_or_create(
            name=row["name"], defaults={"acronym": row.get("acronym", "")}
        )
        result[key] = org
    return result


def _people(orgs) -> dict[str, Person]:
    rows = people_rows()
    pole_slugs = {row["pole"] for row in rows.values() if row.get("pole")}
    poles = {pole.slug: pole for pole in Pole.objects.filter(slug__in=pole_slugs)}
    result = {}
    for key, row in rows.items():
        person, _ = Person.objects.update_or_create(
            slug=slugify(row["name"]),
            defaults={
                "name": row["name"],
                "role": row.get("role", ""),
                "organisation": orgs[row["organisation"]] if row.get("organisation") else None,
                "pole": poles.get(row["pole"]) if row.get("pole") else None,
            },
        )
        result[key] = person
    return result


def _set_organisers(event: Event, orgs, keys) -> None:
    for order, key in enumerate(keys, start=1):
        EventOrganisation.objects.update_or_create(
            event=event,
            organisation=orgs[key],
            role=EventOrganisation.Role.ORGANISER,
            defaults={"order": order},
        )


def _programme(event: Event, people, programme) -> None:
    # Rebuilt from scratch so that re-running after an edit of the list leaves no stray row.
    event.sessions.all().delete()
    for order, spec in enumerate(programme, start=1):
        session = Session(
            event=event,
            order=order,
            title=spec["title"],
            kind=spec["kind"],
            part_of_day=spec.get("part", ""),
            summary=spec["summary"],
            moderator=people[spec["moderator"]] if spec.get("moderator") else None,
        )
        session.full_clean()
        session.save()
        SessionSpeaker.objects.bulk_create(
            SessionSpeaker(
                session=session, person=people[row["person"]], order=i, label=row.get("label", "")
            )
            for i, row in enumerate(spec["speakers"], start=1)
        )
        Intervention.objects.bulk_create(
            Intervention(
                session=session, person=people[row["person"]], order=i, summary=row["summary"]
            )
            for i, row in enumerate(spec["interventions"], start=1)
        )
        Quote.objects.bulk_create(
            Quote(
                session=session,
                person=people[row["person"]],
                order=i,
                text=row["text"],
                role_as_printed=row.get("role_as_printed", ""),
                is_pull_quote=row["pull_quote"],
            )
            for i, row in enumerate(spec["quotes"], start=1)
        )
        if spec.get("poles"):
            session.poles.set(Pole.objects.filter(slug__in=spec["poles"]))


# Fields of a day in national_days.yaml copied as they are onto the Event.
_EVENT_FIELDS = [
    "title",
    "edition",
    "venue",
    "address",
    "city",
    "summary",
    "description",
    "proceedings_summary",
    "participants_count",
    "participants_count_approx",
    "signatures_count",
]


def seed_day(row: dict, orgs, people) -> Event:
    defaults = {field: row[field] for field in _EVENT_FIELDS if field in row}
    event, _ = Event.objects.update_or_create(
        slug=row["slug"],
        defaults={
            **defaults,
            "date": datetime.date.fromisoformat(row["date"]),
            "source": SOURCE_2014,
            "capacity": None,
            "registration_opens_at": None,
            "registration_closes_at": None,
            "is_demo": False,
        },
    )
    if row.get("organisers"):
        _set_organisers(event, orgs, row["organisers"])
    if row.get("programme"):
        _programme(event, people, row["programme"])
    return event


def run(*, stdout=None) -> None:
    with transaction.atomic():
        orgs = _organisations()
        people = _people(orgs)
        for row in national_days():
            seed_day(row, orgs, people)
    if stdout is not None:
        stdout.write(
            f"events: {Event.objects.count()} journées, {Person.objects.count()} personnes, "
            f"{Session.objects.count()} séquences, {Quote.objects.count()} citations"
        )
