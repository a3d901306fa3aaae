import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()

from ptce_portal.page_cache import serve_hits  # noqa: E402 (needs the settings)
from ptce_portal.sites import sync_site_domain_at_start  # noqa: E402

sync_site_domain_at_start()
# Anonymous pages this process holds a copy of, answered before Django's request cycle.
application = serve_hits(application)
