"""The ceiling of `make bench` over HTTP: one Django view, no middleware, no database, no
template, served by the same gunicorn settings as the portal (`bench.bare:application`)."""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench-bare-view-only",
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        USE_TZ=True,
    )


def bare(request):
    return HttpResponse(b"ok\n", content_type="text/plain")


urlpatterns = [path("", bare)]

application = get_wsgi_application()
