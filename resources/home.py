"""The resource centre's block on the home page (resources/contributions.py)."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from . import selectors

HOME_ITEMS = 3


def block(request: HttpRequest, _obj: object) -> str:
    """The home page's block (slot "portal.home"): the latest published resources and a
    search box; nothing while none is published (2 queries)."""
    latest = list(selectors.latest_published(HOME_ITEMS + 1))
    if not latest:
        return ""
    return render_to_string(
        "resources/_home_block.html",
        {
            "latest": latest[:HOME_ITEMS],
            "count": selectors.published().count() if len(latest) > HOME_ITEMS else len(latest),
        },
        request=request,
    )
