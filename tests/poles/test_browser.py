"""Headless Chromium: the map shows the seeded signatories and its filter works; axe-core
finds no serious or critical violation on the directory, a pole page and the map."""

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def offline_tiles(settings):
    settings.MAP_TILE_URL = ""  # never fetch tiles from the network in tests


MAP_READY = "#poles-map[data-state=ready] .leaflet-marker-icon"


def test_map_shows_markers_and_filters(page, seeded_poles, offline_tiles):
    geojson = []
    page.on(
        "response",
        lambda r: geojson.append(r.status) if "/carte/points.geojson" in r.url else None,
    )
    page.goto("/carte/")
    page.wait_for_selector(MAP_READY)
    assert geojson == [200]  # the points come from the cached GeoJSON, not the page
    # Markers and clusters together stand for the 40 signatories.
    total = page.evaluate("() => window.ptcePolesMap.cluster.getLayers().length")
    assert total == 40
    assert page.locator(".leaflet-marker-icon").count() > 5
    assert page.locator(".map-pole-list li").count() == 40
    # Clicking a single marker opens its popup, which links to the pole page.
    page.evaluate(
        "() => new Promise(done => window.ptcePolesMap.cluster.zoomToShowLayer("
        "window.ptcePolesMap.markers['culture-cooperation'], done))"
    )
    page.locator(".leaflet-marker-icon[title='Culture & Coopération']").click()
    popup_link = page.locator(".leaflet-popup-content a")
    popup_link.wait_for()
    assert popup_link.get_attribute("href") == "/poles/culture-cooperation/"
    assert "Culture & Coopération" in page.locator(".leaflet-popup-content").inner_text()
    # « Localiser » in the list opens the same popup.
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Localiser sur la carte : Les Écossolies – Le Solilab").click()
    page.wait_for_selector(".leaflet-popup-content a[href='/poles/les-ecossolies-le-solilab/']")

    # The filter: open it, choose a region, apply.
    page.get_by_text("Filtrer la carte").click()
    page.get_by_label("Région", exact=True).select_option("pays-de-la-loire")
    page.get_by_role("button", name="Appliquer les filtres").click()
    page.wait_for_url(re.compile(r"region=pays-de-la-loire"))
    page.wait_for_selector(MAP_READY)
    assert page.evaluate("() => window.ptcePolesMap.cluster.getLayers().length") == 3
    assert page.locator(".map-pole-list li").count() == 3
    assert "3 pôles signataires" in page.locator(".map-count").inner_text()

    # Without tiles, the departments' outlines and names keep the map legible when zoomed.
    page.wait_for_selector("#poles-map[data-outline-state=departments]")
    page.evaluate("() => window.ptcePolesMap.map.setView([47.2, -1.55], 8, {animate: false})")
    page.wait_for_selector(".department-label:has-text('Loire-Atlantique (44)')")

    # The list is reachable with the keyboard.
    page.locator(".map-pole-list a").first.focus()
    assert page.evaluate("() => document.activeElement.closest('.map-pole-list') !== null")


def click_until_shown(target, shown, attempts: int = 3) -> None:
    """Click `target` until `shown` is visible (a few tries, 4 s each), then wait for it as
    usual: Leaflet may swallow a click made during one of its animations."""
    for _attempt in range(attempts):
        target.click()
        try:
            shown.wait_for(state="visible", timeout=4000)
            return
        except PlaywrightTimeoutError:
            continue
    shown.wait_for(state="visible")


def test_poles_on_the_same_spot_spread_apart(page, offline_tiles):
    from tests.poles.factories import PoleFactory

    PoleFactory(name="Pôle jumeau A", latitude=47.2, longitude=-1.55)
    PoleFactory(name="Pôle jumeau B", latitude=47.2, longitude=-1.55)
    page.goto("/carte/")
    page.wait_for_selector("#poles-map[data-state=ready] .marker-cluster")
    # A click during the cluster's own animation may be swallowed.
    click_until_shown(
        page.locator(".marker-cluster"),
        page.locator(".leaflet-marker-icon[title='Pôle jumeau B']"),
    )
    # The spread is animated (markercluster's spiderfy): wait until the two twins stand apart
    # rather than measuring them halfway; fails after the timeout if they never do.
    page.wait_for_function(
        """() => {
          const [a, b] = ["A", "B"].map((x) => document
            .querySelector(`.leaflet-marker-icon[title='Pôle jumeau ${x}']`)
            .getBoundingClientRect());
          return Math.abs(a.x - b.x) + Math.abs(a.y - b.y) > 20;
        }""",
        timeout=5000,
    )
    boxes = [
        page.locator(f".leaflet-marker-icon[title='Pôle jumeau {x}']").bounding_box() for x in "AB"
    ]
    assert abs(boxes[0]["x"] - boxes[1]["x"]) + abs(boxes[0]["y"] - boxes[1]["y"]) > 20
    # Likewise a click while the spread settles.
    click_until_shown(
        page.locator(".leaflet-marker-icon[title='Pôle jumeau A']"),
        page.locator(".leaflet-popup-content:has-text('Pôle jumeau A')"),
    )

    # From zoom 13 the map no longer clusters (nor spreads): one popup names both poles.
    page.evaluate(
        "() => { const map = window.ptcePolesMap.map; map.closePopup();"
        " map.setView([47.2, -1.55], 14, {animate: false}); }"
    )
    page.wait_for_function("() => !document.querySelector('.marker-cluster')")
    page.locator(".leaflet-marker-icon[title='Pôle jumeau A']").click(force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "Pôle jumeau A" in popup.inner_text() and "Pôle jumeau B" in popup.inner_text()


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
        page.wait_for_selector(MAP_READY)
    axe_check(page)
