"""The header's navigation is what the apps contribute (ptce_portal.contributions.NavEntry):
the base template names no app's page, and a new app appears by declaring its link."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from ptce_portal import contributions

pytestmark = pytest.mark.django_db


def _nav_links(html: str) -> list[tuple[str, bool]]:
    nav = html.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]
    return [
        (href, bool(current))
        for href, current in re.findall(r'<a href="([^"]+)"( aria-current="page")?', nav)
    ]


def test_every_app_link_is_in_the_header_in_its_order_and_the_current_one_marked(client):
    expected = [reverse(entry.url_name) for entry in contributions.navigation()]
    assert {"/poles/", "/observatoire/", "/ressources/"} <= set(expected)
    links = _nav_links(client.get("/ressources/").content.decode())
    app_links = [(href, current) for href, current in links if href in expected]
    assert [href for href, _ in app_links] == expected
    assert [href for href, current in app_links if current] == ["/ressources/"]


def test_the_base_template_names_no_app_page():
    base = (Path(settings.BASE_DIR) / "templates" / "base.html").read_text()
    for entry in contributions.navigation():
        assert f'href="{reverse(entry.url_name)}"' not in base, entry.url_name
