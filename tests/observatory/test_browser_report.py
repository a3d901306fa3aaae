"""Headless Chromium: the report page's autosave (static/observatory/report.js) saves a good
figure as typed, says why a bad one is not saved, and what was saved is there on return."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from observatory.models import Report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_report_is_saved_as_typed_and_a_bad_figure_is_not(
    page, live_server, campaign, pole, coordinator
):
    client = Client()
    client.force_login(coordinator)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    url = f"/observatoire/mon-pole/{pole.slug}/{campaign.year}/"
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(url)
    status = page.locator("[data-save-status]")
    page.locator("#id_members_ess").fill("6")
    page.locator("#id_jobs_fte").fill("12,5")
    page.locator("#id_jobs_people").fill("20")
    expect(status).to_have_text(re.compile(r"^Brouillon enregistré"))
    report = Report.objects.get()
    assert report.members_ess == 6 and str(report.jobs_fte) == "12.5"
    page.locator("#id_public_funding_share").fill("250")
    expect(status).to_have_text(re.compile(r"^Non enregistré : .*financements publics.*100"))
    report.refresh_from_db()
    assert report.public_funding_share is None
    page.locator("#id_public_funding_share").fill("40")
    expect(status).to_have_text(re.compile(r"^Brouillon enregistré"))
    page.goto(url)
    assert page.locator("#id_members_ess").input_value() == "6"
    assert page.locator("#id_public_funding_share").input_value() == "40"
    # No CSP violation, no script error (the refused figure's 400 is the browser's own line).
    assert [e for e in errors if "400 (Bad Request)" not in e] == []
