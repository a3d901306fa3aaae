from django.urls import path

from .views import coordinators, staff

app_name = "observatory"

# Coordinators' and staff's pages (obs) first; the public pages (obsweb) after them.
urlpatterns = [
    path(
        "observatoire/mon-pole/<slug:slug>/<int:year>/",
        coordinators.report_edit,
        name="report_edit",
    ),
    path(
        "observatoire/mon-pole/<slug:slug>/<int:year>/enregistrer/",
        coordinators.report_autosave,
        name="report_autosave",
    ),
    path("observatoire/equipe/", staff.campaigns, name="staff_campaigns"),
    path("observatoire/equipe/<int:year>/", staff.campaign_detail, name="staff_campaign"),
    path("observatoire/equipe/<int:year>/etat/", staff.campaign_state, name="staff_campaign_state"),
    path(
        "observatoire/equipe/<int:year>/<slug:slug>/",
        staff.report_review,
        name="staff_review",
    ),
]

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
