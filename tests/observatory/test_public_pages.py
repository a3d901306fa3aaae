"""/observatoire/: aggregates of the accepted reports only, nothing under 5 poles, the
filter, the charts with their tables, the page cache; the pole page's block."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from observatory.models import Report
from tests.observatory.public_helpers import report
from tests.poles.factories import PoleFactory, RegionFactory

pytestmark = pytest.mark.django_db

URL = "/observatoire/"


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_four_accepted_poles_show_nothing_five_show_the_aggregates(client):
    for jobs in (10, 20, 30, 40):
        report(jobs=jobs)
    page = _text(client.get(URL))
    assert "Moins de 5 pôles ont un rapport accepté" in page
    assert "Structures membres par catégorie" not in page
    assert ">4<" not in page  # not even the count
    report(jobs=50)
    page = _text(client.get(URL))
    assert "Structures membres par catégorie" in page
    assert 'role="img"' in page
    # The median of 10, 20, 30, 40, 50 jobs, with its quartiles, in the table.
    assert ">30<" in page and ">20<" in page and ">40<" in page
    assert "<strong>5</strong>" in page


def test_only_accepted_reports_count(client):
    for _ in range(4):
        report()
    for state in (Report.State.DRAFT, Report.State.SUBMITTED, Report.State.RETURNED):
        report(state=state)
    page = _text(client.get(URL))
    assert "Moins de 5 pôles ont un rapport accepté" in page


def test_a_small_band_is_suppressed_and_explained(client):
    for _ in range(6):
        report(turnover="50k-500k")
    report(turnover="lt-50k")
    page = _text(client.get(URL))
    assert "&lt; 5 pôles" in page
    assert "retrouver un tel chiffre par soustraction" in page
    # The lonely band and the one hidden with it: neither 1 nor 6 appears as a band count.
    assert not re.search(r'moins de 50 000 €</th> <td class="num">1<', page)


def test_the_region_filter_and_the_year_filter(client):
    south = RegionFactory(code="sud", name="Sud")
    north = RegionFactory(code="nord", name="Nord")
    for _ in range(5):
        report(year=2025, pole=PoleFactory(region=south, department__region=south))
    for _ in range(5):
        report(year=2026, pole=PoleFactory(region=south, department__region=south))
    for _ in range(3):
        report(year=2026, pole=PoleFactory(region=north, department__region=north))
    page = _text(client.get(URL))
    assert "Chiffres 2026, France entière" in page
    assert "Pôles répondants par région" in page
    page = _text(client.get(URL, {"annee": "2026", "region": "nord"}))
    assert "région Nord" in page and "Moins de 5 pôles" in page
    page = _text(client.get(URL, {"annee": "2025", "region": "sud"}))
    assert "Chiffres 2025, région Sud" in page and "Structures membres par catégorie" in page
    response = client.get(URL, {"annee": "1999", "region": "atlantide"})
    assert response.status_code == 200
    assert "pas été reconnu" in _text(response)
    assert client.get(URL, {"annee": "", "region": ""}).url == URL


def test_the_evolution_over_the_years(client):
    for year in (2025, 2026):
        for jobs in range(5):
            report(year=year, jobs=10 + jobs + (year - 2025) * 10)
    page = _text(client.get(URL))
    assert "Évolution par année" in page
    assert 'id="chart-evolution-poles-title"' in page
    assert '<th scope="row">2025</th>' in page and '<th scope="row">2026</th>' in page


def test_query_count_is_flat(client, django_assert_max_num_queries):
    for _ in range(5):
        report()
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    for year in (2025, 2026):
        for _ in range(15):
            report(year=year)
    with CaptureQueriesContext(connection) as large:
        client.get(URL)
    assert len(large) == len(small) <= 6, [q["sql"] for q in large.captured_queries]


def test_the_anonymous_page_is_cached_until_a_report_is_accepted(client):
    for _ in range(4):
        report()
    pending = report(state=Report.State.SUBMITTED)
    assert "Moins de 5 pôles" in _text(client.get(URL))
    with CaptureQueriesContext(connection) as cached:
        assert "Moins de 5 pôles" in _text(client.get(URL))
    assert len(cached) == 0
    pending.state = Report.State.ACCEPTED
    pending.save()
    assert "Structures membres par catégorie" in _text(client.get(URL))


def test_every_id_of_the_page_is_unique(client):
    for year in (2025, 2026):
        for _ in range(5):
            report(year=year)
    page = client.get(URL).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
