from django.urls import path  # noqa: F401  (routes land with the pages)

app_name = "observatory"

# Coordinators' and staff's pages (obs) first; the public pages (obsweb) after them.
urlpatterns: list = []
