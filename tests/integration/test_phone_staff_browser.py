"""Every page of the permission matrix's staff set, on a phone (390 px): the staff dashboard
(/admin/), the staff pages (the validation cards, the participants, the overview...), the
admin's pages of the portal's own apps, the regional coordination's page. Nothing scrolls
sideways and axe-core finds no serious or critical issue (tests/integration/phone.py)."""

import time

import pytest

from tests.integration.phone import Walk, seeded_sets

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_staff_page_fits_a_phone(page, live_server, axe_check):
    """The staff dashboard, the staff pages (validation cards, participants, overview...) and
    the admin's pages of the portal's own apps; the regional coordination's page as them."""
    started = time.monotonic()
    world, sets = seeded_sets()
    staff_set = sets["staff"]
    assert len(staff_set) > 50
    assert {"admin:index", "charter:validation"} <= {key for key, _url, _role in staff_set}
    walk = Walk(page, live_server, axe_check)
    for role in ("staff", "regional"):
        walk.as_(world.users[role])
        for key, url, _role in (entry for entry in staff_set if entry[2] == role):
            walk.visit(role, key, url)
    walk.report(started)
