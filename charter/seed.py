"""Seed of the charter domain (idempotent), from the data files in charter/data/: the 2014
charter of the PTCE collective approach (charter_2014.yaml: Annex 2 of the report of the
national day of 19 September 2014, verbatim), its countersignatures, and the 40 signatures of
Annex 3 (signatories_2014.yaml)."""

import datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from django.db.models import Max

from poles import services as pole_services
from poles.models import Pole

from .models import CharterItem, CharterSection, CharterVersion, Countersignature, Signature
from .services import pole_signed_on

DATA_DIR = Path(__file__).resolve().parent / "data"

SIGNING_DAY = datetime.date(2014, 9, 19)
SIGNING_PLACE = "Paris (Bercy)"


@cache
def _data(name: str):
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def charter_2014() -> dict:
    return _data("charter_2014.yaml")


def signatories_2014() -> list[dict]:
    """Annex 3 as printed: number, slug of the pole, region, departments, name."""
    return _data("signatories_2014.yaml")


# CharterVersion fields of charter_2014.yaml (the rest: number, sections, countersignatures).
_VERSION_FIELDS = [
    "title",
    "summary",
    "signature_intro",
    "commitment_build",
    "commitment_community",
    "footnote",
]


def seed_version_1() -> CharterVersion:
    data = charter_2014()
    fields = {name: data[name] for name in _VERSION_FIELDS}
    fields["published_at"] = datetime.date.fromisoformat(data["published_at"])
    version, created = CharterVersion.objects.get_or_create(
        number=data["number"], defaults={**fields, "is_current": False}
    )
    if not version.signatures.exclude(signer__isnull=True).exists():
        # The wording is frozen once a person signed online; the seed only writes before.
        for name, value in fields.items():
            setattr(version, name, value)
        version.save()
        sections = data["sections"]
        for order, row in enumerate(sections, start=1):
            section, _ = CharterSection.objects.update_or_create(
                version=version,
                order=order,
                defaults={
                    "numeral": row["numeral"],
                    "title": row["title"],
                    "intro": row.get("intro", ""),
                },
            )
            for item_order, item in enumerate(row["items"], start=1):
                CharterItem.objects.update_or_create(
                    section=section,
                    order=item_order,
                    defaults={
                        "kind": item["kind"],
                        "text": item["text"],
                        "source": item.get("source", ""),
                    },
                )
            section.items.filter(order__gt=len(row["items"])).delete()
        version.sections.filter(order__gt=len(sections)).delete()
    if not CharterVersion.objects.filter(is_current=True).exists():
        version.is_current = True
        version.save(update_fields=["is_current"])
    return version


def run(*, stdout) -> None:
    version = seed_version_1()
    for order, row in enumerate(charter_2014()["countersignatures"], start=1):
        Countersignature.objects.update_or_create(
            version=version,
            organisation=row["organisation"],
            defaults={
                "person": row.get("person", ""),
                "role": row["role"],
                "signed_on": SIGNING_DAY,
                "order": order,
            },
        )

    validated_at = datetime.datetime(2014, 9, 19, 17, 0, tzinfo=ZoneInfo("Europe/Paris"))
    listed = signatories_2014()
    poles = Pole.objects.in_bulk([row["slug"] for row in listed], field_name="slug")
    seeded = 0
    for row in listed:
        number, slug = row["number"], row["slug"]
        pole = poles.get(slug)
        if pole is None:
            stdout.write(f"charter seed: pôle « {slug} » absent, signature n° {number} ignorée")
            continue
        signature = Signature.objects.filter(
            version=version, pole=pole, signer__isnull=True, signed_on=SIGNING_DAY
        ).first()
        if signature is None:
            if Signature.objects.filter(
                version=version, pole=pole, status__in=Signature.ACTIVE_STATUSES
            ).exists():
                stdout.write(f"charter seed: « {slug} » a déjà une signature active, ignorée")
                continue
            signature = Signature(version=version, pole=pole, signed_on=SIGNING_DAY)
        signature.pole_name = pole.name
        signature.place = SIGNING_PLACE
        signature.commitment_build = True
        signature.commitment_community = True
        signature.consent_publication = True
        if signature.status == Signature.Status.SUBMITTED or signature.pk is None:
            signature.status = Signature.Status.VALIDATED
        if signature.status == Signature.Status.VALIDATED:
            signature.validated_at = signature.validated_at or validated_at
        if signature.register_number is None:
            taken = Signature.objects.filter(version=version, register_number=number).exclude(
                pk=signature.pk
            )
            if taken.exists():
                last = Signature.objects.filter(version=version).aggregate(n=Max("register_number"))
                number = (last["n"] or 0) + 1
            signature.register_number = number
        signature.full_clean()
        signature.save()
        if signature.status == Signature.Status.VALIDATED:
            pole_services.pole_set_signatory(pole=pole, signed=True, signed_on=pole_signed_on(pole))
        seeded += 1
    stdout.write(f"charter seed: version {version.number}, {seeded} signatures de 2014")
