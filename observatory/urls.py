from django.urls import path

app_name = "observatory"

# Coordinators' and staff's pages (obs) first; the public pages (obsweb) after them.
urlpatterns: list = []

# --- Public side (obsweb) ---------------------------------------------------------------------
from .views import public  # noqa: E402

urlpatterns += [
    path("observatoire/", public.index, name="index"),
    path("observatoire/donnees/agregats.csv", public.aggregates_csv, name="aggregates_csv"),
    path("observatoire/donnees/agregats.json", public.aggregates_json, name="aggregates_json"),
    path("observatoire/donnees/poles.csv", public.poles_csv, name="poles_csv"),
    path("observatoire/donnees/poles.json", public.poles_json, name="poles_json"),
    path("observatoire/<int:year>/etat-des-lieux.pdf", public.report_pdf, name="report_pdf"),
]
