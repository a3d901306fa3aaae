import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_asgi_application()

from ptce_portal.sites import sync_site_domain_at_start  # noqa: E402 (needs the settings)

sync_site_domain_at_start()
