"""A pole's published figures and their trend on its public page (slot "poles.detail")."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from observatory.models import Report
from tests.observatory.public_helpers import report
from tests.poles.factories import PoleFactory

pytestmark = pytest.mark.django_db


def _page(client, pole) -> str:
    response = client.get(pole.get_absolute_url())
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def test_only_the_figures_the_pole_agreed_to_publish(client):
    pole = PoleFactory()
    report(year=2025, pole=pole, publish=False, publish_jobs=True, jobs=11)
    report(year=2026, pole=pole, publish=False, publish_jobs=True, publish_members=True, jobs=14)
    page = _page(client, pole)
    assert "Chiffres clés" in page
    assert "Emplois directs (personnes)" in page
    assert ">11<" in page and ">14<" in page
    assert "Entreprises de l&#x27;économie sociale et solidaire" in page
    assert "non publié" in page  # the members of 2025 were not published
    assert "Chiffre d&#x27;affaires consolidé" not in page
    assert 'aria-labelledby="pole-obs-jobs-title' in page  # the trend, with its table


def test_nothing_when_nothing_is_published_or_accepted(client):
    pole = PoleFactory()
    report(year=2026, pole=pole, publish=False)
    other = PoleFactory()
    report(year=2026, pole=other, publish=True, state=Report.State.SUBMITTED)
    assert "Chiffres clés" not in _page(client, pole)
    assert "Chiffres clés" not in _page(client, other)


def test_an_unknown_published_figure_says_non_renseigne(client):
    pole = PoleFactory()
    report(year=2026, pole=pole, publish=False, publish_projects=True, projects_started=None)
    page = _page(client, pole)
    assert "Projets lancés dans l&#x27;année" in page
    assert "non renseigné" in page


def test_the_block_costs_the_same_queries_with_one_or_many_years(client):
    pole = PoleFactory()
    report(year=2020, pole=pole, publish=True)
    with CaptureQueriesContext(connection) as one:
        _page(client, pole)
    for year in range(2021, 2027):
        report(year=year, pole=pole, publish=True)
    with CaptureQueriesContext(connection) as many:
        _page(client, pole)
    assert len(many) == len(one), [q["sql"] for q in many.captured_queries]


def test_the_cached_pole_page_shows_the_figures_once_the_report_is_accepted(client):
    pole = PoleFactory()
    pending = report(year=2026, pole=pole, publish=True, state=Report.State.SUBMITTED)
    assert "Chiffres clés" not in _page(client, pole)
    with CaptureQueriesContext(connection) as cached:
        assert "Chiffres clés" not in _page(client, pole)
    assert len(cached) == 0  # from the page cache
    pending.state = Report.State.ACCEPTED
    pending.save()
    assert "Chiffres clés" in _page(client, pole)
