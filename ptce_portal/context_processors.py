from django.conf import settings
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from . import contributions
from .map_tiles import tile_attribution
from .permissions import is_portal_staff, needs_second_factor
from .site import site_url


def main_navigation(request) -> list[dict]:
    """The apps' links of the header, the one holding the current page marked."""
    path = getattr(request, "path", "")
    links = []
    for entry in contributions.navigation():
        href = reverse(entry.url_name)
        links.append({"href": href, "label": entry.label, "current": path.startswith(href)})
    return links


def portal(request):
    user = getattr(request, "user", None)
    return {
        "main_navigation": SimpleLazyObject(lambda: main_navigation(request)),
        "SITE_URL": site_url(),
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "MAP_TILE_ATTRIBUTION": tile_attribution(),
        "DEMO_BANNER": settings.DEMO_BANNER,
        "SOURCE_CODE_URL": settings.SOURCE_CODE_URL,
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
        # Templates ask `is_portal_staff` rather than `user.is_staff` (ptce_portal.permissions).
        "is_portal_staff": SimpleLazyObject(lambda: is_portal_staff(user)),
        # Staff keep their second factor: /compte/2fa/ offers no deactivation.
        "needs_second_factor": SimpleLazyObject(lambda: needs_second_factor(user)),
    }
