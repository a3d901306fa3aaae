"""The site's domain (django.contrib.sites, used by allauth's e-mails) follows SITE_URL: at
every migrate and every start of the application (portal.wsgi, portal.asgi), not only at the
first migrate, so a portal moved to another address never writes the old one."""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DatabaseError

logger = logging.getLogger(__name__)

SITE_NAME = "Portail des PTCE"


def site_domain() -> str:
    """SITE_URL's host (and port): the domain allauth's e-mails link to."""
    return urlsplit(settings.SITE_URL).netloc or "127.0.0.1:8000"


def sync_site_domain(*, using: str = "default") -> bool:
    """Write SITE_URL's domain on the current Site if it differs; True when it changed."""
    from django.contrib.sites.models import SITE_CACHE, Site

    domain = site_domain()
    site = Site.objects.using(using).filter(pk=settings.SITE_ID).first()
    if site is not None and site.domain == domain:
        return False
    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": SITE_NAME}
    )
    SITE_CACHE.clear()
    return True


def sync_site_domain_at_start() -> None:
    """At the application's start: a database that does not answer yet is not fatal (the
    next start or migrate writes it); it is logged."""
    try:
        if sync_site_domain():
            logger.info("Site domain set to %s (SITE_URL).", site_domain())
    except DatabaseError as exc:
        logger.warning("Site domain not checked against SITE_URL: %s", exc)
