"""/carte/: the page holds counts and one page of the list, never the points, so its size does
not grow with the number of poles; the points come from /carte/points.geojson, compact and
cached like the open data; the tile source and its attribution come from the settings."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from poles.models import Pole
from ptce_portal.map_tiles import PLAN_IGN_URL, tile_attribution
from tests.poles.factories import (
    CallForProjectsFactory,
    DepartmentFactory,
    FormerRegionFactory,
    PoleFactory,
    RegionFactory,
    ThemeFactory,
)
from tests.poles.test_query_counts import add_poles

pytestmark = pytest.mark.django_db

# The target of issue 13: the map page under 100 KB whatever the number of poles.
MAP_PAGE_BOUND = 100_000


def points(client, query="") -> dict:
    response = client.get("/carte/points.geojson" + (f"?{query}" if query else ""))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    return json.loads(response.content)


def test_the_map_page_size_does_not_grow_with_the_number_of_poles(client):
    region = RegionFactory(code="r-1")
    former = FormerRegionFactory(code="ex-r-1")
    departments = [DepartmentFactory(region=region, former_region=former) for _ in range(3)]
    themes = [ThemeFactory(slug="t-1")]
    call = CallForProjectsFactory()

    add_poles(1, 41, departments=departments, themes=themes, call=call)
    small = client.get("/carte/").content
    add_poles(41, 3001, departments=departments, themes=themes, call=call)
    response = client.get("/carte/")
    large = response.content

    print(f"\n/carte/ bytes: 40 poles {len(small)}, 3000 poles {len(large)}")
    assert response.context["count"] == 3000
    assert len(small) < MAP_PAGE_BOUND and len(large) < MAP_PAGE_BOUND
    # One page of the list (50 names) and its pagination: a constant, whatever N.
    assert len(large) - len(small) < 6_000
    html = large.decode()
    assert html.count('<li data-slug="') == 50
    assert "Pôle 03000" not in html and "47.9" not in html  # no point in the page
    assert 'data-points="/carte/points.geojson"' in html
    assert len(points(client)["features"]) == 3000


def test_the_list_without_javascript_is_paginated_and_keeps_the_filters(client):
    region = RegionFactory(code="bretagne", name="Bretagne")
    department = DepartmentFactory(region=region)
    for i in range(55):
        PoleFactory(name=f"Pôle breton {i:02d}", department=department)
    PoleFactory(name="Pôle d'ailleurs")
    first = client.get("/carte/", {"region": "bretagne"})
    assert first.context["count"] == 55
    html = first.content.decode()
    assert html.count('<li data-slug="') == 50
    assert 'href="?region=bretagne&amp;page=2"' in html
    second = client.get("/carte/", {"region": "bretagne", "page": 2})
    assert second.content.decode().count('<li data-slug="') == 5
    assert 'start="51"' in second.content.decode()
    # The map's points follow the filter, not the page.
    assert 'data-points="/carte/points.geojson?region=bretagne"' in second.content.decode()
    assert len(points(client, "region=bretagne&page=2")["features"]) == 55


def test_points_are_compact_and_only_the_signatories_with_coordinates(client):
    pole = PoleFactory(
        name="Pôle des Tests",
        slug="pole-des-tests",
        carrier_structure="Association Test",
        town="Figeac",
        latitude=44.6086111,
        longitude=2.0319444,
    )
    PoleFactory(status=Pole.Status.ENGAGED)
    PoleFactory(latitude=None, longitude=None)
    PoleFactory(is_published=False)
    data = points(client)
    assert [f["id"] for f in data["features"]] == ["pole-des-tests"]
    feature = data["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [2.03194, 44.60861]}
    department = pole.departments.get()
    assert feature["properties"] == {
        "n": "Pôle des Tests",
        "c": "Association Test",
        "t": "Figeac",
        "d": [department.code],
        "r": department.region.name,
    }


def test_points_come_from_the_cache_and_a_change_is_seen_at_once(client, staff_client):
    pole = PoleFactory(name="Avant")
    points(client)
    with CaptureQueriesContext(connection) as warm:
        response = client.get("/carte/points.geojson", HTTP_ACCEPT_ENCODING="gzip")
    assert len(warm.captured_queries) == 0
    assert response["Content-Encoding"] == "gzip"
    etag = response["ETag"]
    assert client.get("/carte/points.geojson", HTTP_IF_NONE_MATCH=etag).status_code == 304

    pole.name = "Après"
    pole.save()
    assert [f["properties"]["n"] for f in points(client)["features"]] == ["Après"]
    assert client.get("/carte/points.geojson", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_unrecognised_filters_are_ignored_by_the_points_as_by_the_page(client):
    PoleFactory()
    page = client.get("/carte/", {"region": "nulle-part"})
    assert page.status_code == 200 and page.context["invalid_filters"]
    assert 'data-points="/carte/points.geojson"' in page.content.decode()
    assert len(points(client, "region=nulle-part")["features"]) == 1


def test_tile_url_and_translated_attribution(client, settings):
    PoleFactory()
    settings.MAP_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = ""
    with translation.override("fr"):
        french = str(tile_attribution())
    with translation.override("en"):
        english = str(tile_attribution())
    assert "contributeurs" in french and "contributors" in english
    html = client.get("/carte/").content.decode()
    assert "contributeurs" in html
    client.cookies["django_language"] = "en"
    with translation.override("fr"):  # the request activates English: do not leak it
        assert "contributors" in client.get("/carte/").content.decode()

    settings.MAP_TILE_URL = PLAN_IGN_URL
    assert "Plan IGN" in str(tile_attribution())
    settings.MAP_TILE_ATTRIBUTION = "© Tuiles de test"
    assert tile_attribution() == "© Tuiles de test"
