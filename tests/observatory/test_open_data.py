"""The observatory's open data: aggregates (CSV, JSON) with suppressed cells empty and
marked, per-pole figures only where the pole agreed to publish them; Licence Ouverte 2.0,
ETag revalidation."""

import csv
import io
import json

import pytest

from observatory.models import Report
from tests.observatory.public_helpers import report
from tests.poles.factories import PoleFactory

pytestmark = pytest.mark.django_db


def _csv(response) -> list[dict]:
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_aggregates_json_states_the_licence_and_hides_small_cells(client):
    for _ in range(4):
        report(year=2025)
    for jobs in (10, 20, 30, 40, 50):
        report(year=2026, jobs=jobs)
    response = client.get("/observatoire/donnees/agregats.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["licence"] == "Licence Ouverte 2.0 (Etalab)"
    assert "moins de 5 pôles" in document["regle_de_secret"]
    national = [r for r in document["agregats"] if r["zone_code"] == "france"]
    poles = {r["annee"]: r for r in national if r["indicateur"] == "poles"}
    assert poles[2025]["valeur"] is None and poles[2025]["masque"] is True
    assert poles[2026]["valeur"] == 5 and poles[2026]["masque"] is False
    median_2026 = next(
        r
        for r in national
        if r["annee"] == 2026 and r["indicateur"] == "jobs_people" and r["mesure"] == "mediane"
    )
    assert median_2026["valeur"] == 30
    assert all(
        r["valeur"] is None for r in national if r["annee"] == 2025
    )  # 4 poles: nothing at all


def test_aggregates_csv_for_a_french_spreadsheet(client):
    for _ in range(5):
        report(year=2026)
    response = client.get("/observatoire/donnees/agregats.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv(response)
    assert rows[0]["annee"] == "2026" and rows[0]["zone"] == "France"
    fte = next(r for r in rows if r["indicateur"] == "jobs_fte" and r["mesure"] == "mediane")
    assert fte["valeur"] == "8"  # 10 jobs × 0.8, decimal comma when there is a fraction
    region_rows = [r for r in rows if r["zone_code"] != "france"]
    # Every pole of the factory is in its own region: a region of one pole shows nothing,
    # not even the zeros of its bands (they would tell which band its pole is in).
    assert region_rows and all(r["valeur"] == "" for r in region_rows)
    assert all(r["masque"] == "< 5 pôles" for r in region_rows)


def test_per_pole_data_holds_only_published_figures_of_accepted_reports(client):
    open_pole = PoleFactory(name="Pôle ouvert")
    report(year=2026, pole=open_pole, publish=True, jobs=12)
    shy = PoleFactory(name="Pôle discret")
    report(year=2026, pole=shy, publish=False, jobs=99)
    partial = PoleFactory(name="Pôle partiel")
    report(year=2026, pole=partial, publish=False, publish_jobs=True, jobs=7)
    pending = PoleFactory(name="Pôle en attente")
    report(year=2026, pole=pending, publish=True, state=Report.State.SUBMITTED, jobs=55)
    hidden = PoleFactory(name="Pôle non publié", is_published=False)
    report(year=2026, pole=hidden, publish=True, jobs=44)

    document = json.loads(client.get("/observatoire/donnees/poles.json").content)
    assert document["licence"] == "Licence Ouverte 2.0 (Etalab)"
    by_name = {record["pole"]: record for record in document["poles"]}
    assert set(by_name) == {"Pôle ouvert", "Pôle partiel"}
    assert by_name["Pôle ouvert"]["chiffres"]["jobs_people"] == 12
    assert by_name["Pôle ouvert"]["chiffres"]["turnover_band"] == "de 50 000 à 500 000 €"
    assert by_name["Pôle partiel"]["chiffres"] == {"jobs_people": 7, "jobs_fte": 5.6}

    rows = _csv(client.get("/observatoire/donnees/poles.csv"))
    partial_row = next(r for r in rows if r["pole"] == "Pôle partiel")
    assert partial_row["jobs_people"] == "7" and partial_row["members_ess"] == ""
    assert "99" not in client.get("/observatoire/donnees/poles.csv").content.decode()


def test_open_data_is_revalidated_with_its_etag_until_a_report_is_accepted(client):
    for _ in range(5):
        report(year=2026)
    pending = report(year=2026, state=Report.State.SUBMITTED)
    url = "/observatoire/donnees/agregats.json"
    first = client.get(url)
    etag = first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    pending.state = Report.State.ACCEPTED
    pending.save()
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200
    assert json.loads(again.content)["agregats"][0]["valeur"] == 6


def test_open_data_query_counts_are_flat(client):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ptce_portal.cached_documents import document_cache

    def count(url):
        cache.clear()
        document_cache().clear()  # build it again
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    for _ in range(5):
        report(year=2026, publish=True)
    small = {
        url: count(url)
        for url in ("/observatoire/donnees/poles.json", "/observatoire/donnees/agregats.csv")
    }
    for year in (2024, 2025):
        for _ in range(8):
            report(year=year, publish=True)
    large = {url: count(url) for url in small}
    assert large == small, (small, large)
