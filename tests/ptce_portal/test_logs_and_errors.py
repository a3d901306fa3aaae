"""Logs keep personal-link secrets out; errors reach ADMINS, and the 500 page says so only
when someone is warned; the Site's domain follows SITE_URL."""

import io
import logging

import pytest
from django.contrib.sites.models import Site
from django.test import Client

from ptce_portal.log_masking import mask_secrets
from ptce_portal.sites import sync_site_domain

SECRET = "Zq8fW3nR5tY7uI9oP1aS2dF4gH6jK8lZ0xC3vB5nM7q"


@pytest.mark.parametrize(
    "text, masked",
    [
        (f"GET /referentiel/repondre/{SECRET}/partie-2/ HTTP/1.1",
         "GET /referentiel/repondre/***/partie-2/ HTTP/1.1"),
        (f"Not Found: /journees/jn-2026/inscription/{SECRET}/",
         "Not Found: /journees/jn-2026/inscription/***/"),
        (f"/compte/confirm-email/MQ:1t{SECRET}:x/", "/compte/confirm-email/***/"),
        (f"/compte/password/reset/key/1a-set-{SECRET}/", "/compte/password/reset/key/***/"),
        (f"/poles/?q=diois&token={SECRET}", "/poles/?q=diois&token=***"),
        ("GET /poles/domb-innov/ HTTP/1.1", "GET /poles/domb-innov/ HTTP/1.1"),
    ],
)  # fmt: skip
def test_mask_secrets(text, masked):
    assert mask_secrets(text) == masked


@pytest.fixture
def console_log():
    """What the portal's console log handler (settings.LOGGING) writes, read back."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        yield buffer
    finally:
        handler.setStream(previous)


@pytest.mark.django_db
def test_application_log_masks_personal_link_secrets(client, console_log):
    response = client.get(f"/referentiel/repondre/{SECRET}/rapport.pdf")
    assert response.status_code == 404
    written = console_log.getvalue()
    assert "Not Found: /referentiel/repondre/***/rapport.pdf" in written
    assert SECRET not in written


@pytest.mark.django_db
@pytest.mark.urls("tests.ptce_portal.urls_failing")
def test_an_error_is_mailed_to_admins_and_the_page_says_so(settings, mailoutbox, console_log):
    settings.ADMINS = ["Équipe technique <technique@labo-ess.example>"]
    response = Client(raise_request_exception=False).get(f"/referentiel/repondre/{SECRET}/panne/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "L'équipe technique a été prévenue" in page
    assert "Content-Security-Policy" in response.headers
    [report] = mailoutbox
    assert report.to == ["Équipe technique <technique@labo-ess.example>"]
    assert "RuntimeError" in report.body
    assert "/referentiel/repondre/***/panne/" in report.subject
    assert SECRET not in report.subject + report.body
    assert SECRET not in console_log.getvalue()


@pytest.mark.django_db
@pytest.mark.urls("tests.ptce_portal.urls_failing")
def test_without_admins_the_500_page_does_not_claim_anyone_was_warned(settings, mailoutbox):
    settings.ADMINS = []
    response = Client(raise_request_exception=False).get("/referentiel/repondre/x/panne/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "prévenue" not in page and "inscrite au journal du serveur" in page
    assert mailoutbox == []


def test_admins_are_read_from_the_environment(monkeypatch):
    import importlib

    from portal import settings as portal_settings

    monkeypatch.setenv(
        "ADMINS", "Équipe technique <technique@labo-ess.example>, b@labo-ess.example"
    )
    try:
        reloaded = importlib.reload(portal_settings)
        assert reloaded.ADMINS == [
            "Équipe technique <technique@labo-ess.example>",
            "b@labo-ess.example",
        ]
    finally:
        monkeypatch.delenv("ADMINS")
        importlib.reload(portal_settings)


@pytest.mark.django_db
def test_site_domain_follows_site_url_at_each_start(settings):
    import importlib

    import portal.wsgi

    settings.SITE_URL = "https://portail-ptce.example"
    importlib.reload(portal.wsgi)  # what each start of gunicorn runs
    assert Site.objects.get_current().domain == "portail-ptce.example"
    settings.SITE_URL = "https://ptce.labo-ess.example:8443"
    assert sync_site_domain() is True
    assert Site.objects.get_current().domain == "ptce.labo-ess.example:8443"
    assert sync_site_domain() is False  # nothing to write when it already matches
