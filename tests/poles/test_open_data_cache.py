"""Open data built once per version of the poles, served from the cache, revalidated (ETag,
Last-Modified, 304) and compressed; a staff edit in the admin, a coordinator's edit or a
bulk publication changes the next file (never a stale copy)."""

import csv
import gzip
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from poles.models import Pole
from poles.services import poles_set_published
from tests.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db

FILES = ["/api/poles.geojson", "/api/poles.csv", "/api/poles.json"]


def names_in(client, url) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode("utf-8-sig")
    if url.endswith(".geojson"):
        return {f["properties"]["name"] for f in json.loads(body)["features"]}
    if url.endswith(".json"):
        return {p["nom"] for p in json.loads(body)["poles"]}
    return {row["nom"] for row in csv.DictReader(io.StringIO(body), delimiter=";")}


def test_a_staff_edit_in_the_admin_changes_the_next_files(client, staff_client, seeded_poles):
    pole = Pole.objects.get(slug="ecooparc")
    before = {url: names_in(client, url) for url in FILES}
    assert all(pole.name in names for names in before.values())
    with CaptureQueriesContext(connection) as warm:
        assert names_in(client, FILES[0]) == before[FILES[0]]
    assert len(warm.captured_queries) == 0  # from the cache

    url = f"/admin/poles/pole/{pole.pk}/change/"
    data = admin_form_data(staff_client.get(url))
    data["name"] = "Écooparc renommé par l'équipe"
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    for url in FILES:
        names = names_in(client, url)
        assert "Écooparc renommé par l'équipe" in names and pole.name not in names, url


def test_an_unpublication_by_update_changes_the_next_files(client, seeded_poles):
    pole = Pole.objects.get(slug="ecooparc")
    assert all(pole.name in names_in(client, url) for url in FILES)
    poles_set_published(poles=[pole], published=False)  # QuerySet.update(): no signal
    assert all(pole.name not in names_in(client, url) for url in FILES)


def test_revalidation_answers_304_until_a_pole_changes(client, seeded_poles):
    first = client.get("/api/poles.geojson")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag and modified and first["Cache-Control"] == "public, no-cache"

    again = client.get("/api/poles.geojson", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    by_date = client.get("/api/poles.geojson", headers={"If-Modified-Since": modified})
    assert by_date.status_code == 304
    other = client.get("/api/poles.geojson", headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200

    pole = Pole.objects.get(slug="ecooparc")
    pole.short_description = "Changée."
    pole.save()
    changed = client.get("/api/poles.geojson", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_compressed_when_the_client_accepts_it(client, seeded_poles):
    plain = client.get("/api/poles.geojson")
    assert "Content-Encoding" not in plain and "Accept-Encoding" in plain["Vary"]
    packed = client.get("/api/poles.geojson", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content) / 3
    # The compressed file's tag validates the plain one and back (same content).
    assert (
        client.get("/api/poles.geojson", headers={"If-None-Match": packed["ETag"]}).status_code
        == 304
    )
    refused = client.get("/api/poles.geojson", headers={"Accept-Encoding": "gzip;q=0, br"})
    assert "Content-Encoding" not in refused


def test_each_filter_has_its_own_file_and_bad_filters_are_not_cached(client, seeded_poles):
    region = client.get("/api/poles.geojson", {"region": "bretagne"})
    everything = client.get("/api/poles.geojson")
    assert region["ETag"] != everything["ETag"]
    assert len(json.loads(region.content)["features"]) < len(
        json.loads(everything.content)["features"]
    )
    # The same filters in another order, with an empty or unknown parameter: the same file.
    same = client.get("/api/poles.geojson", {"q": "", "region": "bretagne", "utm": "x"})
    assert same["ETag"] == region["ETag"]
    bad = client.get("/api/poles.geojson", {"region": "mordor"})
    assert bad.status_code == 400 and "ETag" not in bad


def test_csv_is_a_download_with_cors(client, seeded_poles):
    response = client.get("/api/poles.csv")
    assert response["Content-Disposition"] == 'attachment; filename="poles-ptce.csv"'
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.content.startswith("\ufeff".encode())


def test_each_language_has_its_own_file(client, seeded_poles):
    french = json.loads(client.get("/api/poles.json").content)["poles"][0]["statut_libelle"]
    client.cookies["django_language"] = "en"
    english = json.loads(client.get("/api/poles.json").content)["poles"][0]["statut_libelle"]
    assert french != english
