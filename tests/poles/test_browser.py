"""Headless Chromium: the map shows the seeded signatories and its filter works; axe-core
finds no serious or critical violation on the directory, a pole page and the map."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def offline_tiles(settings):
    settings.MAP_TILE_URL = ""  # never fetch tiles from the network in tests


def test_map_shows_markers_and_filters(page, seeded_poles, offline_tiles):
    page.goto("/carte/")
    page.wait_for_selector("#poles-map.is-active .leaflet-marker-icon")
    # Markers and clusters together stand for the 40 signatories.
    total = page.evaluate("() => window.ptcePolesMap.cluster.getLayers().length")
    assert total == 40
    assert page.locator(".leaflet-marker-icon").count() > 5
    assert page.locator(".map-pole-list li").count() == 40
    # Popups link to the pole pages.
    page.evaluate(
        "() => { const m = window.ptcePolesMap.markers['culture-cooperation'];"
        " window.ptcePolesMap.cluster.zoomToShowLayer(m, () => m.openPopup()); }"
    )
    popup_link = page.locator(".leaflet-popup-content a")
    popup_link.wait_for()
    assert popup_link.get_attribute("href").endswith("/poles/culture-cooperation/")

    # The filter: open it, choose a region, apply.
    page.get_by_text("Filtrer la carte").click()
    page.get_by_label("Région", exact=True).select_option("pays-de-la-loire")
    page.get_by_role("button", name="Appliquer les filtres").click()
    page.wait_for_url(re.compile(r"region=pays-de-la-loire"))
    page.wait_for_selector("#poles-map.is-active .leaflet-marker-icon")
    assert page.evaluate("() => window.ptcePolesMap.cluster.getLayers().length") == 3
    assert page.locator(".map-pole-list li").count() == 3
    assert "3 pôles signataires" in page.locator(".map-count").inner_text()

    # The list is reachable with the keyboard.
    page.locator(".map-pole-list a").first.focus()
    assert page.evaluate("() => document.activeElement.closest('.map-pole-list') !== null")


def test_directory_search_without_javascript_features(page, seeded_poles):
    page.goto("/poles/")
    page.get_by_label("Rechercher").fill("ecossolies")
    page.get_by_role("button", name="Appliquer les filtres").click()
    page.wait_for_url(re.compile(r"q=ecossolies"))
    assert page.locator(".pole-card").count() == 1
    assert "Les Écossolies" in page.locator(".pole-card-title").inner_text()


@pytest.mark.parametrize(
    "url", ["/poles/", "/poles/ptce-sud-aquitain/", "/carte/", "/poles/?region=zzz"]
)
def test_accessibility(page, seeded_poles, offline_tiles, axe_check, url):
    page.goto(url)
    if url == "/carte/":
        page.wait_for_selector("#poles-map.is-active .leaflet-marker-icon")
    axe_check(page)
