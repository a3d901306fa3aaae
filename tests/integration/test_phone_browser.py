"""Every page of the permission matrix's public and coordinator sets, on a phone (390 px):
nothing scrolls sideways and axe-core finds no serious or critical issue.

The pages are the matrix's own (tests/integration/test_permission_matrix.py): each route
case whose expected status is 200 for the public or for the coordinator of X, opened as that
person; the files among them (PDF, CSV, iCalendar, JSON) are left out (FILES).
A page open to both is walked as both (the header differs) and checked by axe once."""

import io
import re
import time

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from tests.integration.test_permission_matrix import ROLES, targets
from tests.integration.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SETS = ("anonymous", "coordinator")
FILES = re.compile(
    r"csv|pdf|:ics|:api_|proceedings|personal_data_export|^health$|autosave|:map_points"
)
WIDTH_SCRIPT = """() => {
  const root = document.documentElement;
  const wide = [...document.querySelectorAll("body *")]
    .filter((e) => e.getBoundingClientRect().right > root.clientWidth + 1)
    .filter((e) => !e.closest(".table-wrap, .visually-hidden, [hidden]"))
    .slice(0, 3)
    .map((e) => e.tagName.toLowerCase() + (e.className ? "." + e.className : ""));
  return {width: root.scrollWidth, wide};
}"""


def pages_of(world) -> dict[str, list[tuple[str, str]]]:
    """role -> [(matrix key, url)] of the pages that role opens with a 200."""
    found, _missing = targets(world)
    walk: dict[str, list[tuple[str, str]]] = {role: [] for role in SETS}
    for key, (url, expected) in sorted(found.items()):
        if key.startswith("admin:") or expected is None or FILES.search(key):
            continue
        tokens = dict(zip(ROLES, expected.split(), strict=True))
        for role in SETS:
            if tokens[role] == "200":
                walk[role].append((key, url))
    return walk


def sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
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


def test_every_public_and_coordinator_page_fits_a_phone(page, live_server, axe_check):
    start = time.monotonic()
    call_command("seed_ptce", stdout=io.StringIO())
    world = build_world()
    walk = pages_of(world)
    print(f"seeded in {time.monotonic() - start:.0f} s")
    assert len(walk["anonymous"]) > 30 and len(walk["coordinator"]) > 40
    page.set_viewport_size(PHONE)
    overflow, axe_failures, checked, walked = [], [], set(), 0
    for role in SETS:
        if role == "anonymous":
            page.context.clear_cookies()
        else:
            sign_in(page, live_server, world.users[role])
        for key, url in walk[role]:
            response = page.goto(url)
            assert response is not None and response.status == 200, (role, key, url)
            assert response.headers.get("content-type", "").startswith("text/html"), key
            walked += 1
            measure = page.evaluate(WIDTH_SCRIPT)
            if measure["width"] > PHONE["width"]:
                overflow.append(f"{role} {key} {url}: {measure['width']} px {measure['wide']}")
            if key not in checked:
                checked.add(key)
                try:
                    axe_check(page)
                except AssertionError as exc:
                    axe_failures.append(f"{role} {key}: {exc}")
    print(f"{walked} pages, {len(checked)} checked by axe, in {time.monotonic() - start:.0f} s")
    assert walked > 70
    assert not overflow, "wider than 390 px:\n" + "\n".join(overflow)
    assert not axe_failures, "\n".join(axe_failures)
