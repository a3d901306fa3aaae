"""The yearly PDF « état des lieux »: tagged, titled, the same suppression as the page,
rendered once per content version."""

import shutil
import subprocess

import pytest

from observatory.models import Report
from tests.observatory.public_helpers import report
from tests.pdfs import assert_tagged_pdf

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed"),
]


def _text(content: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def test_the_state_of_play_is_a_tagged_pdf_with_the_aggregates(client):
    for jobs in (10, 20, 30, 40, 50):
        report(year=2026, jobs=jobs)
    response = client.get("/observatoire/2026/etat-des-lieux.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "observatoire-ptce-2026-etat-des-lieux.pdf" in response["Content-Disposition"]
    assert_tagged_pdf(response.content, title="état des lieux 2026")
    text = _text(response.content)
    assert "Structures membres par catégorie" in text
    assert "Licence Ouverte 2.0" in text


def test_four_poles_give_a_pdf_without_figures(client):
    for _ in range(4):
        report(year=2026)
    text = _text(client.get("/observatoire/2026/etat-des-lieux.pdf").content)
    assert "Moins de 5 pôles" in text
    assert "Structures membres par catégorie" not in text


def test_rendered_once_then_again_after_an_acceptance(client, monkeypatch):
    from ptce_portal import pdf as house_pdf

    for _ in range(5):
        report(year=2026)
    pending = report(year=2026, state=Report.State.SUBMITTED)
    calls = []
    real = house_pdf._html_to_pdf

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(house_pdf, "_html_to_pdf", counting)
    url = "/observatoire/2026/etat-des-lieux.pdf"
    first = client.get(url).content
    assert client.get(url).content == first
    assert len(calls) == 1  # the second came from the documents cache
    pending.state = Report.State.ACCEPTED
    pending.save()  # a new content version: a new document
    third = client.get(url).content
    assert len(calls) == 2 and third != first


def test_a_year_without_accepted_reports_is_not_found(client):
    report(year=2026, state=Report.State.SUBMITTED)
    assert client.get("/observatoire/2026/etat-des-lieux.pdf").status_code == 404
    assert client.get("/observatoire/2031/etat-des-lieux.pdf").status_code == 404
