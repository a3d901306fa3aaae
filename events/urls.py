from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("journees/", views.event_list, name="list"),
    path("journees/<slug:slug>/", views.event_detail, name="detail"),
    path(
        "journees/<slug:slug>/intervenants/<slug:person_slug>/",
        views.person_detail,
        name="person",
    ),
    path("journees/<slug:slug>/actes.pdf", views.proceedings_pdf, name="proceedings"),
    path("journees/<slug:slug>/agenda.ics", views.event_ics_file, name="ics"),
    path("journees/<slug:slug>/inscription/", views.register, name="register"),
    path(
        "journees/<slug:slug>/inscription/demande-envoyee/",
        views.registration_sent,
        name="registration_sent",
    ),
    path(
        "journees/<slug:slug>/inscription/<str:token>/",
        views.registration_manage,
        name="registration_manage",
    ),
    path("journees/<slug:slug>/participants/", views.public_participants, name="participants"),
    path(
        "journees/<slug:slug>/equipe/participants/",
        views.staff_participants,
        name="staff_participants",
    ),
    path(
        "journees/<slug:slug>/equipe/participants.csv",
        views.staff_participants_csv,
        name="staff_participants_csv",
    ),
    path(
        "journees/<slug:slug>/equipe/participants/<int:pk>/presence/",
        views.staff_check_in,
        name="staff_check_in",
    ),
    path(
        "journees/<slug:slug>/equipe/participants/<int:pk>/attestation.pdf",
        views.staff_certificate,
        name="staff_certificate",
    ),
    path("journees/<slug:slug>/equipe/message/", views.staff_email, name="staff_email"),
]
