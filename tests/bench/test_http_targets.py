"""`make bench` over HTTP checks issue 13's targets (bench/targets.toml, [http])."""

import tomllib
from pathlib import Path

from bench import over_http

TARGETS = tomllib.loads(
    (Path(__file__).resolve().parents[2] / "bench" / "targets.toml").read_text()
)


def result(**figures) -> dict:
    base = {
        "ratio_pct": 80.0,
        "quiet_p95_ms": 5.0,
        "kb": 20.0,
        "sent_kb": 5.0,
        "errors": 0,
        "non_2xx": 0,
        "revalidation_status": 304,
    }
    return {**base, **figures}


def targets(name: str, kind: str) -> dict:
    return over_http._targets(name, kind, TARGETS["http"])


def test_anonymous_pages_need_half_the_bare_view_and_signed_in_pages_a_tenth():
    assert over_http.check(result(ratio_pct=50.0), targets("charte", "anonymous"), None) == []
    assert over_http.check(result(ratio_pct=49.9), targets("charte", "anonymous"), None)
    assert over_http.check(result(ratio_pct=10.0), targets("mon_espace", "signed_in"), None) == []
    assert over_http.check(result(ratio_pct=9.9), targets("mon_espace", "signed_in"), None)


def test_open_data_is_revalidated_compressed_and_fast():
    data = targets("api_geojson", "data")
    assert over_http.check(result(), data, None) == []
    assert over_http.check(result(revalidation_status=200), data, None)
    assert over_http.check(result(sent_kb=1600.0), data, None)
    assert over_http.check(result(quiet_p95_ms=101.0), data, None)


def test_the_directory_may_not_grow_more_than_half_again_from_40_poles():
    directory = targets("annuaire", "anonymous")
    at_40 = {"quiet_p95_ms": 10.0}
    assert over_http.check(result(quiet_p95_ms=15.0), directory, at_40) == []
    missed = over_http.check(result(quiet_p95_ms=16.0), directory, at_40)
    assert missed and "40 pôles" in missed[0]
    assert over_http.check(result(quiet_p95_ms=31.0), directory, None)  # 30 ms at most


def test_the_map_page_stays_under_100_kb_and_errors_count():
    assert over_http.check(result(kb=120.0), targets("carte", "anonymous"), None)
    assert over_http.check(result(errors=3), targets("accueil", "anonymous"), None)


def test_the_map_in_chromium_places_its_markers_and_answers_a_click_within_2_s():
    limit = targets("carte_navigateur", "browser")
    assert over_http.check_browser({"answered_ms": 1900}, limit) == []
    missed = over_http.check_browser({"answered_ms": 2100}, limit)
    assert missed and "2100 ms > 2000 ms" in missed[0]
    assert over_http.check_browser({"error": "Chromium introuvable"}, limit)
