"""The 2014 list exactly as published (annex 3 of the report) beside today's normalised
values, and the 2014 signatures said to be signed at the national day, not validated by staff."""

import csv
import io

import pytest
from django.utils.html import escape

from charter.models import Signature
from charter.seed import signatories_2014
from tests.sources import in_report

pytestmark = pytest.mark.django_db


def test_the_printed_list_is_the_reports():
    for row in signatories_2014():
        assert in_report(f"{row['number']} {row['region']}"), row["number"]
        assert in_report(row["name"]), row["name"]


def test_signatories_page_shows_the_2014_list_as_printed_beside_todays_values(
    client, seeded_charter
):
    html = client.get("/charte/signataires/").content.decode()
    for printed in (
        "Ile-de-France",
        "PACA",
        "Deux Sèvres",
        "Alpes-de-Hte-Pce",
        "Nord-Est Francilien",
        "PTCE Sud Aquitain (CBE du Seignanx)",
        "PTCE coopérative des lacs de l'essonne",
        "Les Ecossolies – Le Solilab",
    ):
        assert escape(printed) in html, printed
    # Today's normalised values beside them.
    for today in ("Île-de-France", "Provence-Alpes-Côte d'Azur", "Paris (75)", "Les Écossolies"):
        assert escape(today) in html, today
    assert "tels qu'imprimés" in html


def test_signatories_csv_carries_the_printed_values(client, seeded_charter):
    body = client.get("/charte/signataires/export.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body), delimiter=";"))
    by_number = {row["numero"]: row for row in rows}
    assert by_number["25"]["region_publiee_2014"] == "PACA"
    assert by_number["25"]["region"] == "Provence-Alpes-Côte d'Azur"
    assert by_number["12"]["departements_publies_2014"] == "Nord-Est Francilien"
    assert by_number["12"]["departements"] == "Paris, Seine-Saint-Denis"
    assert by_number["10"]["region_publiee_2014"] == "Ile-de-France"
    assert by_number["2"]["nom_publie_2014"] == "PTCE Sud Aquitain (CBE du Seignanx)"


def test_a_2014_signature_was_signed_at_the_national_day_not_validated_by_staff(
    client, seeded_charter
):
    signature = Signature.objects.get(register_number=1, signed_on="2014-09-19")
    assert signature.signed_at_national_day_2014
    html = client.get(signature.get_verification_url()).content.decode()
    assert "lors de la deuxième" in html and "journée nationale des PTCE" in html
    assert "a validé cette signature" not in html
    assert "Validée le" not in html
    assert "annexe 3" in html


def test_home_page_says_which_regions_it_counts(client, seeded_charter):
    html = client.get("/").content.decode()
    assert escape("régions d'aujourd'hui représentées") in html
