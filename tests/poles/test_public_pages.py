"""Directory, pole page, map, embed and open data, on the seeded 40 signatories."""

import csv
import io
import json

import pytest

from poles.models import Pole, PoleMember, is_in_france
from tests.poles.factories import PoleFactory, PoleMemberFactory

pytestmark = pytest.mark.django_db


def slugs_in(response) -> list[str]:
    return [pole.slug for pole in response.context["poles"]]


def test_directory_lists_the_40_signatories_over_two_pages(client, seeded_poles):
    first = client.get("/poles/")
    assert first.status_code == 200
    assert first.context["count"] == 40
    assert len(first.context["poles"]) == 20
    assert "40 pôles" in first.content.decode()
    second = client.get("/poles/?page=2")
    assert len(second.context["poles"]) == 20
    assert set(slugs_in(first)).isdisjoint(slugs_in(second))


def test_directory_shows_region_and_departments_of_the_seed(client, seeded_poles):
    html = client.get("/poles/?q=sud+aquitain").content.decode()
    assert "PTCE Sud Aquitain" in html
    assert "Landes (40)" in html and "Pyrénées-Atlantiques (64)" in html
    assert "ex-Aquitaine" in html


@pytest.mark.parametrize("query", ["ecossolies", "ÉCOSSOLIES", "Écossolies", "ecossolie"])
def test_search_ignores_accents_and_case(client, seeded_poles, query):
    response = client.get("/poles/", {"q": query})
    assert slugs_in(response) == ["les-ecossolies-le-solilab"]


def test_search_on_carrier_and_town_and_typos(client, seeded_poles):
    assert slugs_in(client.get("/poles/", {"q": "juratri"})) == ["clus-ter-jura"]
    assert "culture-cooperation" in slugs_in(client.get("/poles/", {"q": "saint etienne"}))
    assert "domb-innov" in slugs_in(client.get("/poles/", {"q": "dombinnov"})) or slugs_in(
        client.get("/poles/", {"q": "domb innov"})
    ) == ["domb-innov"]
    assert slugs_in(client.get("/poles/", {"q": "zzzzqqq"})) == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"region": "ile-de-france"}, 8),
        ({"ancienne_region": "ex-rhone-alpes"}, 6),
        ({"departement": "93"}, 4),  # Resto Passerelle, PHARES, Projet 99->200, Fontaine O Livres
        ({"departement": "44"}, 3),
        # La Coursive Boutaric (report), no. 33 and Culture & Coopération (deduced from their
        # names); Fontaine O Livres's theme, guessed from nothing, went (issue 15).
        ({"theme": "culture-industries-creatives"}, 3),
        ({"maturite": "emerging"}, 1),
        ({"statut": "signatory"}, 40),
        ({"statut": "engaged"}, 0),
        ({"laureat": "aap-ptce-2013"}, 5),
        ({"laureat": "aap-ptce-2015"}, 1),
        ({"laureat": "oui"}, 6),
        ({"region": "provence-alpes-cote-d-azur", "theme": "eco-activites"}, 2),
    ],
)
def test_directory_filters(client, seeded_poles, params, expected):
    response = client.get("/poles/", params)
    assert response.status_code == 200
    assert response.context["count"] == expected
    assert not response.context["invalid_filters"]


def test_unknown_filter_values_give_a_clear_message_not_a_500(client, seeded_poles):
    response = client.get("/poles/", {"region": "atlantide", "maturite": "vieux", "theme": "x"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "« atlantide » n'est pas une valeur reconnue pour le filtre « Région »" in html
    assert "vieux" in html
    assert response.context["count"] == 40  # the unknown filters are ignored, and said so


@pytest.mark.parametrize("page", ["abc", "0", "-3", "999", "1.5", "%00", "9" * 40])
def test_malformed_page_numbers(client, seeded_poles, page):
    response = client.get("/poles/", {"page": page})
    assert response.status_code == 200
    assert len(response.context["poles"]) == 20


def test_filters_are_kept_in_pagination_and_export_links(client, seeded_poles):
    html = client.get("/poles/", {"statut": "signatory"}).content.decode()
    assert "?statut=signatory&amp;page=2" in html
    assert "/api/poles.csv?statut=signatory" in html


def test_unpublished_poles_are_hidden(client, seeded_poles):
    PoleFactory(name="Pôle caché", slug="pole-cache", is_published=False)
    assert "pole-cache" not in slugs_in(client.get("/poles/", {"q": "caché"}))
    assert client.get("/poles/pole-cache/").status_code == 404
    assert client.get("/api/poles.json").json()["poles"][0]["slug"] != "pole-cache"


def test_pole_page(client, seeded_poles):
    pole = Pole.objects.get(slug="ptce-sud-aquitain")
    PoleMemberFactory(pole=pole, name="SCIC A", category=PoleMember.Category.ESS_ENTERPRISE)
    PoleMemberFactory(pole=pole, name="SCIC B", category=PoleMember.Category.ESS_ENTERPRISE)
    PoleMemberFactory(pole=pole, name="Agglo", category=PoleMember.Category.LOCAL_AUTHORITY)
    response = client.get("/poles/ptce-sud-aquitain/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "CBE du Seignanx" in html and "Landes, Pays Basque" in html
    counts = {row["category"]: row["count"] for row in response.context["member_counts"]}
    assert counts["ess"] == 2 and counts["authority"] == 1 and counts["research"] == 0
    assert "Nouvelle-Aquitaine" in html and "Aquitaine" in html
    assert 'id="pole-map"' in html
    assert client.get("/poles/inconnu/").status_code == 404


def test_pole_page_shows_calls_won_and_contact_only_with_consent(client, seeded_poles):
    pole = Pole.objects.get(slug="ptce-pays-de-bray")
    pole.contact_email = "contact@bray.example"
    pole.save()
    html = client.get(pole.get_absolute_url()).content.decode()
    assert "Premier appel à projets national PTCE (2013)" in html
    assert "contact@bray.example" not in html
    pole.contact_is_public = True
    pole.save()
    assert "contact@bray.example" in client.get(pole.get_absolute_url()).content.decode()


def test_map_page_has_list_counts_and_data(client, seeded_poles):
    response = client.get("/carte/")
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["count"] == 40
    counts = {row["region__code"]: row["count"] for row in response.context["region_counts"]}
    assert counts["ile-de-france"] == 8 and sum(counts.values()) == 40
    assert html.count('<li data-slug="') == 40
    assert 'data-points="/carte/points.geojson"' in html and "leaflet.markercluster.js" in html
    filtered = client.get("/carte/", {"region": "bretagne"})
    assert filtered.context["count"] == 1
    assert response["X-Frame-Options"] == "DENY"


def test_embed_is_frameable_and_only_it(client, seeded_poles):
    embed = client.get("/carte/embed/", {"region": "pays-de-la-loire"})
    assert embed.status_code == 200
    assert "X-Frame-Options" not in embed
    assert embed.context["count"] == 3
    for url in ("/poles/", "/carte/", "/donnees/", "/poles/pole-sud/"):
        assert client.get(url)["X-Frame-Options"] == "DENY"


def test_geojson(client, seeded_poles):
    response = client.get("/api/poles.geojson")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == 40
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        lon, lat = feature["geometry"]["coordinates"]
        assert is_in_france(lat, lon), feature["id"]
        assert set(feature["properties"]) >= {
            "name",
            "slug",
            "url",
            "region",
            "departments",
            "status",
            "themes",
            "signature_date",
        }
    sud = next(f for f in data["features"] if f["id"] == "ptce-sud-aquitain")
    assert sud["properties"]["departments"] == ["40", "64"]
    assert sud["properties"]["url"].endswith("/poles/ptce-sud-aquitain/")


def test_csv_opens_in_a_french_spreadsheet_with_40_rows(client, seeded_poles):
    response = client.get("/api/poles.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    header, data = rows[0], rows[1:]
    assert header[:3] == ["slug", "nom", "structure_porteuse"]
    assert len(data) == 40
    sud = next(row for row in data if row[0] == "ptce-sud-aquitain")
    record = dict(zip(header, sud, strict=True))
    assert record["departements"] == "40, 64"
    assert record["ancienne_region"] == "Aquitaine"
    assert "," in record["latitude"]  # French decimal comma


def test_json_and_filters_are_honoured_by_every_format(client, seeded_poles):
    data = client.get("/api/poles.json", {"departement": "44"}).json()
    assert data["licence"].startswith("Licence Ouverte 2.0")
    assert {p["slug"] for p in data["poles"]} == {
        "ptce-pays-d-ancenis",
        "ptce-nola",
        "les-ecossolies-le-solilab",
    }
    geo = json.loads(client.get("/api/poles.geojson", {"q": "ecossolies"}).content)
    assert [f["id"] for f in geo["features"]] == ["les-ecossolies-le-solilab"]
    text = client.get("/api/poles.csv", {"region": "bretagne"}).content.decode("utf-8-sig")
    assert len(text.strip().splitlines()) == 2


def test_api_rejects_unknown_filter_values_clearly(client, seeded_poles):
    response = client.get("/api/poles.geojson", {"region": "mordor"})
    assert response.status_code == 400
    body = response.json()
    assert body["erreur"] == "Valeur de filtre non reconnue."
    assert "region" in body["filtres"]


def test_open_data_page(client, seeded_poles):
    html = client.get("/donnees/").content.decode()
    assert "Licence Ouverte 2.0" in html
    for field in ("date_signature_charte", "departements", "ancienne_region", "/api/poles.geojson"):
        assert field in html


def test_home_figures(client, seeded_poles):
    from poles.selectors import home_figures

    figures = home_figures()
    assert figures["signatory_poles"]["value"] == 40
    assert figures["laureates"]["value"] == 23
    assert "40" in client.get("/").content.decode()


def test_charter_signature_shows_through_the_charter_app(client):
    """poles shows the date its pole signed (stored by the charter's services) and the block
    the charter contributes to the pole page."""
    from django.core.management import call_command

    call_command("seed_ptce", only=["poles", "charter"], stdout=io.StringIO())
    geo = json.loads(client.get("/api/poles.geojson", {"q": "ardaines"}).content)
    assert geo["features"][0]["properties"]["signature_date"] == "2014-09-19"
    html = client.get("/poles/ardaines/").content.decode()
    assert "19 septembre 2014" in html


@pytest.mark.parametrize(
    "query",
    [
        "q=%00abc",
        "region=%00",
        "departement=%00",
        "theme=a%00",
        "laureat=%00",
        "maturite=%00",
        "q=" + "a" * 300,
        "q=%25%25_%5C",
        "region=ile-de-france&region=bretagne",
        "page=%00",
    ],
)
@pytest.mark.parametrize("path", ["/poles/", "/carte/", "/carte/embed/", "/api/poles.csv"])
def test_hostile_parameters_never_cause_a_500(client, path, query):
    PoleFactory()
    response = client.get(f"{path}?{query}")
    assert response.status_code in (200, 400)


def test_tile_server_comes_from_the_settings(client, settings):
    settings.MAP_TILE_URL = "https://tuiles.example/{z}/{x}/{y}.png"
    PoleFactory()
    html = client.get("/carte/").content.decode()
    assert 'data-tiles="https://tuiles.example/{z}/{x}/{y}.png"' in html
    assert "tile.openstreetmap.org" not in html
