"""Reads of the composition: what the apps contribute, put together."""

import functools
import tomllib

from django.conf import settings

from ptce_portal import contributions
from ptce_portal.backoffice import StaffQueue


def home_figures() -> dict:
    """Key figures for the home page, from each app that contributes some."""
    figures: dict = {}
    for contribution in contributions.contributions():
        if contribution.home_figures:
            figures.update(contribution.home_figures())
    return figures


def staff_queues(user) -> list[StaffQueue]:
    """What waits for a staff decision, from each app that contributes queues
    (ptce_portal.backoffice.StaffQueue), keeping the queues `user` may act on."""
    return [
        queue
        for contribution in contributions.staff_ordered()
        if contribution.staff_queues
        for queue in contribution.staff_queues()
        if queue.is_open_to(user)
    ]


def staff_statistics() -> dict:
    """Signatory poles by current and former region and per year (charter domain)."""
    from charter import selectors as charter
    from poles.models import Region

    return {
        "current": charter.signatory_counts_by_region(Region.Kind.CURRENT),
        "former": charter.signatory_counts_by_region(Region.Kind.FORMER),
        "years": charter.signatories_by_year(),
    }


@functools.cache
def licence_text() -> str:
    """The portal's licence, the LICENSE file at the root of the code (AGPL-3.0-or-later)."""
    return (settings.BASE_DIR / "LICENSE").read_text(encoding="utf-8")


@functools.cache
def portal_version() -> str:
    """The version of the running code, as pyproject.toml declares it."""
    with open(settings.BASE_DIR / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)["project"]["version"]
