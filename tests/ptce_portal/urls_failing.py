"""The portal's URLs plus one page that fails, behind a personal-link-like path."""

from django.urls import path

from portal.urls import handler404, handler500
from portal.urls import urlpatterns as portal_urlpatterns

__all__ = ["handler404", "handler500", "urlpatterns"]


def failing(request, token):
    raise RuntimeError("an unexpected failure")


urlpatterns = [
    path("referentiel/repondre/<str:token>/panne/", failing),
    *portal_urlpatterns,
]
