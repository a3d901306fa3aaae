"""The one place absolute links are built from: settings.SITE_URL (no trailing slash).

E-mails, PDFs (QR code, footer), CSV and JSON exports, the iCalendar file and the map's
embed code are read outside the site: their links use `absolute_url(path)`, never a
request's host nor a hard-coded address. `make run` sets SITE_URL from PORT.
"""

from django.conf import settings


def site_url() -> str:
    """The portal's address, e.g. ``https://portail-ptce.fr`` (no trailing slash)."""
    return settings.SITE_URL.rstrip("/")


def site_host() -> str:
    """The host (and port) of the portal's address, e.g. ``portail-ptce.fr``."""
    return site_url().split("://", 1)[-1].split("/", 1)[0]


def absolute_url(path: str = "/") -> str:
    """An absolute link to `path` (a path starting with « / ») on the portal."""
    if not path.startswith("/"):
        path = "/" + path
    return f"{site_url()}{path}"
