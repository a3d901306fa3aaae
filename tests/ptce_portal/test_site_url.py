"""Every absolute link comes from SITE_URL (ptce_portal.site), and `make run` sets it from
PORT: nothing points to a port where nothing answers."""

import json
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from icalendar import Calendar

from charter.pdf import verification_url
from ptce_portal.mail import build_templated_mail
from ptce_portal.site import absolute_url, site_host

ROOT = Path(__file__).resolve().parents[2]
SITE = "http://127.0.0.1:8251"


@pytest.fixture
def site(settings):
    settings.SITE_URL = SITE + "/"
    return SITE


def _make_run_commands(*args: str, env: dict | None = None) -> str:
    result = subprocess.run(
        ["make", "-n", "-s", "run", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", **(env or {})},
    )
    return result.stdout


def test_make_run_sets_site_url_from_port():
    assert 'export SITE_URL="http://127.0.0.1:8251"' in _make_run_commands("PORT=8251")
    assert "runserver 127.0.0.1:8251" in _make_run_commands("PORT=8251")
    assert 'export SITE_URL="http://127.0.0.1:8000"' in _make_run_commands()
    # An explicit address wins (a proxy in front, https).
    explicit = _make_run_commands("PORT=8251", env={"SITE_URL": "https://ptce.exemple.org"})
    assert 'export SITE_URL="https://ptce.exemple.org"' in explicit


def test_one_helper_builds_absolute_links(site):
    assert absolute_url("/poles/") == f"{SITE}/poles/"
    assert absolute_url("poles/") == f"{SITE}/poles/"
    assert site_host() == "127.0.0.1:8251"


@pytest.mark.django_db
def test_csv_json_ics_embed_mail_and_charter_qr_use_site_url(client, site, seeded_charter):
    from charter.models import Signature
    from tests.events.factories import EventFactory

    signature = Signature.objects.filter(status="validated").first()
    assert verification_url(signature) == f"{SITE}/charte/verifier/{signature.verification_code}/"

    csv_body = client.get("/charte/signataires/export.csv").content.decode("utf-8-sig")
    assert f";{SITE}/poles/" in csv_body and "127.0.0.1:8000" not in csv_body

    data = json.loads(client.get(reverse("poles:api_json")).content)
    assert data["source"] == f"{SITE}/donnees/"
    assert all(pole["url"].startswith(f"{SITE}/poles/") for pole in data["poles"])

    event = EventFactory()
    vevent = Calendar.from_ical(client.get(reverse("events:ics", args=[event.slug])).content)
    (vevent,) = vevent.walk("VEVENT")
    assert str(vevent["url"]) == f"{SITE}{event.get_absolute_url()}"
    assert str(vevent["uid"]).endswith("@127.0.0.1:8251")

    map_html = client.get(reverse("poles:map")).content.decode()
    assert f"{SITE}/carte/embed/" in map_html.replace("&quot;", '"')

    message = build_templated_mail(
        to=["a@exemple.org"],
        template_name="charter/email/submitted.txt",
        context={"signature": signature},
    )
    assert f"{SITE}{signature.get_absolute_url()}" in message.body
