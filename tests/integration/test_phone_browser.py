"""Every page of the permission matrix's public and coordinator sets, on a phone (390 px):
nothing scrolls sideways and axe-core finds no serious or critical issue.

The pages are the matrix's own, read by tests/integration/pages.py: a route added to the
matrix is walked here with no change. A page open to both the public and the coordinator is
walked as both (the header differs) and checked by axe once. The staff set is walked by
test_phone_staff_browser.py, so that two xdist workers walk side by side."""

import time

import pytest

from tests.integration.phone import Walk, seeded_sets

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_public_and_coordinator_page_fits_a_phone(page, live_server, axe_check):
    started = time.monotonic()
    world, sets = seeded_sets()
    assert len(sets["public"]) > 30 and len(sets["coordinator"]) > 40
    walk = Walk(page, live_server, axe_check)
    walk.as_(None)
    for key, url, _role in sets["public"]:
        walk.visit("public", key, url)
    walk.as_(world.users["coordinator"])
    for key, url, _role in sets["coordinator"]:
        walk.visit("coordinator", key, url)
    assert walk.walked > 70
    walk.report(started)
