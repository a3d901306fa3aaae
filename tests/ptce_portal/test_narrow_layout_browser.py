"""At 390 px (a phone), Mon espace, the regional moderation queue and the personal data notice
never scroll sideways, with the demo data (signature table, long e-mail addresses)."""

import io

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {
    "coordination@exemple.org": ["/mon-espace/", "/donnees-personnelles/"],
    "coordination-regionale@exemple.org": ["/mon-espace/", "/moderation-regionale/"],
}


def sign_in(page, live_server, email):
    client = Client()
    client.force_login(get_user_model().objects.get(email=email))
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_no_horizontal_overflow_at_390_px(page, live_server, axe_check, demo_instance):
    call_command("seed_ptce", "--demo", stdout=io.StringIO())
    page.set_viewport_size({"width": 390, "height": 844})
    widths = {}
    for email, urls in PAGES.items():
        sign_in(page, live_server, email)
        for url in urls:
            response = page.goto(url)
            assert response.status == 200, url
            widths[(email, url)] = page.evaluate("document.documentElement.scrollWidth")
            if url == "/moderation-regionale/":
                axe_check(page)  # the decision forms: labels, the « Refuser » headings
    assert all(width <= 390 for width in widths.values()), widths
